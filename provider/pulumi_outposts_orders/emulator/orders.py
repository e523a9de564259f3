"""Orders: CreateOrder's rules, the order views, GetOrder, ListOrders and CancelOrder."""

from __future__ import annotations

from collections import Counter
from typing import Any

from . import assets, lifecycle, quotes
from .domain import ORDER, Context, Params
from .errors import ApiError, conflict, not_found, validation
from .identifiers import new_id
from .inventory import find_catalog_item, find_outpost
from .paging import paginate


def find_order(ctx: Context, order_id: str) -> Params:
    """The caller's stored order; NotFoundException if there is none (in the caller's account)."""
    order = ctx.find(ORDER, order_id, f"Order {order_id}")
    if not ctx.owns(order):
        raise not_found(f"Order {order_id} does not exist")
    return order


def order_view(order: Params, now: float) -> Params:
    """The Order as the API returns it at simulated time ``now``."""
    position = lifecycle.position(order["_Anchor"], now)
    items = []
    for item in order["LineItems"]:
        view = {**item, "Status": position.line_item_status}
        if position.built:
            view["ShipmentInformation"] = assets.shipment(item, order["_HardwareType"])
            view["AssetInformationList"] = assets.line_item_assets(item)
        items.append(view)
    view = {**order, "Status": position.order_status, "LineItems": items}
    if position.fulfilled_at is not None:
        view["OrderFulfilledDate"] = position.fulfilled_at
    return view


def summary_view(order: Params, now: float) -> Params:
    """The OrderSummary of an order (ListOrders)."""
    view = order_view(order, now)
    counts = Counter(item["Status"] for item in view["LineItems"])
    keys = ("OutpostId", "OrderId", "OrderType", "Status", "OrderSubmissionDate", "OrderFulfilledDate")
    return {**{k: view[k] for k in keys if k in view}, "LineItemCountsByStatus": dict(counts)}


def create_order(ctx: Context, params: Params) -> Params:
    """CreateOrder: checks every rule, then stores the order (and marks its quote as ordered)."""
    outpost = find_outpost(ctx, params["OutpostIdentifier"])
    if outpost["LifeCycleStatus"] != "ACTIVE":
        raise conflict(f"Outpost {outpost['OutpostId']} is not active (it is {outpost['LifeCycleStatus']})",
                       outpost["OutpostId"], "OUTPOST")
    if params.get("QuoteIdentifier") or params.get("QuoteOptionIdentifier"):
        if params.get("LineItems"):
            raise validation("LineItems cannot be combined with QuoteIdentifier: the quote option defines them")
        quote, line_items = quotes.reserve_for_order(ctx, params, outpost)
    elif params.get("LineItems"):
        quote, line_items = None, _catalog_line_items(ctx, params["LineItems"], outpost)
    else:
        raise validation("An order needs either LineItems or QuoteIdentifier with QuoteOptionIdentifier")
    _check_quota(ctx)
    order = _new_order(ctx, params, outpost, quote, line_items)
    ctx.tx.put(ORDER, order["OrderId"], order, parent=outpost["OutpostId"])
    if quote is not None:
        quotes.mark_ordered(ctx, quote, order["OrderId"])
    return {"Order": order_view(order, ctx.now)}


def get_order(ctx: Context, params: Params) -> Params:
    """GetOrder."""
    return {"Order": order_view(find_order(ctx, params["OrderId"]), ctx.now)}


def list_orders(ctx: Context, params: Params) -> Params:
    """ListOrders of the caller's account, optionally of one Outpost (ID or ARN), oldest first."""
    outpost_id = None
    if params.get("OutpostIdentifierFilter"):
        outpost_id = find_outpost(ctx, params["OutpostIdentifierFilter"])["OutpostId"]
    orders = [o for o in ctx.tx.all(ORDER, parent=outpost_id) if ctx.owns(o)]
    page, more = paginate("ListOrders", orders, params)
    return {"Orders": [summary_view(o, ctx.now) for o in page], **more}


