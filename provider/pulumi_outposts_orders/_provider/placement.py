"""Placing an order at most once: CreateOrder, the attempt journal, and reconciliation.

CreateOrder has no idempotency token. The rules, in the order they apply:

1. Price expectations (quote orders with ``expected_price``): one GetQuote; a different price for
   the chosen payment option and term refuses the order before anything is sent.
2. An earlier attempt of the same resource with the same parameters (see ``attempts``) is settled
   first: a ``placed`` order is adopted; a ``sending`` attempt is reconciled as in rule 4.
3. CreateOrder is sent once. A throttling answer proves the request was refused: it is re-sent after
   a backoff, within a bound. Any other 4xx is final: nothing was placed.
4. Any other failure (5xx, timeout, closed connection) leaves the outcome unknown. Reconciliation:
   - quote orders: the quote records its order (``ORDER_SUBMITTED`` + ``SubmittedOrderId``);
   - line-item orders: ListOrders for the Outpost, orders submitted since the attempt began, each
     checked with GetOrder for the same line items and payment; orders that other resources placed
     (per the journal) are never candidates.
   Before looking, it waits (bounded) for this machine's other CreateOrder calls still in flight, so
   that their orders are claimed first: identical resources placed concurrently each keep their own.
   Exactly one match is adopted. None: CreateOrder is sent again (bounded). Several: fail, listing them.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from .. import _aws
from .._errors import OrderError, describe, error_code, refused_before_placing
from .attempts import Attempt, Journal, digest
from .finders import find_order, find_quote
from .order_inputs import canonical_id

THROTTLING_CODES = frozenset({"ThrottlingException", "TooManyRequestsException", "Throttling", "RequestLimitExceeded"})
MAX_THROTTLED_SENDS = 8  # CreateOrder answers "throttled" at most this many times before we give up
MAX_UNKNOWN_OUTCOMES = 3  # CreateOrder outcomes we cannot know before we stop and ask the user
CLOCK_SKEW_S = 300.0  # how far the AWS clock may lag ours when looking for orders "since the attempt"
SETTLE_S = 2.0  # a second look after this long, before concluding that nothing was placed
IN_FLIGHT_WAIT_S = 120.0  # longest wait for other in-flight CreateOrder calls before reconciling
POLL_S = 0.1

Sleep = Callable[[float], None]


def place(
    target: _aws.Target,
    params: Mapping[str, Any],
    key: str,
    expected_price: Mapping[str, Any] | None = None,
    journal: Journal | None = None,
    sleep: Sleep = time.sleep,
) -> dict[str, Any]:
    """Place the order described by CreateOrder ``params`` for resource ``key``, at most once."""
    journal = journal or Journal()
    if expected_price is not None:
        check_price(target, params, expected_price)
    params_digest = digest(params)
    earlier = journal.get(key)
    if earlier is not None and earlier.digest == params_digest and earlier.state != "recorded":
        found = _settle_earlier(target, params, earlier, journal)
        if found is not None:
            return found
    unknown: list[BaseException] = []
    while len(unknown) < MAX_UNKNOWN_OUTCOMES:
        attempt = journal.begin(key, params_digest)
        try:
            order = _send(target, params, sleep)
        except _Refused as refused:
            journal.discard(key)
            raise refused.error from refused.error.__cause__
        except _Unknown as outcome:
            unknown.append(outcome.cause)
            attempt = journal.unsure(attempt)
            found = _reconcile(target, params, attempt, journal, sleep)
            if found is not None:
                journal.placed(attempt, found["OrderId"])
                return found
            continue
        journal.placed(attempt, order["OrderId"])
        return order
    last = describe(unknown[-1], "CreateOrder", _subject(params), target)
    raise OrderError(
        f"{last} The outcome of CreateOrder stayed unknown {len(unknown)} times and no order "
        "matching this one was found afterwards, so nothing more was sent. List the Outpost's orders "
        "before running the update again; adopt one with `adopt_order_id` if it is this order."
    )


# --- rule 1: price expectations ------------------------------------------------------------------------
def check_price(target: _aws.Target, params: Mapping[str, Any], expected: Mapping[str, Any]) -> None:
    """Refuse (placing nothing) when the quote's price differs from ``expected``."""
    quote_id = str(params["QuoteIdentifier"])
    quote = _get_quote(target, quote_id)
    option_id = params.get("QuoteOptionIdentifier")
    option = next((o for o in quote.get("QuoteOptions", []) if o.get("QuoteOptionIdentifier") == option_id), None)
    if option is None:
        raise OrderError(f"nothing ordered: quote {quote_id} has no option {option_id}")
    quoted = _pricing(option, params)
    if quoted is None:
        raise OrderError(
            f"nothing ordered: quote {quote_id} option {option_id} has no price for payment option "
            f"{params.get('PaymentOption')} and term {params.get('PaymentTerm') or '(any)'}"
        )
    problems = _price_differences(quoted, expected)
    if problems:
        raise OrderError(
            f"nothing ordered: the price of quote {quote_id} option {option_id} "
            f"({params.get('PaymentOption')}, {quoted.get('PaymentTerm')}) is not the expected price: "
            + "; ".join(problems)
            + ". Review the quote, then update expected_price if the new price is accepted."
        )


