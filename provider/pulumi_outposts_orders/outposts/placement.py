"""Placing an order at most once: CreateOrder, the attempt journal, and reconciliation.

CreateOrder has no idempotency token. One rule governs everything here: **a resource never has two
live orders, an order is never held by two resources, and a cancelled order is never adopted as
live.** "The same order" is :class:`~.same_order.OrderSpec`. The steps, in order:

1. Price expectations (quote orders with ``expected_price``): one GetQuote; the price for the
   chosen option, payment option and term (which must be unambiguous) must match, or nothing is sent.
2. This resource's own journal record (see ``attempts``; the key is the identity fixed at first
   placement, in the scope where the order lives) is settled first. A live order it holds is adopted
   when an interrupted run placed it (``placed``: AWS answered, same order) and refused otherwise (the
   stack tracked it, and the engine did not cancel it: a retained or targeted replacement, ``pulumi
   state delete``); an unsettled attempt is reconciled as in step 5.
3. Before the first send, this machine cannot prove that no earlier attempt exists (another machine,
   a lost journal): one look for a live order that is the same order, recent (the window), held by no
   resource on this machine and not listed in ``distinct_from``. Line-item orders: one ListOrders of
   the Outpost, GetOrder only for candidates. Quote orders: the quote records its order (GetQuote).
   A match stops the create, naming it and the two ways on. Identical attempts of other resources
   still in flight are waited for first, so that their own orders are not mistaken for this one's.
4. CreateOrder is sent once. A throttling answer proves the request was refused: it is re-sent after
   a backoff, within a bound. Any other 4xx is final: nothing was placed.
5. Any other failure leaves the outcome unknown; reconciliation: candidates are live orders that are
   the same order, absent before the first send (``known_before``) and held by no other resource.
   Nothing proves a candidate is this resource's (another stack may have ordered the same at the same
   moment), so any candidate stops the create, naming it and how to adopt it. None: one more look
   after a pause, then CreateOrder again (bounded). Every failure after an unanswered send says the
   outcome is unknown; a journal write that fails after AWS answered returns the order with a warning.
"""

from __future__ import annotations

import dataclasses
import random
import time
from collections.abc import Callable, Collection, Mapping
from datetime import datetime
from typing import Any

from pulumi_outposts_orders._dynamic import warn
from pulumi_outposts_orders.aws import clients as _clients
from pulumi_outposts_orders.aws import settings as _aws
from pulumi_outposts_orders.aws.errors import OrderError, OutpostsError, error_code, explain, refused_before_placing
from pulumi_outposts_orders.claims.journal import Attempt, Journal, JournalError, running
from pulumi_outposts_orders.money import is_amount, money
from pulumi_outposts_orders.outposts.finders import find_order, find_quote
from pulumi_outposts_orders.outposts.quote_options import Price, matching_prices, price_differences
from pulumi_outposts_orders.outposts.same_order import OrderSpec
from pulumi_outposts_orders.outposts.shapes import flatten_quote
from pulumi_outposts_orders.outposts.statuses import TERMINAL_STATUSES

THROTTLING_CODES = frozenset({"ThrottlingException", "TooManyRequestsException", "Throttling", "RequestLimitExceeded"})
MAX_THROTTLED_SENDS = 12  # CreateOrder answers "throttled" at most this many times before we give up
MAX_UNKNOWN_OUTCOMES = 3  # CreateOrder outcomes we cannot know before we stop and ask the user
CLOCK_SKEW_S = 300.0  # how far the AWS clock may lag ours, for records without ``known_before``
SETTLE_S = 2.0  # a second look after this long, before concluding that nothing was placed
IN_FLIGHT_WAIT_S = 120.0  # longest wait for other resources' identical attempts to settle
POLL_S = 0.1
RECENT_WINDOW_HOURS = 72.0  # step 3's window: covers a killed run retried the next working day
LIST_PAGE = 1000  # ListOrders' largest page: one call for any Outpost with up to 1,000 orders

Sleep = Callable[[float], None]


