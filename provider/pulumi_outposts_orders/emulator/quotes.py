"""Quotes: their operations, expiry, ordering requirements, and ordering a quote option."""

from __future__ import annotations

import datetime
from typing import Any

from .._model import WIRE_RANGES
from . import pricing
from .clock import DAY
from .domain import OUTPOST, QUOTE, SITE, Context, Params
from .errors import conflict, not_found, validation
from .identifiers import new_id, resolve
from .inventory import find_outpost, outpost_arn
from .paging import paginate

QUOTE_VALID_DAYS = 30
_REQUESTS = ("CountryCode", "RequestedCapacities", "RequestedConstraints", "RequestedPaymentOptions",
             "RequestedPaymentTerms", "Description")


def find_quote(ctx: Context, identifier: str) -> Params:
    """The caller's stored quote named by ID or ARN; NotFoundException if there is none (in its account)."""
    quote = ctx.find(QUOTE, resolve(identifier, "quote", ctx.region, ctx.account), f"Quote {identifier}")
    if not ctx.owns(quote, "AccountId"):
        raise not_found(f"Quote {identifier} does not exist")
    return quote


def status(quote: Params, now: float) -> str:
    """CREATED, ORDER_SUBMITTED, or EXPIRED (a CREATED quote past its ExpirationDate)."""
    if quote["QuoteStatus"] == "CREATED" and now >= quote["ExpirationDate"]:
        return "EXPIRED"
    return str(quote["QuoteStatus"])


def quote_view(ctx: Context, quote: Params) -> Params:
    """The Quote as the API returns it."""
    view = {**quote, "QuoteStatus": status(quote, ctx.now), "OrderingRequirements": _requirements(ctx, quote)}
    if quote.get("_OutpostId"):
        view["OutpostArn"] = outpost_arn(ctx, quote["_OutpostId"])
    return view


def new_quote(ctx: Context, quote_id: str, option_ids: list[str], outpost: Params | None, request: Params,
              created: float, expires: float) -> Params:
    """A quote document for ``request`` (CreateQuote members), with priced options."""
    quote: dict[str, Any] = {"QuoteId": quote_id, "AccountId": ctx.account, "QuoteStatus": "CREATED",
                             "CreatedDate": created, "ExpirationDate": expires}
    quote.update({k: request[k] for k in _REQUESTS if k in request})
    if outpost is not None:
        quote["_OutpostId"] = outpost["OutpostId"]
    hardware = outpost["SupportedHardwareType"] if outpost else "RACK"
    quote["QuoteOptions"] = [
        pricing.quote_option(option_id, scale, hardware, request.get("RequestedCapacities", []),
                             request.get("RequestedPaymentOptions") or pricing.ALL_PAYMENT_OPTIONS,
                             request.get("RequestedPaymentTerms") or pricing.ALL_PAYMENT_TERMS)
        for option_id, scale in zip(option_ids, pricing.OPTION_SCALES, strict=True)
    ]
    return quote


def create_quote(ctx: Context, params: Params) -> Params:
    """CreateQuote: a quote valid for QUOTE_VALID_DAYS simulated days."""
    outpost = find_outpost(ctx, params["OutpostIdentifier"]) if params.get("OutpostIdentifier") else None
    _check_scaled_capacities(params.get("RequestedCapacities", []))
    option_ids = [new_id("oqo") for _ in pricing.OPTION_SCALES]
    quote = new_quote(ctx, new_id("oq"), option_ids, outpost, params, ctx.now, ctx.now + QUOTE_VALID_DAYS * DAY)
    ctx.tx.put(QUOTE, quote["QuoteId"], quote)
    return {"Quote": quote_view(ctx, quote)}


def get_quote(ctx: Context, params: Params) -> Params:
    """GetQuote."""
    return {"Quote": quote_view(ctx, find_quote(ctx, params["QuoteIdentifier"]))}


def list_quotes(ctx: Context, params: Params) -> Params:
    """ListQuotes of the caller's account, oldest first (QuoteSummary has no OrderingRequirements)."""
    page, more = paginate("ListQuotes", [q for q in ctx.tx.all(QUOTE) if ctx.owns(q, "AccountId")], params)
    summaries = [{k: v for k, v in quote_view(ctx, q).items() if k != "OrderingRequirements"} for q in page]
    return {"Quotes": summaries, **more}


def update_quote(ctx: Context, params: Params) -> Params:
    """UpdateQuote: only a CREATED quote changes; its options are re-priced under new IDs."""
    quote = find_quote(ctx, params["QuoteIdentifier"])
    _require_open(quote, ctx.now, "updated")
    outpost_id = quote.get("_OutpostId")
    if "OutpostIdentifier" in params:
        given = params["OutpostIdentifier"]
        outpost_id = find_outpost(ctx, given)["OutpostId"] if given else None
    request = {**{k: quote[k] for k in _REQUESTS if k in quote}, **{k: params[k] for k in _REQUESTS if k in params}}
    outpost = ctx.tx.get(OUTPOST, outpost_id) if outpost_id else None
    _check_scaled_capacities(request.get("RequestedCapacities", []))
    option_ids = [new_id("oqo") for _ in pricing.OPTION_SCALES]
    updated = new_quote(ctx, quote["QuoteId"], option_ids, outpost, request, quote["CreatedDate"],
                        quote["ExpirationDate"])
    ctx.tx.put(QUOTE, quote["QuoteId"], updated)
    return {"Quote": quote_view(ctx, updated)}


