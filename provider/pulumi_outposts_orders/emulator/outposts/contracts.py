"""Outpost contracts: the subscriptions an Outpost is billed under, their dates, and their statuses on the clock.

An Outpost's contract, as one account sees it, is a chain of terms: the Outpost's ORIGINAL subscription
(every account's; seeded, ``seed.CONTRACTS``, or opened with DEFAULT_TERMS the first time an unseeded
Outpost needs one), then each RENEWAL the account created (``billing``), each beginning where the term
before it ends and lasting its PaymentTerm in calendar months. Each order placed for the Outpost adds a
CAPACITY_INCREASE subscription of the order's account (ID ``sub-`` and the order ID's digits), which
begins when the order's hardware is delivered (as scheduled, ``lifecycle.delivered_at``) and is
co-terminous with the term it begins in. Only the ORIGINAL stores dates, so moving its end (admin API)
moves the renewals and capacity increases after it.

Statuses follow the clock at every read: PENDING before a subscription begins, ACTIVE until its end, then
INACTIVE; a capacity increase whose order was cancelled is CANCELLED, one whose order failed before
delivery stays PENDING. So once a renewal begins (ACTIVE), the ORIGINAL and the capacity increases of its
term have ended (INACTIVE). The contract's end is the end of its current term, the last that has begun.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from pulumi_outposts_orders.emulator.clock import DAY
from pulumi_outposts_orders.emulator.domain import Context, Params
from pulumi_outposts_orders.emulator.outposts import lifecycle, pricing
from pulumi_outposts_orders.emulator.outposts.identifiers import new_id
from pulumi_outposts_orders.emulator.outposts.records import ASSET, ORDER, SUBSCRIPTION, Order, Subscription

ORIGINAL, RENEWAL, CAPACITY_INCREASE = "ORIGINAL", "RENEWAL", "CAPACITY_INCREASE"
PRICED, UNABLE_TO_PRICE = "PRICED", "UNABLE_TO_PRICE"
DEFAULT_TERMS = ("THREE_YEARS", "ALL_UPFRONT")
"""PaymentTerm and PaymentOption of the ORIGINAL of an Outpost not seeded with one; it begins that day."""
RENEWAL_WINDOW_DAYS = 365
"""A quote's Outpost needs a renewal when its contract, pending renewals included, ends within this many days."""


@dataclass(frozen=True)
class Dated:
    """A subscription with its dates and status at the contract's now."""

    subscription: Subscription
    begin: float
    end: float
    status: str

    @property
    def kind(self) -> str:
        """ORIGINAL, RENEWAL or CAPACITY_INCREASE."""
        return self.subscription.subscription_type


@dataclass(frozen=True)
class Contract:
    """An Outpost's contract as one account sees it at ``now``."""

    outpost: Params
    original: Subscription
    subscriptions: tuple[Dated, ...]
    """The ORIGINAL, then the account's renewals and capacity increases, oldest first."""
    units: int
    """Hardware units (racks or servers) the Outpost has now: its own and the account's delivered orders'."""
    now: float

    @property
    def terms(self) -> list[Dated]:
        """The ORIGINAL and the renewals, in the order they follow each other."""
        return [s for s in self.subscriptions if s.kind != CAPACITY_INCREASE]

    @property
    def current(self) -> Dated:
        """The term in force: the last that has begun (the ORIGINAL if none has)."""
        begun = [t for t in self.terms if t.begin <= self.now]
        return begun[-1] if begun else self.terms[0]

    @property
    def end(self) -> float:
        """The contract's end date: its current term's."""
        return self.current.end

    @property
    def pending_renewal(self) -> Dated | None:
        """The renewal that has not begun yet, if any."""
        return next((t for t in self.terms if t.kind == RENEWAL and t.status == "PENDING"), None)

    @property
    def covered_until(self) -> float:
        """The end of the last term, pending renewals included."""
        return self.terms[-1].end


def day_start(epoch: float) -> float:
    """Midnight (UTC) of the day of ``epoch``."""
    day = datetime.datetime.fromtimestamp(epoch, datetime.UTC).date()
    return datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC).timestamp()


def add_months(epoch: float, months: int) -> float:
    """``epoch`` moved by whole calendar months (the day clamped to the month's last: 31 Jan + 1 -> 28/29 Feb)."""
    moment = datetime.datetime.fromtimestamp(epoch, datetime.UTC)
    year, month = divmod(moment.year * 12 + moment.month - 1 + months, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day).timestamp()