def place(
    target: _aws.Target,
    params: Mapping[str, Any],
    key: str,
    expected_price: Mapping[str, Any] | None = None,
    journal: Journal | None = None,
    sleep: Sleep = time.sleep,
    distinct_from: Collection[str] = (),
    window_hours: float = RECENT_WINDOW_HOURS,
) -> dict[str, Any]:
    """Place the order described by CreateOrder ``params`` for resource ``key``, at most once."""
    journal = journal or Journal()
    with running(key), journal.keep_alive(key):
        try:
            return _place(target, params, key, expected_price, journal, sleep, distinct_from, window_hours)
        except BaseException:
            journal.idle(key)  # a later run need not wait for this process to exit (it may linger a while)
            raise


def _place(
    target: _aws.Target, params: Mapping[str, Any], key: str, expected_price: Mapping[str, Any] | None,
    journal: Journal, sleep: Sleep, distinct_from: Collection[str], window_hours: float,
) -> dict[str, Any]:
    quote = None
    if expected_price is not None:
        params, quote = check_price(target, params, expected_price)
    spec = OrderSpec.of_params(params)
    journal.prune()
    earlier = journal.get(key)
    if earlier is not None:
        found = _settle_own(target, spec, earlier, journal, sleep)
        if found is not None:
            return found
    if spec.quote_identifier is not None:
        known_before = _look_before_quote(target, spec, key, journal, sleep, quote)
    else:
        known_before = _look_before(target, spec, key, journal, sleep, set(distinct_from), window_hours)
    return _send_at_most_once(target, params, spec, key, known_before, journal, sleep)


