"""Quotes: their operations, expiry, ordering requirements, and ordering a quote option."""

from __future__ import annotations

import datetime

from pulumi_outposts_orders.aws.model import WIRE_RANGES
from pulumi_outposts_orders.emulator.clock import DAY
from pulumi_outposts_orders.emulator.domain import Context, Params
from pulumi_outposts_orders.emulator.errors import conflict, not_found, validation
from pulumi_outposts_orders.emulator.outposts import contracts, pricing
from pulumi_outposts_orders.emulator.outposts.identifiers import new_id, resolve
from pulumi_outposts_orders.emulator.outposts.inventory import find_outpost
from pulumi_outposts_orders.emulator.outposts.paging import paginate
from pulumi_outposts_orders.emulator.outposts.records import OUTPOST, QUOTE, SITE, Quote
from pulumi_outposts_orders.emulator.outposts.views import quote_summary, quote_view

QUOTE_VALID_DAYS = 30
_REQUESTS = ("CountryCode", "RequestedCapacities", "RequestedConstraints", "RequestedPaymentOptions",
             "RequestedPaymentTerms", "Description")


def find_quote(ctx: Context, identifier: str) -> Quote:
    """The caller's quote named by ID or ARN; NotFoundException if there is none (in its account)."""
    quote = Quote.load(ctx.find(QUOTE, resolve(identifier, "quote", ctx.region, ctx.account), f"Quote {identifier}"))
    if not ctx.owns(quote.account_id):
        raise not_found(f"Quote {identifier} does not exist")
    return quote


def save(ctx: Context, quote: Quote) -> None:
    """Store the quote."""
    ctx.tx.put(QUOTE, quote.quote_id, quote.dump())


def status(quote: Quote, now: float) -> str:
    """CREATED, ORDER_SUBMITTED, or EXPIRED (a CREATED quote past its ExpirationDate)."""
    if quote.status == "CREATED" and now >= quote.expires:
        return "EXPIRED"
    return quote.status


def view(ctx: Context, quote: Quote) -> Params:
    """The Quote as the API returns it now, with its OrderingRequirements."""
    return quote_view(ctx, quote, status(quote, ctx.now), _requirements(ctx, quote))


def new_quote(ctx: Context, quote_id: str, option_ids: list[str], outpost: Params | None, request: Params,
              created: float, expires: float) -> Quote:
    """A quote for ``request`` (CreateQuote members), with priced options."""
    hardware = outpost["SupportedHardwareType"] if outpost else "RACK"
    options = [
        pricing.quote_option(option_id, scale, hardware, request.get("RequestedCapacities", []),
                             request.get("RequestedPaymentOptions") or pricing.ALL_PAYMENT_OPTIONS,
                             request.get("RequestedPaymentTerms") or pricing.ALL_PAYMENT_TERMS)
        for option_id, scale in zip(option_ids, pricing.OPTION_SCALES, strict=True)
    ]
    return Quote(quote_id=quote_id, account_id=ctx.account, status="CREATED", created=created, expires=expires,
                 request={k: request[k] for k in _REQUESTS if k in request}, options=options,
                 outpost_id=outpost["OutpostId"] if outpost is not None else None)


def create_quote(ctx: Context, params: Params) -> Params:
    """CreateQuote: a quote valid for QUOTE_VALID_DAYS simulated days."""
    outpost = find_outpost(ctx, params["OutpostIdentifier"]) if params.get("OutpostIdentifier") else None
    _check_scaled_capacities(params.get("RequestedCapacities", []))
    option_ids = [new_id("oqo") for _ in pricing.OPTION_SCALES]
    quote = new_quote(ctx, new_id("oq"), option_ids, outpost, params, ctx.now, ctx.now + QUOTE_VALID_DAYS * DAY)
    save(ctx, quote)
    return {"Quote": view(ctx, quote)}


def get_quote(ctx: Context, params: Params) -> Params:
    """GetQuote."""
    return {"Quote": view(ctx, find_quote(ctx, params["QuoteIdentifier"]))}


def list_quotes(ctx: Context, params: Params) -> Params:
    """ListQuotes of the caller's account, oldest first (QuoteSummary has no OrderingRequirements)."""
    found = [q for q in map(Quote.load, ctx.tx.all(QUOTE)) if ctx.owns(q.account_id)]
    page, more = paginate("ListQuotes", found, params)
    return {"Quotes": [quote_summary(ctx, q, status(q, ctx.now)) for q in page], **more}


def update_quote(ctx: Context, params: Params) -> Params:
    """UpdateQuote: only a CREATED quote changes; its options are re-priced under new IDs."""
    quote = find_quote(ctx, params["QuoteIdentifier"])
    _require_open(quote, ctx.now, "updated")
    outpost_id = quote.outpost_id
    if "OutpostIdentifier" in params:
        given = params["OutpostIdentifier"]
        outpost_id = find_outpost(ctx, given)["OutpostId"] if given else None
    request = {**quote.request, **{k: params[k] for k in _REQUESTS if k in params}}
    outpost = ctx.tx.get(OUTPOST, outpost_id) if outpost_id else None
    _check_scaled_capacities(request.get("RequestedCapacities", []))
    option_ids = [new_id("oqo") for _ in pricing.OPTION_SCALES]
    updated = new_quote(ctx, quote.quote_id, option_ids, outpost, request, quote.created, quote.expires)
    save(ctx, updated)
    return {"Quote": view(ctx, updated)}


