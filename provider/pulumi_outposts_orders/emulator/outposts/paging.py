"""Pagination with MaxResults / NextToken.

A token is ``<offset>##<fingerprint>`` (the model's Token pattern), where the fingerprint ties it
to the operation and filters it was issued for; any other token is a ValidationException.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any, TypeVar

from pulumi_outposts_orders.emulator.errors import validation

DEFAULT_PAGE_SIZE = 100
_TOKEN = re.compile(r"(\d+)##(\S+)")
T = TypeVar("T")


def paginate(operation: str, items: list[T], params: Mapping[str, Any]) -> tuple[list[T], dict[str, str]]:
    """One page of ``items`` and the output members (``NextToken`` if more remain)."""
    filters = {k: v for k, v in params.items() if k not in ("NextToken", "MaxResults")}
    fingerprint = hashlib.sha256(json.dumps([operation, filters], sort_keys=True).encode()).hexdigest()[:16]
    offset = 0
    token = params.get("NextToken")
    if token is not None:
        match = _TOKEN.fullmatch(token)
        if not match or match[2] != fingerprint or int(match[1]) > len(items):
            raise validation(f"NextToken {token!r} is not valid for this {operation} request")
        offset = int(match[1])
    end = offset + int(params.get("MaxResults") or DEFAULT_PAGE_SIZE)
    more = {"NextToken": f"{end}##{fingerprint}"} if end < len(items) else {}
    return items[offset:end], more
