"""Deciding what a preview means for the orders: one row per order or quote, its risk and loud lines
(Amazon Business orders: ``amazon_business``).

For quote-based orders a row holds the approved price (``expected_price``), the quoted upfront and
monthly price and the total commitment over the term, read with read-only GetQuote calls resolved
exactly as the provider resolves them (``outposts.lookups``); line items are described from GetCatalogItem.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pulumi_outposts_orders._markdown import code
from pulumi_outposts_orders._unknowns import is_unknown
from pulumi_outposts_orders.money import is_amount, total_over_term
from pulumi_outposts_orders.outposts.lookups import Lookups
from pulumi_outposts_orders.outposts.quote_options import Price, capacities, price_differences, price_of
from pulumi_outposts_orders.outposts.statuses import OnDelete, on_delete
from pulumi_outposts_orders.review.amazon_business import amazon_row
from pulumi_outposts_orders.review.gate import EXPIRY_DAYS
from pulumi_outposts_orders.review.policy import PolicyViolation
from pulumi_outposts_orders.review.preview import (
    AMAZON_BUSINESS,
    RENEWAL,
    Change,
    Context,
    PreviewFailure,
    changes,
    context,
    date_of,
    errors,
    known_text,
    values,
)
from pulumi_outposts_orders.review.renewal import contract_facts, renewal_required, renewal_row
from pulumi_outposts_orders.review.row import NOTE, STOP, WARN, Row
from pulumi_outposts_orders.review.row import shown as _shown

# Rows are sorted riskiest first by what they will do (``Row.risk``).
_RISK = ("refused", "replace", "cancel", "create", "adopt", "forget", "delete", "update", "no change")


@dataclass
class Review:
    """Everything the comment says: header facts, rows, catalog facts, and the preview's errors."""

    context: Context
    rows: list[Row]
    accounts: list[str] = field(default_factory=list)
    catalog: dict[str, str] = field(default_factory=dict)
    contracts: dict[str, str] = field(default_factory=dict)
    """The contract of each Outpost an order or renewal to be placed is for (GetOutpostBillingInformation)."""
    failures: list[PreviewFailure] = field(default_factory=list)
    policy: list[PolicyViolation] = field(default_factory=list)
    """The policy pack's violations in the same preview (``review --policy-events``), mandatory first."""


def review(document: Mapping[str, Any], lookups: Lookups, today: datetime.date | None = None,
           expiry_days: int = EXPIRY_DAYS, ctx: Context | None = None, amazon_trial: bool = False) -> Review:
    """The review of a preview document (look-ups only for a preview that did not fail; with ``amazon_trial``,
    each Amazon Business order to be placed is tried on Amazon Business in ``TrialMode``)."""
    ctx = ctx or context(document)
    failed = errors(document)
    if failed:
        return Review(ctx, [], failures=failed)
    found = rows(document, lookups, today or datetime.datetime.now(datetime.UTC).date(), expiry_days, amazon_trial)
    result = Review(ctx, found)
    result.catalog = _catalog(changes(document), lookups)
    result.contracts = _contracts(changes(document), lookups)
    result.accounts = _accounts(changes(document), lookups)
    return result


def rows(document: Mapping[str, Any], lookups: Lookups, today: datetime.date | None = None,
         expiry_days: int = EXPIRY_DAYS, amazon_trial: bool = False) -> list[Row]:
    """One row per order, quote or Amazon Business order change, riskiest first; by name within each kind."""
    day = today or datetime.datetime.now(datetime.UTC).date()
    made = [_order_row(c, lookups, day, expiry_days) if c.kind == "order"
            else amazon_row(c, amazon_trial) if c.kind == AMAZON_BUSINESS
            else renewal_row(c, lookups) if c.kind == RENEWAL else _quote_row(c)
            for c in changes(document)]
    return sorted(made, key=lambda r: (_RISK.index(r.risk or r.action), r.kind, r.name))


def _order_row(change: Change, lookups: Lookups, today: datetime.date, expiry_days: int) -> Row:
    declared = values(change.new.get("inputs")) if change.new else values(change.old.get("outputs"))
    recorded = values(change.old.get("outputs"))
    row = Row("order", change.name, change.action)
    row.outpost = _shown(declared.get("outpost_identifier") or recorded.get("outpost_id"))
    row.payment = _payment(declared)
    row.what = _ordered(declared)
    if declared.get("quote_identifier") is None:
        row.upfront = row.monthly = row.total = "not quoted"
    elif change.action in ("create", "replace", "update", "no change") and not declared.get("adopt_order_id"):
        _price(row, lookups, declared, recorded, today, expiry_days)
    if change.action == "replace" and recorded:
        was = Row("order", change.name, "same")
        was.payment = _payment(recorded)
        was.what = _ordered(recorded)
        row.what += "" if row.what.startswith(was.what) else f" (was {was.what})"
        row.payment += "" if was.payment == row.payment else f" (was {was.payment})"
    _consequence(row, change, declared, recorded)
    return row


