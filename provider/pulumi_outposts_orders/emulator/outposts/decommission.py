"""StartOutpostDecommission, validation only: what would block decommissioning an Outpost; nothing changes.

The emulator's Outposts are shared by every account and the seed, so it never decommissions one: a
request without ``ValidateOnly: true`` is a ValidationException saying so. With it: an Outpost that is
not ACTIVE is a ConflictException (ResourceType OUTPOST, as CreateOrder's); the caller's orders for the
Outpost that are still open block it (BLOCKED with their BlockingResourceTypes); otherwise SKIPPED
(the request is valid, and as asked, nothing was started).
"""

from __future__ import annotations

from pulumi_outposts_orders.emulator.domain import Context, Params
from pulumi_outposts_orders.emulator.errors import conflict, validation
from pulumi_outposts_orders.emulator.outposts import lifecycle
from pulumi_outposts_orders.emulator.outposts.inventory import find_outpost
from pulumi_outposts_orders.emulator.outposts.records import ORDER, Order

BLOCKED_BY = {
    "PREPARING": "OUTPOST_ORDER_CANCELLABLE",
    "IN_PROGRESS": "OUTPOST_ORDER_INTERVENTION_REQUIRED",
    "DELIVERED": "OUTPOST_ORDER_INTERVENTION_REQUIRED",
    "ERROR": "OUTPOST_ORDER_INTERVENTION_REQUIRED",
}
"""The BlockingResourceType of an order in each status: one the caller can still cancel, or one that AWS
must settle (being built, shipped or installed, or failed). COMPLETED and CANCELLED orders block nothing."""


def start_outpost_decommission(ctx: Context, params: Params) -> Params:
    """StartOutpostDecommission with ValidateOnly: BLOCKED (and what blocks it) or SKIPPED."""
    outpost = find_outpost(ctx, params["OutpostIdentifier"])
    outpost_id = outpost["OutpostId"]
    if not params.get("ValidateOnly"):
        raise validation(f"The emulator only validates decommissioning: send ValidateOnly true to see what would "
                         f"block decommissioning Outpost {outpost_id}; it never decommissions an Outpost")
    if outpost["LifeCycleStatus"] != "ACTIVE":
        raise conflict(f"Outpost {outpost_id} is {outpost['LifeCycleStatus']}: only an ACTIVE Outpost can be "
                       "decommissioned", outpost_id, "OUTPOST")
    blocking = blocking_resource_types(ctx, outpost_id)
    return {"Status": "BLOCKED" if blocking else "SKIPPED", "BlockingResourceTypes": blocking}


def blocking_resource_types(ctx: Context, outpost_id: str) -> list[str]:
    """BlockingResourceTypes of the caller's orders for the Outpost, each type once, in BLOCKED_BY's order."""
    statuses = {lifecycle.position(o.anchor, ctx.now).order_status
                for o in map(Order.load, ctx.tx.all(ORDER, parent=outpost_id)) if ctx.owns(o.account_id)}
    return list(dict.fromkeys(kind for status, kind in BLOCKED_BY.items() if status in statuses))
