"""Wire views: each API shape the emulator returns, built from the domain records in one place.

A view holds only members of its API shape; the records' own state (``records``) is read, never
copied. Views that depend on the caller (ARNs, OwnerId, AccountId) take the operation's context;
views that move with the clock (an order's status, a quote's expiry) take simulated ``now``, or a
subscription already dated at it (``contracts.Dated``).
"""

from __future__ import annotations

from collections import Counter

from pulumi_outposts_orders.emulator.domain import Context, Params
from pulumi_outposts_orders.emulator.outposts import assets, lifecycle
from pulumi_outposts_orders.emulator.outposts.contracts import CAPACITY_INCREASE, Dated
from pulumi_outposts_orders.emulator.outposts.identifiers import arn
from pulumi_outposts_orders.emulator.outposts.records import CatalogItem, Order, Quote, Subscription


def outpost_arn(ctx: Context, outpost_id: str) -> str:
    """The Outpost's ARN in the caller's region and account."""
    return arn(ctx.region, ctx.account, "outpost", outpost_id)


def outpost_view(ctx: Context, outpost: Params) -> Params:
    """Outpost: the stored Outpost (API members only) with the caller's ARNs and Availability Zone."""
    return {
        **outpost,
        "OwnerId": ctx.account,
        "OutpostArn": outpost_arn(ctx, outpost["OutpostId"]),
        "SiteArn": arn(ctx.region, ctx.account, "site", outpost["SiteId"]),
        "AvailabilityZone": f"{ctx.region}a",
        "AvailabilityZoneId": f"{_region_code(ctx.region)}-az1",
    }


def site_view(ctx: Context, site: Params) -> Params:
    """Site: the stored site (API members only) with the caller's account and ARN."""
    return {**site, "AccountId": ctx.account, "SiteArn": arn(ctx.region, ctx.account, "site", site["SiteId"])}


def catalog_item_view(item: CatalogItem) -> Params:
    """CatalogItem."""
    return dict(item.item)


def order_view(order: Order, now: float) -> Params:
    """Order at simulated time ``now``: statuses from the lifecycle, shipments and assets once built."""
    position = lifecycle.position(order.anchor, now)
    items = []
    for item in order.line_items:
        view: Params = {"CatalogItemId": item.catalog_item_id} if item.catalog_item_id is not None else {}
        view.update(Quantity=item.quantity, LineItemId=item.line_item_id, Status=position.line_item_status)
        if position.built:
            view["ShipmentInformation"] = assets.shipment(item.line_item_id, order.hardware_type)
            view["AssetInformationList"] = assets.line_item_assets(item.line_item_id, item.quantity)
        items.append(view)
    found: Params = {"OrderId": order.order_id, "OutpostId": order.outpost_id, "OrderType": order.order_type,
                     "PaymentOption": order.payment_option, "LineItems": items,
                     "OrderSubmissionDate": order.submitted, "Status": position.order_status}
    if order.payment_term:
        found["PaymentTerm"] = order.payment_term
    if order.quote_id is not None:
        found.update(QuoteIdentifier=order.quote_id, QuoteOptionIdentifier=order.quote_option_id)
    if position.fulfilled_at is not None:
        found["OrderFulfilledDate"] = position.fulfilled_at
    return found


def order_summary(order: Order, now: float) -> Params:
    """OrderSummary (ListOrders)."""
    view = order_view(order, now)
    counts = Counter(item["Status"] for item in view["LineItems"])
    keys = ("OutpostId", "OrderId", "OrderType", "Status", "OrderSubmissionDate", "OrderFulfilledDate")
    return {**{k: view[k] for k in keys if k in view}, "LineItemCountsByStatus": dict(counts)}


def quote_summary(ctx: Context, quote: Quote, status: str) -> Params:
    """QuoteSummary (ListQuotes): the quote without OrderingRequirements; ``status`` as of now."""
    view: Params = {"QuoteId": quote.quote_id, **({"AccountId": quote.account_id} if quote.account_id else {}),
                    "QuoteStatus": status,
                    "CreatedDate": quote.created, "ExpirationDate": quote.expires, **quote.request,
                    "QuoteOptions": [{"QuoteOptionIdentifier": o.option_id, **o.offer} for o in quote.options]}
    if quote.submitted_order_id is not None:
        view["SubmittedOrderId"] = quote.submitted_order_id
    if quote.outpost_id:
        view["OutpostArn"] = outpost_arn(ctx, quote.outpost_id)
    return view


def quote_view(ctx: Context, quote: Quote, status: str, requirements: list[Params]) -> Params:
    """Quote (GetQuote, CreateQuote, UpdateQuote): the summary with its OrderingRequirements."""
    return {**quote_summary(ctx, quote, status), "OrderingRequirements": requirements}


def subscription_view(dated: Dated) -> Params:
    """Subscription (GetOutpostBillingInformation): dates and status as dated; OrderIds of a capacity increase."""
    subscription = dated.subscription
    view: Params = {"SubscriptionId": subscription.subscription_id, "SubscriptionType": dated.kind,
                    "SubscriptionStatus": dated.status}
    if dated.kind == CAPACITY_INCREASE:
        view["OrderIds"] = list(subscription.order_ids)
    return {**view, "BeginDate": dated.begin, "EndDate": dated.end, "Currency": "USD",
            "MonthlyRecurringPrice": subscription.monthly_price, "UpfrontPrice": subscription.upfront_price}


def renewal_view(renewal: Subscription) -> Params:
    """CreateRenewal's answer: the renewal's payment choice, Outpost and prices."""
    return {"PaymentOption": renewal.payment_option, "PaymentTerm": renewal.payment_term,
            "OutpostId": renewal.outpost_id, "UpfrontPrice": renewal.upfront_price,
            "MonthlyRecurringPrice": renewal.monthly_price, "Currency": "USD"}


def pricing_option(details: Params) -> Params:
    """PricingOption of SubscriptionPricingDetails."""
    return {"PricingType": "SUBSCRIPTION", "SubscriptionPricingDetails": details}


def _region_code(region: str) -> str:
    """A short code for the region, as in Availability Zone IDs (us-east-1 -> use1)."""
    parts = region.split("-")
    return parts[0] + "".join(p[0] for p in parts[1:-1]) + parts[-1] if len(parts) > 1 else region
