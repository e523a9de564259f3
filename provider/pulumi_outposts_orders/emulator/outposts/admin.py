"""The Outposts endpoints of the admin API: forcing an order's status, setting an Outpost's contract, billing.

- ``POST /_emulator/orders/{OrderId}/status`` ``{"status": S}`` -> ``{"OrderId", "Status"}``: the
  order (of any account) and its line items move to S now, and continue along the lifecycle
  schedule from that status's first day (``lifecycle.force``). S is one of
  ``lifecycle.FORCEABLE_STATUSES`` (else 400); an unknown order is 404.
- ``POST /_emulator/outposts/{OutpostId}/contract`` with any of ``{"end_date", "payment_term",
  "payment_option", "renewal_pricing"}`` -> the contract (``contract_view``): sets the Outpost's
  ORIGINAL subscription (every account's). ``end_date`` is ``YYYY-MM-DD`` (midnight UTC), an ISO 8601
  time, or epoch seconds, after its BeginDate; the renewals and capacity increases after it follow
  (``contracts``). ``payment_term``/``payment_option`` change what it says, not its dates.
  ``renewal_pricing`` is PRICED or UNABLE_TO_PRICE (GetRenewalPricing's PricingResult for an ACTIVE
  Outpost). Invalid values are 400; an unknown Outpost is 404.
- ``GET /_emulator/outposts/{OutpostId}/billing`` -> ``{"OutpostId", "RenewalPricing", "Subscriptions"}``:
  every stored subscription of the Outpost, of every account (``AccountId``; ``null`` for the ORIGINAL),
  with its type, status and dates now (epoch seconds), payment choice, prices and OrderIds.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from werkzeug.wrappers import Request

from pulumi_outposts_orders.emulator.admin import AdminError, AdminRoute, json_body
from pulumi_outposts_orders.emulator.domain import Context, Params, Service
from pulumi_outposts_orders.emulator.outposts import contracts, lifecycle, orders, pricing
from pulumi_outposts_orders.emulator.outposts.inventory import find_outpost
from pulumi_outposts_orders.emulator.outposts.records import ORDER, SUBSCRIPTION, Order, Subscription

_ORDER_STATUS = re.compile(r"orders/(?P<order_id>[^/]+)/status")
_CONTRACT = re.compile(r"outposts/(?P<outpost_id>[^/]+)/contract")
_BILLING = re.compile(r"outposts/(?P<outpost_id>[^/]+)/billing")
_CONTRACT_FIELDS = ("end_date", "payment_term", "payment_option", "renewal_pricing")


def routes(service: Service) -> tuple[AdminRoute, ...]:
    """The Outposts admin endpoints, served by the emulator's admin API over ``service``."""

    def order_status(found: re.Match[str], request: Request) -> Params:
        return force_status(service, found["order_id"], json_body(request).get("status"))

    def contract(found: re.Match[str], request: Request) -> Params:
        return set_contract(service, found["outpost_id"], json_body(request))

    def billing(found: re.Match[str], _: Request) -> Params:
        return stored_billing(service, found["outpost_id"])

    return (AdminRoute("POST", _ORDER_STATUS, order_status), AdminRoute("POST", _CONTRACT, contract),
            AdminRoute("GET", _BILLING, billing))


def force_status(service: Service, order_id: str, status: Any) -> Params:
    """Force the order (of any account) into ``status``: its ID and new status."""
    if status not in lifecycle.FORCEABLE_STATUSES:
        raise AdminError(400, f"status must be one of {', '.join(lifecycle.FORCEABLE_STATUSES)}")

    def force(ctx: Context, _: Params) -> Params:
        order = Order.load(ctx.find(ORDER, order_id, f"Order {order_id}"))  # of any account
        view = orders.set_status(ctx, order, status)
        return {"OrderId": view["OrderId"], "Status": view["Status"]}

    return service.run(force, {})