def _pricing(option: Mapping[str, Any], params: Mapping[str, Any]) -> dict[str, Any] | None:
    term = params.get("PaymentTerm")
    for pricing in option.get("PricingOptions", []):
        details = pricing.get("SubscriptionPricingDetails") or {}
        if details.get("PaymentOption") == params.get("PaymentOption") and term in (None, details.get("PaymentTerm")):
            return dict(details)
    return None


_PRICE_FIELDS = (
    ("upfront_price", "UpfrontPrice", "upfront"),
    ("monthly_recurring_price", "MonthlyRecurringPrice", "monthly"),
)


def _price_differences(quoted: Mapping[str, Any], expected: Mapping[str, Any]) -> list[str]:
    currency = quoted.get("Currency")
    problems: list[str] = []
    if expected.get("currency") != currency:
        problems.append(f"expected currency {expected.get('currency')}, quoted {currency}")
    for name, member, label in _PRICE_FIELDS:
        want = expected.get(name)
        have = quoted.get(member)
        if want is None:
            continue
        if have is None or abs(float(have) - float(want)) > 0.005:
            wanted = _money(want, expected.get("currency"))
            problems.append(f"expected {label} {wanted}, quoted {_money(have, currency)}")
    return problems


def _money(amount: Any, currency: Any) -> str:
    return "none" if amount is None else f"{float(amount):,.2f} {currency}"


# --- rule 2: an earlier attempt ------------------------------------------------------------------------
def _settle_earlier(
    target: _aws.Target, params: Mapping[str, Any], earlier: Attempt, journal: Journal
) -> dict[str, Any] | None:
    if earlier.state == "placed" and earlier.order_id:
        order = find_order(target, earlier.order_id)
        if order is not None and order.get("Status") != "CANCELLED" and _matches(order, params):
            return order
        return None
    found = _reconcile(target, params, earlier, journal, sleep=None)
    if found is not None:
        journal.placed(earlier, found["OrderId"])
    return found


# --- rule 3: sending ----------------------------------------------------------------------------------
class _Refused(Exception):
    def __init__(self, error: OrderError) -> None:
        super().__init__(str(error))
        self.error = error