def delete_quote(ctx: Context, params: Params) -> Params:
    """DeleteQuote: a quote that became an order stays."""
    quote = find_quote(ctx, params["QuoteIdentifier"])
    if quote["QuoteStatus"] == "ORDER_SUBMITTED":
        raise validation(f"Quote {quote['QuoteId']} was ordered ({quote['SubmittedOrderId']}) and cannot be deleted")
    ctx.tx.delete(QUOTE, quote["QuoteId"])
    return {}


def reserve_for_order(ctx: Context, params: Params, outpost: Params) -> tuple[Params, list[Params]]:
    """The quote and line items of an order from a quote option, after checking every quote rule."""
    if not (params.get("QuoteIdentifier") and params.get("QuoteOptionIdentifier")):
        raise validation("QuoteIdentifier and QuoteOptionIdentifier must be given together")
    quote = find_quote(ctx, params["QuoteIdentifier"])
    quote_id = quote["QuoteId"]
    if quote["QuoteStatus"] == "ORDER_SUBMITTED":
        raise conflict(f"Quote {quote_id} was already ordered: order {quote['SubmittedOrderId']}", quote_id)
    _require_open(quote, ctx.now, "ordered")
    if quote.get("_OutpostId") != outpost["OutpostId"]:
        named = quote.get("_OutpostId") or "no Outpost"
        raise validation(f"Quote {quote_id} is for {named}, not Outpost {outpost['OutpostId']}")
    options = {o["QuoteOptionIdentifier"]: o for o in quote["QuoteOptions"]}
    option = options.get(params["QuoteOptionIdentifier"])
    if option is None:
        raise validation(f"Quote option {params['QuoteOptionIdentifier']} does not belong to quote {quote_id}"
                         f" (its options: {', '.join(options)})")
    offered = [p["SubscriptionPricingDetails"] for p in option["PricingOptions"]]
    if not any(p["PaymentOption"] == params["PaymentOption"]
               and params.get("PaymentTerm") in (None, p["PaymentTerm"]) for p in offered):
        raise validation(f"Quote option {option['QuoteOptionIdentifier']} is not priced for "
                         f"{params['PaymentOption']} / {params.get('PaymentTerm', 'any term')}")
    return quote, [dict(item) for item in option["_LineItems"]]


def mark_ordered(ctx: Context, quote: Params, order_id: str) -> None:
    """Record that ``quote`` became ``order_id`` (a quote is ordered once)."""
    quote.update(QuoteStatus="ORDER_SUBMITTED", SubmittedOrderId=order_id)
    ctx.tx.put(QUOTE, quote["QuoteId"], quote)


def _check_scaled_capacities(capacities: list[Params]) -> None:
    """Each option scales the requested capacities; every scaled quantity must still fit its wire type."""
    scale, (_, largest, wire) = max(pricing.OPTION_SCALES), WIRE_RANGES["float"]
    for index, capacity in enumerate(capacities):
        quantity = capacity.get("Quantity")
        if quantity is not None and abs(quantity) * scale > largest:
            raise validation(f"RequestedCapacities[{index}].Quantity is too large to quote ({quantity!r}): its "
                             f"{scale}-unit option would offer {quantity * scale!r}, beyond {wire}")


def _require_open(quote: Params, now: float, action: str) -> None:
    state = status(quote, now)
    if state == "EXPIRED":
        expired = datetime.datetime.fromtimestamp(quote["ExpirationDate"], datetime.UTC).isoformat()
        raise validation(f"Quote {quote['QuoteId']} expired on {expired} and cannot be {action}")
    if state != "CREATED":
        raise validation(f"Quote {quote['QuoteId']} is {state} and cannot be {action}")


def _requirements(ctx: Context, quote: Params) -> list[Params]:
    """OrderingRequirements: the checks an order from this quote must pass."""
    outpost = ctx.tx.get(OUTPOST, quote["_OutpostId"]) if quote.get("_OutpostId") else None
    if outpost is None:
        return [_requirement("OUTPOST_ID_MISSING_ON_QUOTE_ERROR", False, "The quote names no Outpost")]
    site = ctx.tx.get(SITE, outpost["SiteId"]) or {}
    country = site.get("OperatingAddressCountryCode")
    return [
        _requirement("OUTPOST_ID_MISSING_ON_QUOTE_ERROR", True, "The quote names an Outpost"),
        _requirement("OUTPOST_ACTIVE_CHECK_ERROR", outpost["LifeCycleStatus"] == "ACTIVE",
                     f"Outpost {outpost['OutpostId']} is {outpost['LifeCycleStatus']}"),
        _requirement("COUNTRY_CODE_MISMATCH_CHECK_ERROR", country in (None, quote.get("CountryCode")),
                     f"The site is in {country}, the quote in {quote.get('CountryCode')}"),
    ]


def _requirement(kind: str, passed: bool, message: str) -> Params:
    return {"OrderingRequirementType": kind, "Status": "PASS" if passed else "FAIL", "StatusMessage": message}