def set_contract(service: Service, outpost_id: str, body: dict[str, Any]) -> Params:
    """Set the Outpost's ORIGINAL subscription from the admin request ``body``; the contract as it is then."""
    unknown = sorted(set(body) - set(_CONTRACT_FIELDS))
    if unknown:
        raise AdminError(400, f"unknown fields {', '.join(unknown)}: a contract takes {', '.join(_CONTRACT_FIELDS)}")
    _check_choice(body, "payment_term", pricing.ALL_PAYMENT_TERMS)
    _check_choice(body, "payment_option", pricing.ALL_PAYMENT_OPTIONS)
    _check_choice(body, "renewal_pricing", (contracts.PRICED, contracts.UNABLE_TO_PRICE))
    end = _moment(body["end_date"]) if body.get("end_date") is not None else None

    def update(ctx: Context, _: Params) -> Params:
        original = contracts.original_of(ctx, find_outpost(ctx, outpost_id))
        if end is not None:
            if original.begin is not None and end <= original.begin:
                raise AdminError(400, f"end_date must be after the contract's BeginDate "
                                      f"({contracts.iso_date(original.begin)})")
            original.end = end
        original.payment_term = body.get("payment_term") or original.payment_term
        original.payment_option = body.get("payment_option") or original.payment_option
        original.renewal_pricing = body.get("renewal_pricing") or original.renewal_pricing
        contracts.save(ctx, original)
        return contract_view(original)

    return service.run(update, {})


def stored_billing(service: Service, outpost_id: str) -> Params:
    """Every stored subscription of the Outpost, of every account, dated now as its account sees it."""

    def read(ctx: Context, _: Params) -> Params:
        outpost = find_outpost(ctx, outpost_id)
        original = contracts.original_of(ctx, outpost)
        stored = [Subscription.load(s) for s in ctx.tx.all(SUBSCRIPTION, parent=outpost["OutpostId"])]
        accounts = dict.fromkeys([s.account_id or ctx.settings.account for s in stored
                                  if s.subscription_type != contracts.ORIGINAL] or [ctx.settings.account])
        dated: dict[str, tuple[str | None, contracts.Dated]] = {}
        for account in accounts:
            for subscription in contracts.load(ctx, outpost, account).subscriptions:
                owner = None if subscription.kind == contracts.ORIGINAL else account
                dated.setdefault(subscription.subscription.subscription_id, (owner, subscription))
        return {"OutpostId": outpost["OutpostId"], "RenewalPricing": original.renewal_pricing or contracts.PRICED,
                "Subscriptions": [_admin_view(*entry) for entry in dated.values()]}

    return service.run(read, {})


def contract_view(original: Subscription) -> Params:
    """The admin API's view of an Outpost's contract (its ORIGINAL subscription)."""
    assert original.end is not None
    return {"OutpostId": original.outpost_id, "SubscriptionId": original.subscription_id,
            "BeginDate": original.begin, "EndDate": original.end, "ContractEndDate": contracts.iso_date(original.end),
            "PaymentTerm": original.payment_term, "PaymentOption": original.payment_option,
            "RenewalPricing": original.renewal_pricing or contracts.PRICED}


def _admin_view(account: str | None, dated: contracts.Dated) -> Params:
    subscription = dated.subscription
    return {"SubscriptionId": subscription.subscription_id, "SubscriptionType": dated.kind, "AccountId": account,
            "SubscriptionStatus": dated.status, "BeginDate": dated.begin, "EndDate": dated.end,
            "PaymentTerm": subscription.payment_term, "PaymentOption": subscription.payment_option,
            "UpfrontPrice": subscription.upfront_price, "MonthlyRecurringPrice": subscription.monthly_price,
            "OrderIds": subscription.order_ids, "ClientToken": subscription.client_token}


def _check_choice(body: dict[str, Any], key: str, allowed: tuple[str, ...]) -> None:
    if body.get(key) is not None and body[key] not in allowed:
        raise AdminError(400, f"{key} must be one of {', '.join(allowed)} (got {body[key]!r})")


def _moment(value: Any) -> float:
    """Epoch seconds of ``value``: a number, ``YYYY-MM-DD`` (midnight UTC) or an ISO 8601 time (UTC if naive)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            return (moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)).timestamp()
    raise AdminError(400, f"end_date must be YYYY-MM-DD, an ISO 8601 time or epoch seconds (got {value!r})")
