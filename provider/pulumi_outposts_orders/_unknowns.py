"""Values not yet known at preview: what an unknown is, and whether a checked path lies under one.

Check and diff run before every Output is resolved. An unknown input passes check (it is checked
again when known, before any API call) and counts as a change in diff (preview shows the worst case).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from pulumi.output import Unknown
from pulumi.runtime.rpc import UNKNOWN


def is_unknown(value: Any) -> bool:
    """Whether ``value`` is an Output not yet resolved (preview). The dynamic provider host passes
    ``pulumi.output.Unknown`` objects to check and diff; the wire form is the ``UNKNOWN`` string."""
    return isinstance(value, Unknown) or (isinstance(value, str) and value == UNKNOWN)


def contains_unknown(value: Any) -> bool:
    """Whether ``value`` is unknown or holds an unknown (in a list or an object, at any depth)."""
    if isinstance(value, Mapping):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(contains_unknown(v) for v in value)
    return is_unknown(value)


def under_unknown(path: str, unknown: Collection[str]) -> bool:
    """Whether the API path ``path`` (``LineItems[0].Quantity``) is, or lies under, one of ``unknown``."""
    return any(path == u or path.startswith((u + ".", u + "[")) for u in unknown)