class _Unknown(Exception):
    def __init__(self, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.cause = cause


def _send(target: _aws.Target, params: Mapping[str, Any], sleep: Sleep) -> dict[str, Any]:
    client = _aws.client(target, _aws.Calls.PLACE)
    for sends in range(1, MAX_THROTTLED_SENDS + 1):
        try:
            order: dict[str, Any] = client.create_order(**params)["Order"]
            return order
        except Exception as exc:
            if error_code(exc) in THROTTLING_CODES and sends < MAX_THROTTLED_SENDS:
                sleep(min(20.0, random.uniform(0, 0.5 * 2**sends)))
                continue
            if refused_before_placing(exc):
                error = describe(exc, "CreateOrder", _subject(params), target)
                if params.get("QuoteIdentifier") and error_code(exc) == "ConflictException":
                    error = OrderError(
                        f"{error} If an interrupted `pulumi up` of this resource placed that order (and no "
                        "other resource tracks it), adopt it with `adopt_order_id`."
                    )
                error.__cause__ = exc
                raise _Refused(error) from exc
            raise _Unknown(exc) from exc
    raise AssertionError("unreachable")


# --- rule 4: reconciliation ----------------------------------------------------------------------------
def _reconcile(
    target: _aws.Target, params: Mapping[str, Any], attempt: Attempt, journal: Journal, sleep: Sleep | None
) -> dict[str, Any] | None:
    """The one order ``attempt`` placed, ``None`` if it placed none; fails when it can't tell.

    ``sleep`` is ``None`` when settling an earlier run's attempt (no second look needed)."""
    look = _from_quote if params.get("QuoteIdentifier") else _from_orders
    _wait_for_other_sends(journal, attempt.key, sleep or time.sleep)
    found = look(target, params, attempt, journal)
    if not found and sleep is not None:
        sleep(SETTLE_S)  # AWS lists are eventually consistent: one more look before ordering again
        found = look(target, params, attempt, journal)
    if len(found) > 1:
        listed = ", ".join(
            f"{o['OrderId']} ({o.get('Status')}, submitted {o.get('OrderSubmissionDate')})" for o in found
        )
        raise OrderError(
            f"CreateOrder for {_subject(params)} may have placed an order, and {len(found)} orders match it: "
            f"{listed}. Nothing more was ordered. Adopt the right one with `adopt_order_id` "
            "(and cancel any duplicate), then run the update again."
        )
    return found[0] if found else None


def _wait_for_other_sends(journal: Journal, key: str, sleep: Sleep) -> None:
    """Let concurrent CreateOrder calls of other resources finish, so their orders are claimed."""
    since = time.time() - IN_FLIGHT_WAIT_S
    for _ in range(int(IN_FLIGHT_WAIT_S / POLL_S)):
        if not journal.sending(except_key=key, since=since):
            return
        sleep(POLL_S)


def _from_quote(
    target: _aws.Target, params: Mapping[str, Any], _attempt: Attempt, _journal: Journal
) -> list[dict[str, Any]]:
    quote = _get_quote(target, str(params["QuoteIdentifier"]))
    submitted = quote.get("SubmittedOrderId")
    if quote.get("QuoteStatus") != "ORDER_SUBMITTED" or not submitted:
        return []
    order = find_order(target, str(submitted))
    if order is None or not _matches(order, params):
        raise OrderError(
            f"quote {params['QuoteIdentifier']} was already ordered as {submitted}, which is not this "
            f"order ({_subject(params)}); nothing more was ordered"
        )
    return [order]


def _from_orders(
    target: _aws.Target, params: Mapping[str, Any], attempt: Attempt, journal: Journal
) -> list[dict[str, Any]]:
    since = attempt.started_at - CLOCK_SKEW_S
    claimed = journal.claimed_order_ids(except_key=attempt.key)
    client = _aws.client(target)
    matches: list[dict[str, Any]] = []
    outpost = canonical_id(params["OutpostIdentifier"])
    try:
        pages = client.get_paginator("list_orders").paginate(OutpostIdentifierFilter=outpost)
        summaries = [s for page in pages for s in page.get("Orders", [])]
    except Exception as exc:
        raise describe(exc, "ListOrders", f"Outpost {outpost}", target) from exc
    for summary in summaries:
        if summary["OrderId"] in claimed or _epoch(summary.get("OrderSubmissionDate")) < since:
            continue
        order = find_order(target, summary["OrderId"])
        if order is not None and _matches(order, params):
            matches.append(order)
    return matches


def _matches(order: Mapping[str, Any], params: Mapping[str, Any]) -> bool:
    """Whether ``order`` is what ``params`` asks for (same Outpost, payment, items or quote option)."""
    same_outpost = order.get("OutpostId") == canonical_id(params["OutpostIdentifier"])
    if not same_outpost or order.get("PaymentOption") != params.get("PaymentOption"):
        return False
    if params.get("PaymentTerm") and order.get("PaymentTerm") != params["PaymentTerm"]:
        return False
    if params.get("QuoteIdentifier"):
        return bool(order.get("QuoteOptionIdentifier") == params.get("QuoteOptionIdentifier"))
    wanted = sorted((i["CatalogItemId"], int(i["Quantity"])) for i in params.get("LineItems", []))
    have = sorted((i.get("CatalogItemId"), int(i.get("Quantity", 0))) for i in order.get("LineItems", []))
    return wanted == have


# --- calls and small helpers ---------------------------------------------------------------------------
def _get_quote(target: _aws.Target, quote_id: str) -> dict[str, Any]:
    quote = find_quote(target, quote_id)
    if quote is None:
        raise OrderError(f"nothing ordered: quote {quote_id} does not exist in region {target.region}")
    return quote


def _subject(params: Mapping[str, Any]) -> str:
    return f"a new order for Outpost {params['OutpostIdentifier']}"


def _epoch(value: Any) -> float:
    if isinstance(value, datetime):
        return value.timestamp()
    return float("inf")  # no date: keep it as a candidate rather than miss our own order