# --- step 1: price expectations ------------------------------------------------------------------------
def check_price(
    target: _aws.Target, params: Mapping[str, Any], expected: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """``params`` with the checked term pinned, and the quote; refuses when the price is not ``expected``.

    The option's price is ``quote_options.matching_prices``, as ``review`` and ``option_id`` read it."""
    quote_id = str(params["QuoteIdentifier"])
    quote = _get_quote(target, quote_id)
    option_id = params.get("QuoteOptionIdentifier")
    options = flatten_quote(quote).get("quote_options") or []
    option = next((o for o in options if o.get("quote_option_identifier") == option_id), None)
    if option is None:
        raise OrderError(f"nothing ordered: quote {quote_id} has no option {option_id}")
    payment = params.get("PaymentOption")
    priced = matching_prices(option, str(payment), params.get("PaymentTerm"))
    if not priced:
        raise OrderError(
            f"nothing ordered: quote {quote_id} option {option_id} has no price for payment option "
            f"{payment} and term {params.get('PaymentTerm') or '(any)'}"
        )
    if len(priced) > 1:
        terms = ", ".join(p.payment_term for p in priced)
        raise OrderError(
            f"nothing ordered: expected_price is ambiguous: quote {quote_id} option {option_id} is priced "
            f"for {payment} with several terms ({terms}). Set payment_term to the term whose price you "
            "reviewed."
        )
    quoted = priced[0]
    problems = _price_differences(quoted, expected)
    if problems:
        raise OrderError(
            f"nothing ordered: the price of quote {quote_id} option {option_id} "
            f"({payment}, {quoted.payment_term}) is not the expected price: "
            + "; ".join(problems)
            + ". Review the quote, then update expected_price if the new price is accepted."
        )
    pinned = dict(params)
    if quoted.payment_term:
        pinned["PaymentTerm"] = quoted.payment_term  # the order gets the term whose price was checked
    return pinned, quote


def _price_differences(quoted: Price, expected: Mapping[str, Any]) -> list[str]:
    def amount(value: Any, currency: Any) -> str:
        return money(float(value), currency) if is_amount(value) else str(value)

    return [f"expected currency {d.expected}, quoted {d.quoted}" if d.what == "currency" else
            f"expected {d.what} {amount(d.expected, expected.get('currency'))}, quoted "
            f"{money(d.quoted, quoted.quoted('currency'))}" for d in price_differences(expected, quoted)]


# --- step 2: this resource's own record ----------------------------------------------------------------
def _settle_own(
    target: _aws.Target, spec: OrderSpec, earlier: Attempt, journal: Journal, sleep: Sleep
) -> dict[str, Any] | None:
    """The order to adopt from ``earlier``; ``None`` to go on placing; raises when that would double-order."""
    where = dataclasses.replace(target, region=earlier.region, region_source="the attempt journal")
    if earlier.state == "released":
        return None
    record = journal.where(earlier.key)
    if earlier.holds():
        order_id = str(earlier.order_id)
        order = find_order(where, order_id)
        if order is None:
            raise OrderError(
                f"{journal.named} says this resource holds order {order_id} in region "
                f"{earlier.region}, and it cannot be found there ({_clients.describe_caller(where)}); nothing was "
                f"ordered. Check the AWS account and endpoint. If the record is wrong, inspect it ({record}) "
                "and delete it, then run again."
            )
        if order.get("Status") in TERMINAL_STATUSES:
            return None
        if earlier.state == "placed" and spec.accepts(order):
            warn(f"adopting order {order_id}: {journal.named} shows that AWS answered this resource's "
                 "CreateOrder with it, and the stack does not track it (an interrupted run, or a replacement that "
                 "retained it); nothing new ordered")
            journal.hold(earlier.key, spec, earlier.region, order_id)
            return order
        raise OrderError(_still_live(order, earlier, journal))
    if earlier.active() and not earlier.mine():
        raise OrderError(
            f"another process (pid {earlier.pid} on {earlier.host}) is placing this resource's order right now; "
            "nothing was ordered. Wait for it to finish, then run again."
        )
    adopted = _reconcile(where, earlier, journal, sleep, second_look=False)
    if adopted is not None:
        warn(f"adopting order {adopted['OrderId']}: an earlier run of this resource sent CreateOrder and was "
             f"interrupted, and it is the only identical order placed since that no runner of {journal.named} "
             "holds or was placing; nothing new ordered")
        journal.hold(earlier.key, spec, earlier.region, str(adopted["OrderId"]))
        return adopted
    journal.discard(earlier.key)  # proven: that run placed nothing
    return None


def _still_live(order: Mapping[str, Any], earlier: Attempt, journal: Journal) -> str:
    order_id, status = order["OrderId"], order.get("Status")
    carriers = [name for name in journal.carriers(earlier.key) if name != earlier.key]
    if carriers:
        why = (f"the resource first placed as {earlier.key} is declared as {', '.join(carriers)} now (renamed) "
               "and holds it; a new resource cannot take over that name while its order is live. Give the new "
               "resource another name")
    elif earlier.state == "recorded":
        why = ("the stack tracked it for this resource, and the engine did not cancel it before this create: "
               "a replacement of a resource with retain_on_delete, or run create-first (delete_before_replace "
               "turned off), either set directly or by a transformation; `pulumi up --replace` of such a "
               "resource; a `pulumi state delete`; or a removed resource declared again")
    else:
        why = "an interrupted run placed it, and the inputs have changed since"
    return (
        f"this resource's order {order_id} is still live ({status}) and the stack does not track it: {why}. "
        "A resource never has two live orders, so nothing was ordered. To track it again, set "
        f"`adopt_order_id=\"{order_id}\"` (the inputs must match it); to replace it, cancel it first while it "
        f"is PREPARING; to order more hardware, declare a new OutpostOrder resource. This rests on {journal.named}'s "
        f"record {journal.where(earlier.key)}: inspect it, and delete it only if {order_id} "
        "is not this resource's order."
    )


# --- step 3: a look before the first send --------------------------------------------------------------
def _look_before(
    target: _aws.Target, spec: OrderSpec, key: str, journal: Journal, sleep: Sleep,
    distinct_from: set[str], window_hours: float,
) -> tuple[str, ...]:
    """The Outpost's order IDs now; stops when a live, unheld, recent order is this same order."""
    summaries = _list_orders(target, spec)
    listed_at = time.time()
    recent = [s for s in summaries if s.get("Status") not in TERMINAL_STATUSES
              and s["OrderId"] not in distinct_from and _epoch(s.get("OrderSubmissionDate")) >= listed_at
              - window_hours * 3600]
    if recent:
        claims = journal.claims(key)
        recent = [s for s in recent if s["OrderId"] not in claims]
    matches = [o for s in recent if (o := find_order(target, s["OrderId"])) is not None
               and o.get("Status") not in TERMINAL_STATUSES and spec.accepts(o)]
    if matches:
        _wait_for_peers(journal, key, spec.digest(), listed_at - IN_FLIGHT_WAIT_S, sleep, ("sending", "unsure"))
        claims = journal.claims(key)
        matches = [o for o in matches if o["OrderId"] not in claims]
    if matches:
        raise OrderError(
            f"nothing ordered: Outpost {spec.outpost_identifier} already has {_count(matches)} live "
            f"{'order' if len(matches) == 1 else 'orders'} identical to this one ({spec.summary()}, "
            f"{spec.payment_option}), submitted in the last {window_hours:g} hours and held by no resource "
            f"in {journal.named}: {_listing(matches)}. If one is this resource's order (an interrupted "
            "`pulumi up`, perhaps on another machine), adopt it: set "
            f"`adopt_order_id=\"{matches[0]['OrderId']}\"`. If this is a deliberate additional order, list "
            f"them in `distinct_from_order_ids` ({', '.join(repr(o['OrderId']) for o in matches)}) and run "
            "again."
        )
    return tuple(s["OrderId"] for s in summaries)


def _look_before_quote(
    target: _aws.Target, spec: OrderSpec, key: str, journal: Journal, sleep: Sleep, quote: Mapping[str, Any] | None
) -> tuple[str, ...]:
    """A quote is ordered once: stops, naming the order, when it already was."""
    quote = quote or _get_quote(target, str(spec.quote_identifier))
    submitted = quote.get("SubmittedOrderId")
    if quote.get("QuoteStatus") != "ORDER_SUBMITTED" or not submitted:
        return ()
    holder = journal.claims(key).get(str(submitted))
    if holder is None:  # an identical attempt of another resource may be about to claim it
        _wait_for_peers(journal, key, spec.digest(), time.time() - IN_FLIGHT_WAIT_S, sleep, ("sending", "unsure"))
        holder = journal.claims(key).get(str(submitted))
    raise OrderError(
        f"nothing ordered: quote {spec.quote_identifier} was already ordered as {submitted}, and a quote is "
        "ordered once. "
        + (f"Resource {holder} holds that order." if holder else
           "If an interrupted run of this resource placed it, adopt it: set "
           f"`adopt_order_id=\"{submitted}\"`. To order again, create a new quote.")
    )


# --- step 4: sending ----------------------------------------------------------------------------------
class UnknownOutcome(OrderError):
    """A CreateOrder went unanswered and live orders match it: whose they are needs a person."""


class _Refused(Exception):
    def __init__(self, error: OutpostsError) -> None:
        super().__init__(str(error))
        self.error = error


class _Unknown(Exception):
    def __init__(self, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.cause = cause


def _send_at_most_once(
    target: _aws.Target, params: Mapping[str, Any], spec: OrderSpec, key: str,
    known_before: tuple[str, ...], journal: Journal, sleep: Sleep,
) -> dict[str, Any]:
    unknown: list[BaseException] = []
    attempt: Attempt | None = None
    while len(unknown) < MAX_UNKNOWN_OUTCOMES:
        try:
            attempt = journal.begin(key, spec, target.region, known_before, earlier=attempt)
        except JournalError as exc:
            raise OrderError(f"{exc} " + (_unknown_outcome(spec, unknown) if unknown else "Nothing was ordered.")
                             ) from exc
        try:
            order = _send(target, params, sleep)
        except _Refused as refused:
            _settle_refusal(journal, attempt, bool(unknown))
            if unknown:
                raise OrderError(f"{refused.error} {_unknown_outcome(spec, unknown)}") from refused.error
            raise refused.error from refused.error.__cause__
        except _Unknown as outcome:
            unknown.append(outcome.cause)
            try:
                attempt = journal.mark(attempt, "unsure")
                adopted = _reconcile(target, attempt, journal, sleep, second_look=True)
            except UnknownOutcome:
                raise
            except OutpostsError as error:
                raise OrderError(f"{error} {_unknown_outcome(spec, unknown)}") from error
            if adopted is not None:
                warn(f"adopting order {adopted['OrderId']}: CreateOrder went unanswered, and it is the only identical "
                     f"order placed since that no runner of {journal.named} holds or was placing")
                return _settled(journal, attempt, adopted)
            continue
        return _settled(journal, attempt, order)
    last = explain(unknown[-1], "CreateOrder", _subject(spec), target)
    raise OrderError(
        f"{last} The outcome of CreateOrder stayed unknown {len(unknown)} times and no order "
        "matching this one was found afterwards, so nothing more was sent. The next run looks again "
        "before ordering; list the Outpost's orders and adopt one with `adopt_order_id` if it is this order."
    )


def _settled(journal: Journal, attempt: Attempt, order: dict[str, Any]) -> dict[str, Any]:
    """``order`` is this attempt's: record it (a failed write after AWS answered only loses the trace)."""
    try:
        journal.mark(attempt, "placed", order["OrderId"])
    except JournalError as exc:  # the engine records the order; only the journal's trace is lost
        warn(f"order {order['OrderId']} was placed and is tracked by the stack, but {exc}")
    return order


def _settle_refusal(journal: Journal, attempt: Attempt, earlier_unknown: bool) -> None:
    """AWS refused this send. An earlier send of this create may still have placed an order: keep it unsure."""
    try:
        if earlier_unknown:
            journal.mark(attempt, "unsure")
        else:
            journal.discard(attempt.key)
    except (JournalError, OSError) as exc:
        warn(f"the attempt journal could not be updated after a refused CreateOrder: {exc}")


def _unknown_outcome(spec: OrderSpec, unknown: list[BaseException]) -> str:
    return (f"An earlier CreateOrder of this create went unanswered ({_reason(unknown[0])}), so whether an order "
            f"for Outpost {spec.outpost_identifier} ({spec.summary()}) was placed is unknown: look for it in "
            "the Outpost's orders. Running `pulumi up` again is safe: it looks for that order before ordering, "
            "and stops naming it if it is there.")


def _reason(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _send(target: _aws.Target, params: Mapping[str, Any], sleep: Sleep) -> dict[str, Any]:
    client = _clients.client(target, _clients.Calls.SEND_ONCE)
    for sends in range(1, MAX_THROTTLED_SENDS + 1):
        try:
            order: dict[str, Any] = client.create_order(**params)["Order"]
            return order
        except Exception as exc:
            if error_code(exc) in THROTTLING_CODES and sends < MAX_THROTTLED_SENDS:
                sleep(min(20.0, random.uniform(0, 0.5 * 2**sends)))
                continue
            if refused_before_placing(exc):
                error: OutpostsError = explain(exc, "CreateOrder", _subject(OrderSpec.of_params(params)), target)
                if params.get("QuoteIdentifier") and error_code(exc) == "ConflictException":
                    error = OrderError(
                        f"{error} A quote is ordered once: if an interrupted run of this resource placed that "
                        "order (and no other resource tracks it), adopt it with `adopt_order_id`."
                    )
                error.__cause__ = exc
                raise _Refused(error) from exc
            raise _Unknown(exc) from exc
    raise AssertionError("unreachable")


# --- step 5: reconciliation ----------------------------------------------------------------------------
def _reconcile(
    target: _aws.Target, attempt: Attempt, journal: Journal, sleep: Sleep, second_look: bool
) -> dict[str, Any] | None:
    """``None`` when ``attempt`` placed no order (looked once, or twice with ``second_look``); stops, naming
    them, when live orders match it that it may have placed. With this machine's journal nothing proves such
    an order is this resource's (another stack on another runner may have placed an identical one at the same
    time), so none is taken without a person: adoption is one input away, a wrong adoption could cancel
    another stack's order. With a shared claim store every runner's attempts are known: one candidate and no
    other identical attempt unsettled in the window proves it is this attempt's, and it is returned.
    Identical attempts of other resources still sending are waited for first, and looked at again while any
    is sending, so that their orders are claimed, not named here."""
    spec = OrderSpec.from_json(attempt.spec.to_json())
    since = attempt.started_at - IN_FLIGHT_WAIT_S
    deadline = time.monotonic() + IN_FLIGHT_WAIT_S
    looks = 0
    rechecked = False
    while True:
        _wait_for_peers(journal, attempt.key, attempt.digest, since, sleep)
        with journal.lock():
            # Order matters: list, then peers, then claims. A peer whose order is in the list began sending
            # before the list, so it shows here as sending (look again) or as holding its order (claimed).
            found = _candidates(target, attempt, journal)
            sending = any(peer.state == "sending" and peer.active()
                          for peer in journal.peers(attempt.key, attempt.digest, since))
            claims = journal.claims(attempt.key)
            found = [order for order in found if order["OrderId"] not in claims]
        if found and sending and time.monotonic() < deadline:
            continue  # a peer began sending meanwhile: a candidate may be its order; let it settle first
        if journal.shared and len(found) == 1 and not journal.peers(attempt.key, attempt.digest, since):
            return found[0]  # every runner writes here: no other attempt could have placed it
        if found and not rechecked and journal.peers(attempt.key, attempt.digest, since):
            # An identical unsettled attempt may be settled in this run (adopted by hand) and claim a
            # candidate: one more look before stopping.
            rechecked = True
            sleep(SETTLE_S)
            continue
        if found:
            raise UnknownOutcome(
                f"CreateOrder for {_subject(spec)} ({spec.summary()}) went unanswered, so whether "
                f"it placed an order is unknown, and {_count(found)} live "
                f"{'order matches' if len(found) == 1 else 'orders match'} it that no resource in "
                f"{journal.named} holds: {_listing(found)}. Nothing more was ordered. Nothing proves whose "
                f"{'it is' if len(found) == 1 else 'they are'} (another stack may have ordered the same at the same "
                f"time): if {found[0]['OrderId']} is this resource's order, set "
                f"`adopt_order_id=\"{found[0]['OrderId']}\"` and run `pulumi up` again; if it belongs to another "
                "stack, list it in `distinct_from_order_ids` and run again."
            )
        looks += 1
        if not second_look or looks == 2:
            return None
        sleep(SETTLE_S)  # AWS lists are eventually consistent: one more look before ordering again


def _candidates(target: _aws.Target, attempt: Attempt, journal: Journal) -> list[dict[str, Any]]:
    """Live orders that ``attempt`` may have placed and that no other resource holds."""
    spec = OrderSpec.from_json(attempt.spec.to_json())
    claims = journal.claims(attempt.key)
    known = set(attempt.known_before or ())
    if spec.quote_identifier is not None:
        quote = _get_quote(target, str(spec.quote_identifier))
        submitted = quote.get("SubmittedOrderId")
        if quote.get("QuoteStatus") != "ORDER_SUBMITTED" or not submitted or submitted in claims or submitted in known:
            return []
        ids = [str(submitted)]
    else:
        since = attempt.started_at - CLOCK_SKEW_S
        ids = [s["OrderId"] for s in _list_orders(target, spec)
               if s["OrderId"] not in claims and s.get("Status") not in TERMINAL_STATUSES
               and (s["OrderId"] not in known if attempt.known_before is not None
                    else _epoch(s.get("OrderSubmissionDate")) >= since)]
    orders = [o for order_id in ids if (o := find_order(target, order_id)) is not None]
    return [o for o in orders if o.get("Status") not in TERMINAL_STATUSES and spec.accepts(o)]


def _wait_for_peers(
    journal: Journal, key: str, digest: str, since: float, sleep: Sleep, states: tuple[str, ...] = ("sending",)
) -> None:
    """Let other resources' identical attempts in ``states`` settle (bounded), so their orders are claimed.

    Reconciliation waits for sends only (peers reconciling at the same time share candidates under
    the lock); the look before the first send also waits for peers that are reconciling."""
    deadline = time.monotonic() + IN_FLIGHT_WAIT_S
    while any(peer.active() and peer.state in states for peer in journal.peers(key, digest, since)):
        if time.monotonic() > deadline:
            return
        sleep(POLL_S)


# --- calls and small helpers ---------------------------------------------------------------------------
def _list_orders(target: _aws.Target, spec: OrderSpec) -> list[dict[str, Any]]:
    client = _clients.client(target)
    try:
        pages = client.get_paginator("list_orders").paginate(
            OutpostIdentifierFilter=spec.outpost_identifier, PaginationConfig={"PageSize": LIST_PAGE})
        return [s for page in pages for s in page.get("Orders", [])]
    except Exception as exc:
        raise explain(exc, "ListOrders", f"Outpost {spec.outpost_identifier}", target) from exc


def _get_quote(target: _aws.Target, quote_id: str) -> dict[str, Any]:
    quote = find_quote(target, quote_id)
    if quote is None:
        raise OrderError(f"nothing ordered: quote {quote_id} does not exist in region {target.region}")
    return quote


def _subject(spec: OrderSpec) -> str:
    return f"a new order for Outpost {spec.outpost_identifier}"


def _listing(orders: list[dict[str, Any]]) -> str:
    return ", ".join(f"{o['OrderId']} ({o.get('Status')}, submitted {o.get('OrderSubmissionDate')})" for o in orders)


def _count(orders: list[Any]) -> str:
    return "one" if len(orders) == 1 else str(len(orders))


def _epoch(value: Any) -> float:
    if isinstance(value, datetime):
        return value.timestamp()
    return float("inf")  # no date: keep it as a candidate rather than miss our own order
