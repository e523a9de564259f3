"""An Outpost's contract as AWS bills it: GetOutpostBillingInformation's subscriptions and contract end, and
how many business days are left before the term ends.

AWS asks for a renewal at least five business days before the term ends; after that, the Outpost rolls
over to month-to-month at the No Upfront rate (AWS Outposts user guide, "term end").
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pulumi_outposts_orders.aws import clients as _clients
from pulumi_outposts_orders.aws.settings import Target

RENEWAL_NOTICE_BUSINESS_DAYS = 5
"""AWS's notice: a renewal is due this many business days before the term ends."""


@dataclass(frozen=True)
class Billing:
    """One Outpost's contract: its end date, term, payment option and every subscription (as AWS lists them)."""

    outpost: str
    contract_end_date: str | None
    payment_term: str | None
    payment_option: str | None
    subscriptions: list[dict[str, Any]] = field(default_factory=list)

    def renewal(self) -> dict[str, Any] | None:
        """The RENEWAL subscription still to begin (PENDING), if any: the term is renewed."""
        pending = [s for s in self.subscriptions if s.get("SubscriptionType") == "RENEWAL"
                   and s.get("SubscriptionStatus") == "PENDING"]
        return max(pending, key=lambda s: str(s.get("BeginDate") or ""), default=None)

    def end(self) -> datetime.date | None:
        """The contract end date, as a date (``None`` when AWS gives none, or one it does not write as a date)."""
        return parse_day(self.contract_end_date)


def billing(target: Target, outpost: str) -> Billing:
    """GetOutpostBillingInformation of ``outpost`` (an ID or ARN), every page."""
    client = _clients.client(target)
    subscriptions: list[dict[str, Any]] = []
    params: dict[str, Any] = {"OutpostIdentifier": outpost}
    while True:
        page = client.get_outpost_billing_information(**params)
        subscriptions += page.get("Subscriptions") or []
        if not page.get("NextToken"):
            return Billing(outpost, page.get("ContractEndDate"), page.get("PaymentTerm"), page.get("PaymentOption"),
                           subscriptions)
        params["NextToken"] = page["NextToken"]


def parse_day(value: Any) -> datetime.date | None:
    """A date from AWS's ``ContractEndDate`` string (``2027-06-01``, or a date-time) or a timestamp."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None


def business_days_left(today: datetime.date, end: datetime.date) -> int:
    """Weekdays (Monday to Friday) after ``today`` up to and including ``end`` (negative once past it)."""
    if end < today:
        return -business_days_left(end, today)
    days = (end - today).days
    whole, rest = divmod(days, 7)
    counted = whole * 5
    for offset in range(1, rest + 1):
        if (today + datetime.timedelta(days=whole * 7 + offset)).weekday() < 5:
            counted += 1
    return counted


def subscription_view(subscription: Mapping[str, Any]) -> dict[str, Any]:
    """A subscription as outputs and the board show it: snake_case, dates as ISO 8601 text."""
    def shown(value: Any) -> Any:
        return value.isoformat() if isinstance(value, datetime.date | datetime.datetime) else value

    names = {"SubscriptionId": "subscription_id", "SubscriptionType": "type", "SubscriptionStatus": "status",
             "OrderIds": "order_ids", "BeginDate": "begin_date", "EndDate": "end_date", "Currency": "currency",
             "UpfrontPrice": "upfront_price", "MonthlyRecurringPrice": "monthly_recurring_price"}
    return {name: shown(subscription[member]) for member, name in names.items() if subscription.get(member) is not None}
