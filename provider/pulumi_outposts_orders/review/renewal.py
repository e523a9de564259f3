"""Review rows of ``OutpostRenewal`` changes, and the contract facts the other rows need.

A renewal is irreversible (no API changes or cancels one) and its upfront price is charged when it is
placed, so its row says so loudly and prices it with GetRenewalPricing (read-only): every option, the chosen
one's total over the term, compared with ``expected_price``. The comment lists each Outpost's contract
end (GetOutpostBillingInformation, once per Outpost), and a quote that needs a renewal first points at
``OutpostRenewal``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_outposts_orders._markdown import code
from pulumi_outposts_orders._unknowns import is_unknown
from pulumi_outposts_orders.money import money, same_amount, total_over_term
from pulumi_outposts_orders.outposts.lookups import Lookups
from pulumi_outposts_orders.review.preview import RENEWAL, Change, known_text, values
from pulumi_outposts_orders.review.row import STOP, WARN, Row, shown

IRREVERSIBLE = "RENEWAL: irreversible; upfront charged now"
RENEWAL_REQUIRED = "OUTPOST_RENEWAL_REQUIRED_ERROR"


def renewal_row(change: Change, lookups: Lookups) -> Row:
    """The row of one ``OutpostRenewal`` change: what is renewed, its price per option, and what `pulumi up`
    does (places it, irreversibly; or forgets it: nothing cancels a renewal)."""
    declared = values(change.new.get("inputs")) if change.new else values(change.old.get("outputs"))
    recorded = values(change.old.get("outputs"))
    row = Row(RENEWAL, change.name, change.action)
    outpost = declared.get("outpost_identifier") or recorded.get("outpost_id")
    row.outpost = shown(outpost)
    row.payment = f"{shown(declared.get('payment_option'))} / {shown(declared.get('payment_term'))}"
    row.what = "subscription renewal"
    expected = declared.get("expected_price") if isinstance(declared.get("expected_price"), Mapping) else None
    row.approved = _approved(expected)
    name = code(change.name)
    if change.action in ("create", "replace"):
        row.change = f"**{IRREVERSIBLE}**"
        row.risk = "replace" if change.action == "replace" else "create"
        _price(row, lookups, declared, expected)
        row.warn(STOP, f"**RENEW {name}**: `pulumi up` renews Outpost {row.outpost} as {row.payment}; the upfront "
                       "price is charged at once, and the renewal can be neither changed nor cancelled afterwards.")
        if change.action == "replace":
            row.warn(STOP, f"**REPLACE {name}**: a NEW renewal is placed; the old one ("
                           f"{shown(recorded.get('subscription_id') or change.old.get('id'))}) stays with AWS.")
    elif change.action == "cancel":
        row.action, row.risk, row.change = "forget (not cancelled)", "cancel", "**DESTROY: NOT cancelled**"
        row.upfront = _amount(recorded.get("upfront_price"), recorded.get("currency"))
        row.monthly = _amount(recorded.get("monthly_recurring_price"), recorded.get("currency"))
        row.warn(STOP, f"**DESTROY {name}: renewal {shown(recorded.get('subscription_id') or change.old.get('id'))} "
                       "is NOT cancelled** (there is no API for it): applying this only removes it from the stack; "
                       "the renewed term continues and is charged.")
    return row


def contract_facts(lookups: Lookups, outpost: str, region: str | None, profile: str | None) -> str:
    """An Outpost's contract in words: its end, term and whether a renewal is pending (or why it is unknown)."""
    found = lookups.contract(outpost, region, profile)
    if isinstance(found, str):
        return f"not read ({found})"
    renewal = "a renewal is pending" if found.get("RenewalPending") else "no renewal pending"
    term = " / ".join(str(found[k]) for k in ("PaymentOption", "PaymentTerm") if found.get(k))
    return f"contract ends {found.get('ContractEndDate') or 'unknown'}{f' ({term})' if term else ''}, {renewal}"