def iso_date(epoch: float) -> str:
    """The UTC date of ``epoch`` as ``YYYY-MM-DD`` (ContractEndDate's form)."""
    return datetime.datetime.fromtimestamp(epoch, datetime.UTC).date().isoformat()


def original_id(outpost_id: str) -> str:
    """The ID of an Outpost's ORIGINAL subscription."""
    return f"sub-{outpost_id.removeprefix('op-')}"


def capacity_increase_id(order_id: str) -> str:
    """The ID of the CAPACITY_INCREASE subscription of an order."""
    return f"sub-{order_id.removeprefix('oo-')}"


def save(ctx: Context, subscription: Subscription) -> None:
    """Store the subscription (under its Outpost)."""
    ctx.tx.put(SUBSCRIPTION, subscription.subscription_id, subscription.dump(), parent=subscription.outpost_id)


def open_original(ctx: Context, outpost: Params, payment_term: str, payment_option: str,
                  begin: float) -> Subscription:
    """Store the Outpost's ORIGINAL subscription, beginning at ``begin``, priced for the Outpost's own hardware."""
    details = pricing.price(outpost["SupportedHardwareType"], base_units(ctx, outpost), payment_option, payment_term)
    original = Subscription(
        subscription_id=original_id(outpost["OutpostId"]), subscription_type=ORIGINAL, outpost_id=outpost["OutpostId"],
        payment_option=payment_option, payment_term=payment_term, upfront_price=details["UpfrontPrice"],
        monthly_price=details["MonthlyRecurringPrice"], created=ctx.now, begin=begin,
        end=add_months(begin, pricing.TERM_MONTHS[payment_term]),
    )
    save(ctx, original)
    return original


def original_of(ctx: Context, outpost: Params) -> Subscription:
    """The Outpost's ORIGINAL subscription (opened with DEFAULT_TERMS, beginning today, if it has none)."""
    stored = ctx.tx.get(SUBSCRIPTION, original_id(outpost["OutpostId"]))
    if stored is not None:
        return Subscription.load(stored)
    return open_original(ctx, outpost, *DEFAULT_TERMS, begin=day_start(ctx.now))


def open_capacity_increase(ctx: Context, order: Order) -> Subscription:
    """Store the CAPACITY_INCREASE subscription of a new order, priced for its units and payment choice."""
    term = order.payment_term or DEFAULT_TERMS[0]
    details = pricing.price(order.hardware_type, _order_units(order), order.payment_option, term)
    increase = Subscription(
        subscription_id=capacity_increase_id(order.order_id), subscription_type=CAPACITY_INCREASE,
        outpost_id=order.outpost_id, payment_option=order.payment_option, payment_term=term,
        upfront_price=details["UpfrontPrice"], monthly_price=details["MonthlyRecurringPrice"],
        created=order.submitted, account_id=order.account_id, order_ids=[order.order_id],
    )
    save(ctx, increase)
    return increase


def open_renewal(ctx: Context, contract: Contract, details: Params, client_token: str | None) -> Subscription:
    """Store a RENEWAL of the caller's contract, priced with ``details`` (SubscriptionPricingDetails)."""
    renewal = Subscription(
        subscription_id=new_id("sub"), subscription_type=RENEWAL, outpost_id=contract.outpost["OutpostId"],
        payment_option=details["PaymentOption"], payment_term=details["PaymentTerm"],
        upfront_price=details["UpfrontPrice"], monthly_price=details["MonthlyRecurringPrice"], created=ctx.now,
        account_id=ctx.account, client_token=client_token,
    )
    save(ctx, renewal)
    return renewal