def _consequence(row: Row, change: Change, declared: Mapping[str, Any], recorded: Mapping[str, Any]) -> None:
    """The Change cell and loud line: what `pulumi up` does to the order, judged by its last known status."""
    order_id = change.old.get("id") or recorded.get("order_id")
    status = recorded.get("status")
    seen = f"{status} at the last refresh" if status else "status unknown"
    subject = f"order {order_id} ({seen}) for Outpost {row.outpost}"
    on_delete_action = on_delete(status)
    retained = bool(declared.get("retain_on_delete") or recorded.get("retain_on_delete")  # the engine's option too:
                    or change.new.get("retainOnDelete") or change.old.get("retainOnDelete"))  # set by a transformation
    name = code(change.name)
    if change.action == "create" and declared.get("adopt_order_id"):
        adopted = _shown(declared["adopt_order_id"])
        row.action, row.change = "adopt", f"adopt {adopted}"
        row.upfront = row.monthly = row.total = "already ordered"
        row.warn(NOTE, f"**ADOPT {name}**: `pulumi up` reads order {adopted} (one GetOrder) and tracks it if it "
                       "matches the declaration; nothing is ordered.")
    elif change.action == "replace":
        why = f" (changed: {', '.join(change.reasons)})" if change.reasons else ""
        if on_delete_action is OnDelete.REFUSE or retained:
            row.risk, row.change = "refused", "**REPLACE: will be refused**"
            cause = "the resource has retain_on_delete" if retained else "it can no longer be cancelled"
            row.warn(STOP, f"**REPLACE {name} will be refused**: {subject}; {cause}, and `pulumi up` never leaves "
                           f"it live beside a new one{why}. Revert the change; order more hardware with a new "
                           "OutpostOrder.")
        elif on_delete_action is OnDelete.FORGET:
            row.change = "**REPLACE**"
            row.warn(WARN, f"**REPLACE {name}**: {subject} is history and is forgotten (nothing is cancelled); a "
                           f"new order is placed{why}.")
        else:
            row.change = "**REPLACE**"
            row.warn(WARN, f"**REPLACE {name}**: {subject} is cancelled first, then a new order is placed{why}. "
                           "If the order has moved on since the last refresh, `pulumi up` stops before placing "
                           "anything.")
    elif change.action == "cancel":
        if on_delete_action is OnDelete.FORGET:
            row.action, row.change = "forget", "forget (nothing cancelled)"
            row.warn(NOTE, f"**FORGET {name}**: {subject} is history; the stack forgets it and nothing is "
                           "cancelled.")
        elif on_delete_action is OnDelete.REFUSE:
            row.risk, row.change = "refused", "**CANCEL: will be refused**"
            row.warn(STOP, f"**CANCEL {name} will be refused**: {subject} can no longer be cancelled, so "
                           "`pulumi up` fails and the order stays in the stack. To stop managing it, remove it "
                           "with `pulumi state delete <urn>` (the order itself continues).")
        else:
            row.change = "**CANCEL**"
            row.warn(STOP, f"**CANCEL {name}**: {subject} is cancelled. If it has moved on since the last "
                           "refresh, `pulumi up` refuses and it stays in the stack.")