def renewal_required(row: Row, requirements: Any) -> None:
    """A 🛑 when a quote's ordering requirements say its Outpost must be renewed first."""
    for requirement in requirements or []:
        if isinstance(requirement, Mapping) and requirement.get("ordering_requirement_type") == RENEWAL_REQUIRED \
                and requirement.get("status") == "FAIL":
            row.warn(STOP, f"**{code(row.name)}: the Outpost must be renewed first** ({RENEWAL_REQUIRED}: "
                           f"{requirement.get('status_message') or 'failed'}). AWS will refuse the order; declare an "
                           "`OutpostRenewal` for the Outpost and apply it before this order.")


def _price(row: Row, lookups: Lookups, declared: Mapping[str, Any], expected: Mapping[str, Any] | None) -> None:
    outpost, option, term = declared.get("outpost_identifier"), declared.get("payment_option"), \
        declared.get("payment_term")
    if any(is_unknown(v) or v is None for v in (outpost, option, term)):
        row.upfront = row.monthly = row.total = "not priced yet"
        row.price_missing = True
        row.warn(WARN, f"**price unknown for {code(row.name)}**: its Outpost, option or term is known only at "
                       "`pulumi up`.")
        return
    pricing = lookups.renewal_pricing(str(outpost), known_text(declared.get("region")),
                                      known_text(declared.get("profile")))
    if isinstance(pricing, str) or pricing.get("PricingResult") != "PRICED":
        row.upfront = row.monthly = row.total = "unavailable"
        row.price_missing = True
        said = pricing if isinstance(pricing, str) else f"GetRenewalPricing says {pricing.get('PricingResult')}"
        row.warn(STOP, f"**price unavailable for {code(row.name)}**: {said}; `pulumi up` renews nothing.")
        return
    offered = [o.get("SubscriptionPricingDetails") or {} for o in pricing.get("PricingOptions") or []]
    chosen = next((o for o in offered if o.get("PaymentOption") == option and o.get("PaymentTerm") == term), None)
    if chosen is None:
        row.upfront = row.monthly = row.total = "not offered"
        row.price_missing = True
        row.warn(STOP, f"**{code(row.name)}**: AWS offers no renewal as {option} / {term}; `pulumi up` renews "
                       "nothing.")
        return
    currency = str(chosen.get("Currency") or "USD")
    upfront, monthly = float(chosen.get("UpfrontPrice") or 0), float(chosen.get("MonthlyRecurringPrice") or 0)
    row.upfront, row.monthly = money(upfront, currency, table=True), money(monthly, currency, table=True)
    total = total_over_term(upfront, monthly, str(term))
    row.total = "—" if total is None else f"{money(total[0], currency, table=True)} over {total[1]} months"
    row.what += ": " + "; ".join(_offer(o, currency) for o in offered)
    if expected is not None:
        moved = [name for name, actual in (("upfront_price", upfront), ("monthly_recurring_price", monthly))
                 if isinstance(expected.get(name), int | float) and not same_amount(float(expected[name]), actual)]
        if moved or expected.get("currency") not in (None, currency):
            row.approved = f"❌ {row.approved}"
            row.warn(STOP, f"**PRICE MOVED {code(row.name)}**: AWS prices {row.payment} at {row.upfront} upfront + "
                           f"{row.monthly}/month, not the approved price; `pulumi up` renews nothing.")


def _offer(offered: Mapping[str, Any], currency: str) -> str:
    """``ALL_UPFRONT / THREE_YEARS $120,000.00 + $0.00/mo``: one priced option."""
    upfront = money(float(offered.get("UpfrontPrice") or 0), currency, table=True)
    monthly = money(float(offered.get("MonthlyRecurringPrice") or 0), currency, table=True)
    return f"{offered.get('PaymentOption')} / {offered.get('PaymentTerm')} {upfront} + {monthly}/mo"


def _approved(expected: Mapping[str, Any] | None) -> str:
    if expected is None:
        return "not set"
    currency = str(expected.get("currency") or "USD")
    parts = [f"{_amount(expected.get(k), currency)} {what}" for k, what in
             (("upfront_price", "upfront"), ("monthly_recurring_price", "monthly")) if expected.get(k) is not None]
    return ", ".join(parts) or "not set"


def _amount(value: Any, currency: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return shown(value)
    return money(float(value), str(currency or "USD"), table=True)