def delete_quote(ctx: Context, params: Params) -> Params:
    """DeleteQuote: a quote that became an order stays."""
    quote = find_quote(ctx, params["QuoteIdentifier"])
    if quote.status == "ORDER_SUBMITTED":
        raise validation(f"Quote {quote.quote_id} was ordered ({quote.submitted_order_id}) and cannot be deleted")
    ctx.tx.delete(QUOTE, quote.quote_id)
    return {}


def reserve_for_order(ctx: Context, params: Params, outpost: Params) -> tuple[Quote, int]:
    """The quote of an order from a quote option and the option's hardware units (one line item each),
    after checking every quote rule."""
    if not (params.get("QuoteIdentifier") and params.get("QuoteOptionIdentifier")):
        raise validation("QuoteIdentifier and QuoteOptionIdentifier must be given together")
    quote = find_quote(ctx, params["QuoteIdentifier"])
    quote_id = quote.quote_id
    if quote.status == "ORDER_SUBMITTED":
        raise conflict(f"Quote {quote_id} was already ordered: order {quote.submitted_order_id}", quote_id)
    _require_open(quote, ctx.now, "ordered")
    if quote.outpost_id != outpost["OutpostId"]:
        named = quote.outpost_id or "no Outpost"
        raise validation(f"Quote {quote_id} is for {named}, not Outpost {outpost['OutpostId']}")
    options = {o.option_id: o for o in quote.options}
    option = options.get(params["QuoteOptionIdentifier"])
    if option is None:
        raise validation(f"Quote option {params['QuoteOptionIdentifier']} does not belong to quote {quote_id}"
                         f" (its options: {', '.join(options)})")
    offered = [p["SubscriptionPricingDetails"] for p in option.offer["PricingOptions"]]
    if not any(p["PaymentOption"] == params["PaymentOption"]
               and params.get("PaymentTerm") in (None, p["PaymentTerm"]) for p in offered):
        raise validation(f"Quote option {option.option_id} is not priced for "
                         f"{params['PaymentOption']} / {params.get('PaymentTerm', 'any term')}")
    return quote, option.units


def mark_ordered(ctx: Context, quote: Quote, order_id: str) -> None:
    """Record that ``quote`` became ``order_id`` (a quote is ordered once)."""
    quote.status, quote.submitted_order_id = "ORDER_SUBMITTED", order_id
    save(ctx, quote)


def _check_scaled_capacities(capacities: list[Params]) -> None:
    """Each option scales the requested capacities; every scaled quantity must still fit its wire type."""
    scale, (_, largest, wire) = max(pricing.OPTION_SCALES), WIRE_RANGES["float"]
    for index, capacity in enumerate(capacities):
        quantity = capacity.get("Quantity")
        if quantity is not None and abs(quantity) * scale > largest:
            raise validation(f"RequestedCapacities[{index}].Quantity is too large to quote ({quantity!r}): its "
                             f"{scale}-unit option would offer {quantity * scale!r}, beyond {wire}")


def _require_open(quote: Quote, now: float, action: str) -> None:
    state = status(quote, now)
    if state == "EXPIRED":
        expired = datetime.datetime.fromtimestamp(quote.expires, datetime.UTC).isoformat()
        raise validation(f"Quote {quote.quote_id} expired on {expired} and cannot be {action}")
    if state != "CREATED":
        raise validation(f"Quote {quote.quote_id} is {state} and cannot be {action}")


def _requirements(ctx: Context, quote: Quote) -> list[Params]:
    """OrderingRequirements: the checks an order from this quote must pass (the renewal check:
    ``contracts.renewal_requirement``)."""
    outpost = ctx.tx.get(OUTPOST, quote.outpost_id) if quote.outpost_id else None
    if outpost is None:
        return [_requirement("OUTPOST_ID_MISSING_ON_QUOTE_ERROR", False, "The quote names no Outpost")]
    site = ctx.tx.get(SITE, outpost["SiteId"]) or {}
    country = site.get("OperatingAddressCountryCode")
    renewed, renewal_message = contracts.renewal_requirement(contracts.load(ctx, outpost))
    return [
        _requirement("OUTPOST_ID_MISSING_ON_QUOTE_ERROR", True, "The quote names an Outpost"),
        _requirement("OUTPOST_ACTIVE_CHECK_ERROR", outpost["LifeCycleStatus"] == "ACTIVE",
                     f"Outpost {outpost['OutpostId']} is {outpost['LifeCycleStatus']}"),
        _requirement("COUNTRY_CODE_MISMATCH_CHECK_ERROR", country in (None, quote.request.get("CountryCode")),
                     f"The site is in {country}, the quote in {quote.request.get('CountryCode')}"),
        _requirement("OUTPOST_RENEWAL_REQUIRED_ERROR", renewed, renewal_message),
    ]


def _requirement(kind: str, passed: bool, message: str) -> Params:
    return {"OrderingRequirementType": kind, "Status": "PASS" if passed else "FAIL", "StatusMessage": message}
