"""Orders: CreateOrder's rules, GetOrder, ListOrders and CancelOrder (views: ``views``)."""

from __future__ import annotations

from pulumi_outposts_orders.emulator.domain import Context, Params
from pulumi_outposts_orders.emulator.errors import ApiError, conflict, not_found, validation
from pulumi_outposts_orders.emulator.outposts import contracts, lifecycle, quotes
from pulumi_outposts_orders.emulator.outposts.identifiers import new_id
from pulumi_outposts_orders.emulator.outposts.inventory import find_catalog_item, find_outpost
from pulumi_outposts_orders.emulator.outposts.paging import paginate
from pulumi_outposts_orders.emulator.outposts.records import ORDER, LineItem, Order, Quote
from pulumi_outposts_orders.emulator.outposts.views import order_summary, order_view


def find_order(ctx: Context, order_id: str) -> Order:
    """The caller's order; NotFoundException if there is none (in the caller's account)."""
    order = Order.load(ctx.find(ORDER, order_id, f"Order {order_id}"))
    if not ctx.owns(order.account_id):
        raise not_found(f"Order {order_id} does not exist")
    return order


def save(ctx: Context, order: Order) -> None:
    """Store the order (under its Outpost)."""
    ctx.tx.put(ORDER, order.order_id, order.dump(), parent=order.outpost_id)


def create_order(ctx: Context, params: Params) -> Params:
    """CreateOrder: checks every rule, then stores the order and its CAPACITY_INCREASE subscription (and marks
    its quote as ordered)."""
    outpost = find_outpost(ctx, params["OutpostIdentifier"])
    if outpost["LifeCycleStatus"] != "ACTIVE":
        raise conflict(f"Outpost {outpost['OutpostId']} is not active (it is {outpost['LifeCycleStatus']})",
                       outpost["OutpostId"], "OUTPOST")
    quote: Quote | None
    requested: list[tuple[str | None, int]]
    families: list[str]
    if params.get("QuoteIdentifier") or params.get("QuoteOptionIdentifier"):
        if params.get("LineItems"):
            raise validation("LineItems cannot be combined with QuoteIdentifier: the quote option defines them")
        quote, units = quotes.reserve_for_order(ctx, params, outpost)
        requested, families = [(None, 1)] * units, []
    elif params.get("LineItems"):
        quote, (requested, families) = None, _catalog_line_items(ctx, params["LineItems"], outpost)
    else:
        raise validation("An order needs either LineItems or QuoteIdentifier with QuoteOptionIdentifier")
    _check_quota(ctx)
    order = Order(
        order_id=new_id("oo"), outpost_id=outpost["OutpostId"], payment_option=params["PaymentOption"],
        line_items=[LineItem(new_id("ooi"), quantity, item_id) for item_id, quantity in requested],
        submitted=ctx.now, hardware_type=outpost["SupportedHardwareType"], instance_families=families,
        anchor=lifecycle.start(ctx.now), account_id=ctx.account, payment_term=params.get("PaymentTerm") or None,
        quote_id=quote.quote_id if quote else None,
        quote_option_id=params["QuoteOptionIdentifier"] if quote else None,
    )
    save(ctx, order)
    contracts.open_capacity_increase(ctx, order)
    if quote is not None:
        quotes.mark_ordered(ctx, quote, order.order_id)
    return {"Order": order_view(order, ctx.now)}


def get_order(ctx: Context, params: Params) -> Params:
    """GetOrder."""
    return {"Order": order_view(find_order(ctx, params["OrderId"]), ctx.now)}


def list_orders(ctx: Context, params: Params) -> Params:
    """ListOrders of the caller's account, optionally of one Outpost (ID or ARN), oldest first."""
    outpost_id = None
    if params.get("OutpostIdentifierFilter"):
        outpost_id = find_outpost(ctx, params["OutpostIdentifierFilter"])["OutpostId"]
    found = [o for o in map(Order.load, ctx.tx.all(ORDER, parent=outpost_id)) if ctx.owns(o.account_id)]
    page, more = paginate("ListOrders", found, params)
    return {"Orders": [order_summary(o, ctx.now) for o in page], **more}


def cancel_order(ctx: Context, params: Params) -> Params:
    """CancelOrder: only a PREPARING order can be cancelled; anything else is a ConflictException."""
    order = find_order(ctx, params["OrderId"])
    status = lifecycle.position(order.anchor, ctx.now).order_status
    if status not in lifecycle.CANCELLABLE_STATUSES:
        raise conflict(f"Order {order.order_id} is {status} and can no longer be cancelled", order.order_id, "ORDER")
    set_status(ctx, order, "CANCELLED")
    return {}


def set_status(ctx: Context, order: Order, status: str) -> Params:
    """Move the order to ``status`` now (its line items follow); returns the new view."""
    order.anchor = lifecycle.force(order.anchor, status, ctx.now)
    save(ctx, order)
    return order_view(order, ctx.now)


def _catalog_line_items(ctx: Context, requested: list[Params],
                        outpost: Params) -> tuple[list[tuple[str | None, int]], list[str]]:
    """(catalog item, quantity) per line item, and the EC2 families they provide: each item exists, is
    AVAILABLE and fits the Outpost's hardware; at most ``max_units_per_order`` units in all (each unit
    becomes an asset in every GetOrder)."""
    limit, units = ctx.settings.max_units_per_order, 0
    for index, request in enumerate(requested):
        units += request["Quantity"]
        if units > limit:
            raise validation(f"LineItems[{index}].Quantity brings the order to {units} units; the emulator takes "
                             f"at most {limit} units per order (--max-units-per-order)")
    items: list[tuple[str | None, int]] = []
    families: set[str] = set()
    for index, request in enumerate(requested):
        item = find_catalog_item(ctx, request["CatalogItemId"])
        where = f"LineItems[{index}].CatalogItemId"
        if item.item["ItemStatus"] != "AVAILABLE":
            raise validation(f"{where}: catalog item {item.item_id} is {item.item['ItemStatus']}")
        if item.item_class != outpost["SupportedHardwareType"]:
            raise validation(f"{where}: catalog item {item.item_id} is {item.item_class} hardware; "
                             f"Outpost {outpost['OutpostId']} takes {outpost['SupportedHardwareType']}")
        items.append((item.item_id, request["Quantity"]))
        families.update(item.families)
    return items, sorted(families)


def _check_quota(ctx: Context) -> None:
    limit = ctx.settings.max_open_orders
    open_orders = sum(lifecycle.is_open(o.anchor, ctx.now) for o in map(Order.load, ctx.tx.all(ORDER))
                      if ctx.owns(o.account_id))
    if open_orders >= limit:
        raise ApiError("ServiceQuotaExceededException",
                       f"Account {ctx.account} already has {open_orders} open orders (the quota is {limit})")