def _price(row: Row, lookups: Lookups, declared: Mapping[str, Any], recorded: Mapping[str, Any],
           today: datetime.date, expiry_days: int) -> None:
    quote_id, option_id = declared.get("quote_identifier"), declared.get("quote_option_identifier")
    expected = declared.get("expected_price") if isinstance(declared.get("expected_price"), Mapping) else None
    row.approved = _approved(expected)
    name = code(row.name)
    if is_unknown(quote_id) or is_unknown(option_id):
        row.upfront = row.monthly = row.total = "not priced yet"
        row.price_missing = True
        row.warn(WARN, f"**price unknown for {name}**: its quote or option is created or changed by this same "
                       "update. Create the quote first, then order it in a follow-up change so the price can be "
                       "reviewed.")
        return
    region = known_text(declared.get("region")) or known_text(recorded.get("region"))
    quote = lookups.quote(str(quote_id), region, known_text(declared.get("profile")))
    if isinstance(quote, str):
        row.upfront = row.monthly = row.total = "unavailable"
        row.price_missing = True
        row.warn(WARN, f"**price unavailable for {name}**: {quote}")
        return
    option = next((o for o in quote.get("quote_options") or [] if o.get("quote_option_identifier") == option_id),
                  None)
    if option is None:
        row.upfront = row.monthly = row.total = "unavailable"
        row.price_missing = True
        row.warn(STOP, f"**{name}**: quote {quote_id} has no option {option_id}; AWS will refuse the order.")
        return
    row.what += f": {capacities(option)}"
    _expiry(row, quote, today, expiry_days)
    if row.action in ("create", "replace"):
        renewal_required(row, quote.get("ordering_requirements"))
    price = price_of(option, str(declared.get("payment_option")), declared.get("payment_term"))
    if price is None:
        row.upfront = row.monthly = row.total = "not offered"
        row.price_missing = True
        row.warn(STOP, f"**{name}**: option {option_id} is not priced for {row.payment}; AWS will refuse the "
                       "order.")
    else:
        row.upfront, row.monthly = price.amount(price.upfront), price.amount(price.monthly)
        row.total = _total(price)
        _compare(row, expected, price)
        if expected is None:
            over_term = total_over_term(price.upfront, price.monthly, price.payment_term)
            row.quoted_only = (price.currency, price.upfront, over_term[0] if over_term else None)
    if row.action in ("create", "replace") and quote.get("quote_status") != "CREATED":
        row.warn(STOP, f"**{name}**: quote {quote_id} is {quote.get('quote_status')}; AWS will refuse an order "
                       "from it.")


def _total(price: Price) -> str:
    """Upfront + monthly * the term's months: ``$331,740.00 over 36 months``."""
    total = total_over_term(price.upfront, price.monthly, price.payment_term)
    if total is None:
        return f"unknown term {price.payment_term}"
    return f"{price.amount(total[0])} over {total[1]} months"


def _approved(expected: Mapping[str, Any] | None) -> str:
    if not expected:
        return "not set"
    currency = str(expected.get("currency") or "USD")
    shown = Price("", "", 0.0, 0.0, currency)
    parts = [f"{label} {shown.amount(float(expected[key]))}" for key, label in
             (("upfront_price", "upfront"), ("monthly_recurring_price", "monthly"))
             if isinstance(expected.get(key), int | float)]
    return ", ".join(parts) or f"currency {currency}"


def _compare(row: Row, expected: Mapping[str, Any] | None, price: Price) -> None:
    """A loud line when the approved price (``expected_price``) is not the quoted one."""
    if not expected:
        return
    problems = [
        f"currency {d.expected} approved, {d.quoted or 'none'} quoted" if d.what == "currency" else
        f"{d.what} {_amount(price, d.expected)} approved, {_amount(price, d.quoted)} quoted"
        for d in price_differences(expected, price)
    ]
    if problems:
        row.approved = f"❌ {row.approved}"
        row.warn(STOP, f"**PRICE MISMATCH {code(row.name)}**: {'; '.join(problems)}. `pulumi up` will refuse to "
                       "order (expected_price); update it only if the quoted price is accepted.")
    else:
        row.approved = f"✅ {row.approved}"


def _expiry(row: Row, quote: Mapping[str, Any], today: datetime.date, expiry_days: int) -> None:
    expires = date_of(quote.get("expiration_date"))
    if expires is None:
        return
    row.what += f" (quote expires {expires.isoformat()})"
    if row.action not in ("create", "replace"):
        return
    left = (expires - today).days
    if left < 0:
        row.warn(STOP, f"**QUOTE EXPIRED for {code(row.name)}**: quote {quote.get('quote_id')} expired on "
                       f"{expires.isoformat()}; AWS will refuse an order from it. Update the quote first.")
    elif left <= expiry_days:
        row.warn(WARN, f"**quote expiring for {code(row.name)}**: quote {quote.get('quote_id')} expires on "
                       f"{expires.isoformat()} (in {left} days); run `pulumi up` before then.")


def _accounts(found: Sequence[Change], lookups: Lookups) -> list[str]:
    """Accounts of the orders (``account_id`` outputs) and, for new orders, the caller's account."""
    accounts: list[str] = []
    for change in found:
        recorded = values(change.old.get("outputs"))
        if recorded.get("account_id"):
            accounts.append(str(recorded["account_id"]))
        elif change.kind == "order" and change.action in ("create", "replace") and change.new:
            declared = values(change.new.get("inputs"))
            account = lookups.account(known_text(declared.get("region")), known_text(declared.get("profile")))
            if account:
                accounts.append(account)
    return list(dict.fromkeys(accounts))


