"""Each Outpost's contract on the board (``status --contracts``): its end, the business days left, every
subscription, and a 🛑 when the term ends within AWS's notice (five business days) plus a margin with no
renewal pending.

The only calls ``status`` makes, and only with ``--contracts``: one read-only GetOutpostBillingInformation
(every page) per Outpost the stack's orders and renewals are for, through the stack's aws config and the
region each resource recorded.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pulumi_outposts_orders._markdown import code
from pulumi_outposts_orders.outposts.billing import (
    RENEWAL_NOTICE_BUSINESS_DAYS,
    Billing,
    billing,
    business_days_left,
)

HEADERS = ("Outpost", "Contract end", "Left", "Subscriptions", "Renewal")
DEFAULT_MARGIN_BUSINESS_DAYS = 10
"""Business days beyond AWS's notice at which the board starts to warn (``--renewal-margin``)."""


@dataclass(frozen=True)
class Contract:
    """One Outpost's contract as AWS bills it, or why it could not be read."""

    outpost: str
    billing: Billing | None
    error: str | None
    today: datetime.date

    def days_left(self) -> tuple[int, int] | None:
        """Calendar and business days until the contract ends (``None``: no end date known)."""
        end = self.billing.end() if self.billing else None
        return None if end is None else ((end - self.today).days, business_days_left(self.today, end))

    def due(self, margin: int) -> bool:
        """The term ends within AWS's notice plus ``margin`` business days, and no renewal is pending."""
        left = self.days_left()
        return (left is not None and self.billing is not None and self.billing.renewal() is None
                and left[1] <= RENEWAL_NOTICE_BUSINESS_DAYS + margin)

    def row(self, margin: int) -> list[str]:
        """The Markdown cells, in ``HEADERS`` order."""
        if self.billing is None:
            return [code(self.outpost), "—", "—", f"⚠️ could not be read: {self.error}", "—"]
        left = self.days_left()
        days = "—" if left is None else f"{left[0]} days ({left[1]} business days)"
        renewal = self.billing.renewal()
        if renewal is not None:
            said = f"RENEWAL pending from {_day(renewal.get('BeginDate'))}"
        elif self.due(margin):
            said = (f"🛑 no renewal: renew at least {RENEWAL_NOTICE_BUSINESS_DAYS} business days before the term "
                    "ends (`OutpostRenewal`), or it rolls over to month-to-month at the No Upfront rate")
        else:
            said = "none yet"
        term = " / ".join(t for t in (self.billing.payment_option, self.billing.payment_term) if t)
        end = f"{self.billing.contract_end_date or '—'}" + (f" ({term})" if term else "")
        return [code(self.outpost), end, days, "<br>".join(_subscription(s) for s in self.billing.subscriptions)
                or "—", said]


def outposts(deployment: Mapping[str, Any]) -> list[tuple[str, str | None, str | None]]:
    """Each Outpost the stack's orders and renewals are for, once, with the region and profile recorded."""
    from pulumi_outposts_orders._tokens import ORDER_TYPE, RENEWAL_TYPE

    found: dict[str, tuple[str, str | None, str | None]] = {}
    for resource in deployment.get("resources") or []:
        if resource.get("type") not in (ORDER_TYPE, RENEWAL_TYPE) or not resource.get("id"):
            continue
        outs: Mapping[str, Any] = resource.get("outputs") or {}
        outpost = outs.get("outpost_id") or outs.get("outpost_identifier")
        if isinstance(outpost, str) and outpost and outpost not in found:
            found[outpost] = (outpost, _text(outs.get("region")), _text(outs.get("profile")))
    return sorted(found.values())


def read(targets: Sequence[tuple[str, str | None, str | None]], config: Callable[[str], Any],
         today: datetime.date | None = None) -> list[Contract]:
    """The contract of each Outpost in ``targets`` (one GetOutpostBillingInformation each; a failure is kept
    as the row's error), reached through the stack's aws ``config``."""
    from pulumi_outposts_orders.aws import settings as _aws
    from pulumi_outposts_orders.aws.errors import explain

    stack = _aws.StackAwsConfig.from_config(config)
    day = today or datetime.datetime.now(datetime.UTC).date()
    contracts = []
    for outpost, region, profile in targets:
        try:
            target = _aws.resolve_target(region, profile, stack)
        except _aws.AwsConfigError as exc:
            contracts.append(Contract(outpost, None, str(exc), day))
            continue
        try:
            contracts.append(Contract(outpost, billing(target, outpost), None, day))
        except Exception as exc:  # one unreadable contract must not hide the others
            said = explain(exc, "GetOutpostBillingInformation", f"Outpost {outpost}", target)
            contracts.append(Contract(outpost, None, str(said), day))
    return contracts


def _subscription(subscription: Mapping[str, Any]) -> str:
    """``RENEWAL PENDING 2027-06-01 → 2030-06-01, 12,000.00 USD upfront + 450.00 USD/month (orders oo-…)``."""
    currency = subscription.get("Currency") or "USD"
    prices = [f"{float(subscription['UpfrontPrice']):,.2f} {currency} upfront" if subscription.get("UpfrontPrice")
              else "", f"{float(subscription['MonthlyRecurringPrice']):,.2f} {currency}/month"
              if subscription.get("MonthlyRecurringPrice") else ""]
    orders = subscription.get("OrderIds") or []
    text = (f"{subscription.get('SubscriptionType')} {subscription.get('SubscriptionStatus')} "
            f"{_day(subscription.get('BeginDate'))} → {_day(subscription.get('EndDate'))}")
    text += f", {' + '.join(p for p in prices if p)}" if any(prices) else ""
    return text + (f" (orders {', '.join(map(str, orders))})" if orders else "")


def _day(value: Any) -> str:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()[:10]
    return str(value)[:10] if value else "—"


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