def cancel_order(ctx: Context, params: Params) -> Params:
    """CancelOrder: only a PREPARING order can be cancelled; anything else is a ConflictException."""
    order = find_order(ctx, params["OrderId"])
    status = lifecycle.position(order["_Anchor"], ctx.now).order_status
    if status not in lifecycle.CANCELLABLE_STATUSES:
        raise conflict(f"Order {order['OrderId']} is {status} and can no longer be cancelled",
                       order["OrderId"], "ORDER")
    set_status(ctx, order, "CANCELLED")
    return {}


def set_status(ctx: Context, order: Params, status: str) -> Params:
    """Move the order to ``status`` now (its line items follow); returns the new view."""
    order["_Anchor"] = lifecycle.force(order["_Anchor"], status, ctx.now)
    ctx.tx.put(ORDER, order["OrderId"], order, parent=order["OutpostId"])
    return order_view(order, ctx.now)


def _catalog_line_items(ctx: Context, requested: list[Params], outpost: Params) -> list[Params]:
    """Line items from the catalog: each item exists, is AVAILABLE and fits the Outpost's hardware;
    at most ``max_units_per_order`` units in all (each unit becomes an asset in every GetOrder)."""
    limit, units = ctx.settings.max_units_per_order, 0
    for index, request in enumerate(requested):
        units += request["Quantity"]
        if units > limit:
            raise validation(f"LineItems[{index}].Quantity brings the order to {units} units; the emulator takes "
                             f"at most {limit} units per order (--max-units-per-order)")
    items = []
    for index, request in enumerate(requested):
        item = find_catalog_item(ctx, request["CatalogItemId"])
        where = f"LineItems[{index}].CatalogItemId"
        if item["ItemStatus"] != "AVAILABLE":
            raise validation(f"{where}: catalog item {item['CatalogItemId']} is {item['ItemStatus']}")
        if item["_ItemClass"] != outpost["SupportedHardwareType"]:
            raise validation(f"{where}: catalog item {item['CatalogItemId']} is {item['_ItemClass']} hardware; "
                             f"Outpost {outpost['OutpostId']} takes {outpost['SupportedHardwareType']}")
        items.append({"CatalogItemId": item["CatalogItemId"], "Quantity": request["Quantity"],
                      "_Families": [c["Family"] for c in item.get("EC2Capacities", [])]})
    return items


def _check_quota(ctx: Context) -> None:
    limit = ctx.settings.max_open_orders
    open_orders = sum(lifecycle.is_open(o["_Anchor"], ctx.now) for o in ctx.tx.all(ORDER) if ctx.owns(o))
    if open_orders >= limit:
        raise ApiError("ServiceQuotaExceededException",
                       f"Account {ctx.account} already has {open_orders} open orders (the quota is {limit})")


def _new_order(
    ctx: Context, params: Params, outpost: Params, quote: Params | None, line_items: list[Params]
) -> Params:
    families = sorted({f for item in line_items for f in item.pop("_Families", [])})
    order: dict[str, Any] = {
        "OrderId": new_id("oo"),
        "OutpostId": outpost["OutpostId"],
        "OrderType": "OUTPOST",
        "PaymentOption": params["PaymentOption"],
        "LineItems": [{**item, "LineItemId": new_id("ooi")} for item in line_items],
        "OrderSubmissionDate": ctx.now,
        "_HardwareType": outpost["SupportedHardwareType"],
        "_InstanceFamilies": families,
        "_Anchor": lifecycle.start(ctx.now),
        "_AccountId": ctx.account,
    }
    if params.get("PaymentTerm"):
        order["PaymentTerm"] = params["PaymentTerm"]
    if quote is not None:
        order.update(QuoteIdentifier=quote["QuoteId"], QuoteOptionIdentifier=params["QuoteOptionIdentifier"])
    return order