def _contracts(found: Sequence[Change], lookups: Lookups) -> dict[str, str]:
    """The contract end of each Outpost an order or renewal to be placed is for (once per Outpost)."""
    wanted: dict[str, tuple[str | None, str | None]] = {}
    for change in found:
        if change.kind not in ("order", RENEWAL) or change.action not in ("create", "replace") or not change.new:
            continue
        declared = values(change.new.get("inputs"))
        outpost = known_text(declared.get("outpost_identifier"))
        if outpost and not declared.get("adopt_order_id"):
            wanted.setdefault(outpost, (known_text(declared.get("region")), known_text(declared.get("profile"))))
    return {outpost: contract_facts(lookups, outpost, *where) for outpost, where in sorted(wanted.items())}


def _catalog(found: Sequence[Change], lookups: Lookups) -> dict[str, str]:
    """What each catalog item ordered by a create or replacement is (GetCatalogItem, once per item, by ID)."""
    wanted: dict[str, tuple[str | None, str | None]] = {}
    for change in found:
        if change.kind != "order" or change.action not in ("create", "replace") or not change.new:
            continue
        declared = values(change.new.get("inputs"))
        if declared.get("adopt_order_id"):
            continue
        for line in declared.get("line_items") or []:
            item_id = line.get("catalog_item_id") if isinstance(line, Mapping) else None
            if isinstance(item_id, str) and not is_unknown(item_id):
                wanted.setdefault(item_id, (known_text(declared.get("region")), known_text(declared.get("profile"))))
    facts: dict[str, str] = {}
    for item_id, (region, profile) in sorted(wanted.items()):  # the engine's step order varies between runs
        item = lookups.catalog_item(item_id, region, profile)
        facts[item_id] = f"not read ({item})" if isinstance(item, str) else describe_item(item)
    return facts


def describe_item(item: Mapping[str, Any]) -> str:
    """``EC2 m5.24xlarge x4; 10 kVA; 1,800 lb; AVAILABLE`` from a GetCatalogItem answer."""
    parts = [f"EC2 {c.get('Family')}.{c.get('MaxSize')} x{c.get('Quantity')}" for c in item.get("EC2Capacities") or []]
    if item.get("PowerKva") is not None:
        parts.append(f"{float(item['PowerKva']):g} kVA")
    if item.get("WeightLbs") is not None:
        parts.append(f"{int(item['WeightLbs']):,} lb")
    if item.get("ItemStatus") and item["ItemStatus"] != "AVAILABLE":
        parts.append(f"**{item['ItemStatus']}**")
    return "; ".join(parts) or "no facts given"


def _quote_row(change: Change) -> Row:
    declared = values(change.new.get("inputs")) if change.new else values(change.old.get("outputs"))
    row = Row("quote", change.name, change.action)
    row.change = {"replace": "replace", "cancel": "delete"}.get(change.action, change.action)
    row.risk = "delete" if change.action == "cancel" else change.action
    row.outpost = _shown(declared.get("outpost_identifier"))
    requested = {"capacities": declared.get("requested_capacities") or []}
    row.what = f"quote for {capacities(requested)}"
    options = declared.get("requested_payment_options") or ["all payment options"]
    terms = declared.get("requested_payment_terms") or ["all terms"]
    row.payment = f"{', '.join(map(_shown, options))} / {', '.join(map(_shown, terms))}"
    return row


def _ordered(given: Mapping[str, Any]) -> str:
    """``OR-A1B2C3D x2`` for line items, ``quote oq-…, option oqo-…`` for a quote order."""
    if given.get("quote_identifier") is None:
        return ", ".join(_item(i) for i in given.get("line_items") or []) or "—"
    return f"quote {_shown(given.get('quote_identifier'))}, option {_shown(given.get('quote_option_identifier'))}"


def _payment(given: Mapping[str, Any]) -> str:
    term = given.get("payment_term")
    return f"{_shown(given.get('payment_option'))} / {_shown(term) if term else 'term set by AWS'}"


def _item(item: Any) -> str:
    if not isinstance(item, Mapping):
        return _shown(item)
    quantity = item.get("quantity")
    if isinstance(quantity, float) and quantity.is_integer():
        quantity = int(quantity)
    return f"{_shown(item.get('catalog_item_id'))} x{_shown(quantity)}"


def _amount(price: Price, value: Any) -> str:
    return price.amount(float(value)) if is_amount(value) else "none" if value is None else str(value)
