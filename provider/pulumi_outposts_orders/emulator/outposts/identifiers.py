"""Resource identifiers: new IDs, ARNs, and resolving "ID or ARN" inputs."""

from __future__ import annotations

import re
import secrets

from pulumi_outposts_orders.emulator.errors import not_found

_ARN = re.compile(
    r"^arn:aws(?:[a-z-]+)?:outposts:(?P<region>[a-z\d-]+):(?P<account>\d{12}):(?P<kind>[a-z]+)/(?P<id>.+)$"
)


def new_id(prefix: str) -> str:
    """A fresh ID such as ``oo-0123456789abcdef0`` (prefix, dash, 17 hex digits)."""
    return f"{prefix}-{secrets.token_hex(9)[:17]}"


def arn(region: str, account: str, kind: str, resource_id: str) -> str:
    """The ARN of an Outposts resource (kind: outpost, site, quote)."""
    return f"arn:aws:outposts:{region}:{account}:{kind}/{resource_id}"


def resolve(identifier: str, kind: str, region: str, account: str) -> str:
    """The bare ID of ``identifier`` (an ID, or an ARN of this account and region).

    An ARN of another account, region or resource kind names nothing here: NotFoundException.
    """
    match = _ARN.match(identifier)
    if not match:
        return identifier
    if (match["region"], match["account"], match["kind"]) != (region, account, kind):
        raise not_found(f"{identifier} does not name a {kind} of account {account} in {region}")
    return match["id"]