def load(ctx: Context, outpost: Params, account: str | None = None) -> Contract:
    """The Outpost's contract as ``account`` (default: the caller's) sees it now.

    Orders of the account stored before contracts existed get their CAPACITY_INCREASE here.
    """
    account = account or ctx.account
    outpost_id = outpost["OutpostId"]
    original = original_of(ctx, outpost)
    orders = {o.order_id: o for o in map(Order.load, ctx.tx.all(ORDER, parent=outpost_id))
              if _owner(ctx, o.account_id) == account}
    own = [s for s in map(Subscription.load, ctx.tx.all(SUBSCRIPTION, parent=outpost_id))
           if s.subscription_type != ORIGINAL and _owner(ctx, s.account_id) == account]
    covered = {order_id for s in own for order_id in s.order_ids}
    own += [open_capacity_increase(ctx, o) for o in orders.values() if o.order_id not in covered]

    assert original.begin is not None and original.end is not None
    terms = [_dated(original, original.begin, original.end, ctx.now)]
    for renewal in (s for s in own if s.subscription_type == RENEWAL):
        begin = terms[-1].end
        terms.append(_dated(renewal, begin, add_months(begin, pricing.TERM_MONTHS[renewal.payment_term]), ctx.now))
    dated = {t.subscription.subscription_id: t for t in terms}
    for increase in (s for s in own if s.subscription_type == CAPACITY_INCREASE):
        dated[increase.subscription_id] = _capacity_increase(increase, orders.get(increase.order_ids[0]), terms,
                                                             ctx.now)
    delivered = sum(_order_units(o) for o in orders.values()
                    if (at := lifecycle.delivered_at(o.anchor)) is not None and at <= ctx.now)
    return Contract(outpost=outpost, original=original, now=ctx.now, units=base_units(ctx, outpost) + delivered,
                    subscriptions=(terms[0], *(dated[s.subscription_id] for s in own)))


def base_units(ctx: Context, outpost: Params) -> int:
    """The Outpost's own hardware units (at least one): its racks, or its servers."""
    assets = ctx.tx.all(ASSET, parent=outpost["OutpostId"])
    if outpost["SupportedHardwareType"] == "RACK":
        return max(len({a.get("RackId") for a in assets}), 1)
    return max(len(assets), 1)


def renewal_pricing(contract: Contract) -> list[Params] | None:
    """SubscriptionPricingDetails for every payment option and term (``pricing.price`` of the Outpost's
    units now), or ``None`` (UNABLE_TO_PRICE: the Outpost is not ACTIVE, or the admin API said so)."""
    if unpriced_because(contract) is not None:
        return None
    hardware = contract.outpost["SupportedHardwareType"]
    return [pricing.price(hardware, contract.units, option, term)
            for option in pricing.ALL_PAYMENT_OPTIONS for term in pricing.ALL_PAYMENT_TERMS]


def unpriced_because(contract: Contract) -> str | None:
    """Why the Outpost's renewal cannot be priced, or ``None`` when it can."""
    outpost = contract.outpost
    if outpost["LifeCycleStatus"] != "ACTIVE":
        return f"Outpost {outpost['OutpostId']} is {outpost['LifeCycleStatus']}"
    if contract.original.renewal_pricing == UNABLE_TO_PRICE:
        return f"renewal pricing is not available for Outpost {outpost['OutpostId']}"
    return None


def renewal_requirement(contract: Contract) -> tuple[bool, str]:
    """Whether the contract, pending renewals included, runs beyond RENEWAL_WINDOW_DAYS from now; and why."""
    outpost_id, until = contract.outpost["OutpostId"], contract.covered_until
    pending = contract.pending_renewal
    renewed = f" (renewal {pending.subscription.subscription_id} included)" if pending else ""
    if until - contract.now >= RENEWAL_WINDOW_DAYS * DAY:
        return True, f"The contract of Outpost {outpost_id} runs until {iso_date(until)}{renewed}"
    return False, (f"The contract of Outpost {outpost_id} ends on {iso_date(until)}{renewed}, within "
                   f"{RENEWAL_WINDOW_DAYS} days: renew it (CreateRenewal) before ordering")


def _owner(ctx: Context, account_id: str | None) -> str:
    return account_id or ctx.settings.account


def _order_units(order: Order) -> int:
    return sum(item.quantity for item in order.line_items)


def _status(begin: float, end: float, now: float) -> str:
    return "PENDING" if now < begin else "ACTIVE" if now < end else "INACTIVE"


def _dated(subscription: Subscription, begin: float, end: float, now: float) -> Dated:
    return Dated(subscription, begin, end, _status(begin, end, now))


def _capacity_increase(increase: Subscription, order: Order | None, terms: list[Dated], now: float) -> Dated:
    """A capacity increase begins at its order's delivery and ends with the term it begins in."""
    delivered = lifecycle.delivered_at(order.anchor) if order is not None else None
    begin = delivered if delivered is not None else increase.created
    end = ([t for t in terms if t.begin <= begin] or terms[:1])[-1].end
    if order is not None and order.anchor.get("status") == "CANCELLED":
        return Dated(increase, begin, end, "CANCELLED")
    if delivered is None:
        return Dated(increase, begin, end, "PENDING")
    return _dated(increase, begin, end, now)
