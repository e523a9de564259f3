"""``outposts-orders review``: what a ``pulumi preview --json`` would order, as a pull-request comment.

A header (stack, project, region, account), one table row per order or quote in the preview,
riskiest first (refused, replace, cancel, create, adopt, forget…), then short loud lines, riskiest
first. For quote-based orders the row shows the approved price (``expected_price``), the quoted
upfront and monthly price and the total commitment over the term, read with read-only GetQuote
calls resolved exactly as the provider resolves them (``_lookups``); line items are described from
GetCatalogItem. A failed preview (error diagnostics) is never reported as "no change": the errors
are the comment, and the exit status is 2.

Only known fields are read from the preview: resource inputs are never printed wholesale (they
carry the serialized provider under ``__provider``).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pulumi.runtime.rpc import UNKNOWN

from . import _aws
from ._lookups import Lookups
from ._markdown import code, table
from ._provider.order import ON_DELETE, OnDelete
from ._quote_options import Price, capacities, price_of
from ._tokens import ORDER_TYPE, QUOTE_TYPE

# What an engine step means for one resource. A replacement shows up as one ``replace`` step or as
# ``create-replacement`` + ``delete-replaced``; either way it is one "replace" row.
STEP_ACTIONS: dict[str, str] = {
    "create": "create",
    "same": "no change",
    "update": "update",
    "delete": "cancel",
    "replace": "replace",
    "create-replacement": "replace",
    "delete-replaced": "replace",
    "discard-replaced": "replace",
    "import": "adopt",
    "import-replacement": "replace",
}
# When a resource has several steps, the most consequential one names the row.
_PRECEDENCE = ("replace", "cancel", "create", "adopt", "update", "no change")
# Rows are sorted riskiest first by what they will do (``Row.risk``).
_RISK = ("refused", "replace", "cancel", "create", "adopt", "forget", "delete", "update", "no change")
HEADERS = ("Change", "Resource", "Outpost", "What is ordered", "Payment", "Approved", "Upfront", "Monthly",
           "Total over term")
TERM_MONTHS = {"ONE_YEAR": 12, "THREE_YEARS": 36, "FIVE_YEARS": 60}
STOP, WARN, NOTE = "🛑", "⚠️", "📝"
_LOUDNESS = (STOP, WARN, NOTE)
EXPIRY_DAYS = 14


class ReviewError(Exception):
    """The input is not a usable ``pulumi preview --json`` document."""


@dataclass
class Row:
    """One order or quote change, ready to print."""

    kind: str
    name: str
    action: str
    change: str = ""
    risk: str = ""
    outpost: str = "—"
    what: str = "—"
    payment: str = "—"
    approved: str = "—"
    upfront: str = "—"
    monthly: str = "—"
    total: str = "—"
    price_missing: bool = False
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def cells(self) -> list[str]:
        """The table cells, in ``HEADERS`` order."""
        return [self.change or self.action, f"{self.kind} {code(self.name)}", self.outpost, self.what,
                self.payment, self.approved, self.upfront, self.monthly, self.total]

    def warn(self, loudness: str, text: str) -> None:
        """Add a loud line (``STOP``, ``WARN`` or ``NOTE``)."""
        self.warnings.append((loudness, text))


# --- reading the preview -------------------------------------------------------------------------
def load(text: str) -> dict[str, Any]:
    """The preview document in ``text``; :class:`ReviewError` when it is not one."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReviewError(f"the input is not JSON ({exc}); pass the output of `pulumi preview --json`") from exc
    if not isinstance(document, dict) or not isinstance(document.get("steps", []), list):
        raise ReviewError("the input is not the output of `pulumi preview --json` (no `steps` list)")
    if "steps" not in document and not errors(document):
        raise ReviewError("the preview has no steps and no errors: pass the output of `pulumi preview --json`")
    return document


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class Failure:
    """An error diagnostic of the preview: the resource it names (if any) and the message."""

    resource: str | None
    message: str


def errors(document: Mapping[str, Any]) -> list[Failure]:
    """The preview's error diagnostics (the provider's refusals among them), in the engine's order."""
    found: list[Failure] = []
    for diagnostic in document.get("diagnostics") or []:
        if not isinstance(diagnostic, Mapping) or diagnostic.get("severity") != "error":
            continue
        message = _ANSI.sub("", str(diagnostic.get("message") or "")).strip()
        for prefix in ("error: ", "Exception calling application: "):
            message = message.removeprefix(prefix)
        urn = diagnostic.get("urn")
        resource = str(urn).rsplit("::", 1)[-1] if urn else None
        if message and Failure(resource, message) not in found:
            found.append(Failure(resource, message))
    return found


@dataclass(frozen=True)
class Context:
    """What the header says: the stack and project (from the URNs) and the stack's AWS config."""

    stack: str | None
    project: str | None
    config: _aws.StackAwsConfig
    region_source: str = "aws:region"


def context(document: Mapping[str, Any], region: str | None = None, profile: str | None = None) -> Context:
    """The stack, project and AWS config of the preview; ``region``/``profile`` (flags) override the config."""
    config: Mapping[str, Any] = _values(document.get("config"))
    stack_config = _aws.StackAwsConfig.from_config(lambda key: config.get(key))
    # The preview's whole aws config (assumed roles and endpoints included), the flags standing in for
    # aws:region / aws:profile.
    stack_config = dataclasses.replace(
        stack_config, region=region or stack_config.region, profile=profile or stack_config.profile,
        region_source="--region" if region else stack_config.region_source,
        profile_source="--profile" if profile else stack_config.profile_source)
    urn = next((str(s.get("urn")) for s in document.get("steps") or [] if str(s.get("urn", "")).startswith("urn:")),
               "")
    parts = urn.split("::")
    stack = parts[0].removeprefix("urn:pulumi:") if len(parts) > 2 else None
    return Context(stack, parts[1] if len(parts) > 2 else None, stack_config, "--region" if region else "aws:region")


@dataclass(frozen=True)
class Change:
    """A resource of ours in the preview: its action and its old and new state."""

    kind: str
    name: str
    action: str
    old: Mapping[str, Any]
    new: Mapping[str, Any]
    reasons: tuple[str, ...]


def changes(document: Mapping[str, Any]) -> list[Change]:
    """Orders and quotes in the preview, one per resource (the engine's order varies between runs)."""
    kinds = {ORDER_TYPE: "order", QUOTE_TYPE: "quote"}
    by_urn: dict[str, list[Mapping[str, Any]]] = {}
    for step in document.get("steps") or []:
        state = step.get("newState") or step.get("oldState") or {}
        if state.get("type") in kinds and STEP_ACTIONS.get(step.get("op", "")):
            by_urn.setdefault(step["urn"], []).append(step)
    found: list[Change] = []
    for urn, steps in by_urn.items():
        actions = {STEP_ACTIONS[s["op"]] for s in steps}
        action = next(a for a in _PRECEDENCE if a in actions)
        old: Mapping[str, Any] = next((s["oldState"] for s in steps if s.get("oldState")), {})
        new: Mapping[str, Any] = next(
            (s["newState"] for s in steps if s.get("newState") and s["op"] != "delete-replaced"), {}
        )
        reasons = tuple(r for s in steps for r in s.get("replaceReasons") or [])
        kind = kinds[(new or old)["type"]]
        found.append(Change(kind, urn.rsplit("::", 1)[-1], action, old, new, tuple(dict.fromkeys(reasons))))
    return found


# --- rows ----------------------------------------------------------------------------------------
@dataclass
class Review:
    """Everything the comment says: header facts, rows, catalog facts, and the preview's errors."""

    context: Context
    rows: list[Row]
    accounts: list[str] = field(default_factory=list)
    catalog: dict[str, str] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)


def review(document: Mapping[str, Any], lookups: Lookups, today: datetime.date | None = None,
           expiry_days: int = EXPIRY_DAYS, ctx: Context | None = None) -> Review:
    """The review of a preview document (look-ups only for a preview that did not fail)."""
    ctx = ctx or context(document)
    failed = errors(document)
    if failed:
        return Review(ctx, [], failures=failed)
    found = rows(document, lookups, today or datetime.datetime.now(datetime.UTC).date(), expiry_days)
    result = Review(ctx, found)
    result.catalog = _catalog(changes(document), lookups)
    result.accounts = _accounts(changes(document), lookups)
    return result


def rows(document: Mapping[str, Any], lookups: Lookups, today: datetime.date | None = None,
         expiry_days: int = EXPIRY_DAYS) -> list[Row]:
    """One row per order or quote change, riskiest first; by name within each kind of change."""
    day = today or datetime.datetime.now(datetime.UTC).date()
    made = [_order_row(c, lookups, day, expiry_days) if c.kind == "order" else _quote_row(c)
            for c in changes(document)]
    return sorted(made, key=lambda r: (_RISK.index(r.risk or r.action), r.kind, r.name))


def _order_row(change: Change, lookups: Lookups, today: datetime.date, expiry_days: int) -> Row:
    declared = _values(change.new.get("inputs")) if change.new else _values(change.old.get("outputs"))
    recorded = _values(change.old.get("outputs"))
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
    on_delete = ON_DELETE.get(str(status), OnDelete.REFUSE) if status else OnDelete.CANCEL
    retained = bool(declared.get("retain_on_delete") or recorded.get("retain_on_delete"))
    name = code(change.name)
    if change.action == "create" and declared.get("adopt_order_id"):
        adopted = _shown(declared["adopt_order_id"])
        row.action, row.change = "adopt", f"adopt {adopted}"
        row.upfront = row.monthly = row.total = "already ordered"
        row.warn(NOTE, f"**ADOPT {name}**: `pulumi up` reads order {adopted} (one GetOrder) and tracks it if it "
                       "matches the declaration; nothing is ordered.")
    elif change.action == "replace":
        why = f" (changed: {', '.join(change.reasons)})" if change.reasons else ""
        if on_delete is OnDelete.REFUSE or retained:
            row.risk, row.change = "refused", "**REPLACE: will be refused**"
            cause = "the resource has retain_on_delete" if retained else "it can no longer be cancelled"
            row.warn(STOP, f"**REPLACE {name} will be refused**: {subject}; {cause}, and `pulumi up` never leaves "
                           f"it live beside a new one{why}. Revert the change; order more hardware with a new "
                           "OutpostOrder.")
        elif on_delete is OnDelete.FORGET:
            row.change = "**REPLACE**"
            row.warn(WARN, f"**REPLACE {name}**: {subject} is history and is forgotten (nothing is cancelled); a "
                           f"new order is placed{why}.")
        else:
            row.change = "**REPLACE**"
            row.warn(WARN, f"**REPLACE {name}**: {subject} is cancelled first, then a new order is placed{why}. "
                           "If the order has moved on since the last refresh, `pulumi up` stops before placing "
                           "anything.")
    elif change.action == "cancel":
        if on_delete is OnDelete.FORGET:
            row.action, row.change = "forget", "forget (nothing cancelled)"
            row.warn(NOTE, f"**FORGET {name}**: {subject} is history; the stack forgets it and nothing is "
                           "cancelled.")
        elif on_delete is OnDelete.REFUSE:
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
    if _unknown(quote_id) or _unknown(option_id):
        row.upfront = row.monthly = row.total = "not priced yet"
        row.price_missing = True
        row.warn(WARN, f"**price unknown for {name}**: its quote or option is created or changed by this same "
                       "update. Create the quote first, then order it in a follow-up change so the price can be "
                       "reviewed.")
        return
    region = _text(declared.get("region")) or _text(recorded.get("region"))
    quote = lookups.quote(str(quote_id), region, _text(declared.get("profile")))
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
    if row.action in ("create", "replace") and quote.get("quote_status") != "CREATED":
        row.warn(STOP, f"**{name}**: quote {quote_id} is {quote.get('quote_status')}; AWS will refuse an order "
                       "from it.")


def _total(price: Price) -> str:
    """Upfront + monthly * the term's months: ``$331,740.00 over 36 months``."""
    months = TERM_MONTHS.get(price.payment_term)
    if months is None:
        return f"unknown term {price.payment_term}"
    return f"{price.amount(price.upfront + price.monthly * months)} over {months} months"


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
    problems = []
    if str(expected.get("currency") or "") != price.currency:
        problems.append(f"currency {expected.get('currency')} approved, {price.currency} quoted")
    for key, label, quoted in (("upfront_price", "upfront", price.upfront),
                               ("monthly_recurring_price", "monthly", price.monthly)):
        want = expected.get(key)
        if isinstance(want, int | float) and abs(float(want) - quoted) > 0.005:
            problems.append(f"{label} {price.amount(float(want))} approved, {price.amount(quoted)} quoted")
    if problems:
        row.approved = f"❌ {row.approved}"
        row.warn(STOP, f"**PRICE MISMATCH {code(row.name)}**: {'; '.join(problems)}. `pulumi up` will refuse to "
                       "order (expected_price); update it only if the quoted price is accepted.")
    else:
        row.approved = f"✅ {row.approved}"


def _expiry(row: Row, quote: Mapping[str, Any], today: datetime.date, expiry_days: int) -> None:
    expires = _date(quote.get("expiration_date"))
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
        recorded = _values(change.old.get("outputs"))
        if recorded.get("account_id"):
            accounts.append(str(recorded["account_id"]))
        elif change.kind == "order" and change.action in ("create", "replace") and change.new:
            declared = _values(change.new.get("inputs"))
            account = lookups.account(_text(declared.get("region")), _text(declared.get("profile")))
            if account:
                accounts.append(account)
    return list(dict.fromkeys(accounts))


def _catalog(found: Sequence[Change], lookups: Lookups) -> dict[str, str]:
    """What each catalog item ordered by a create or replacement is (GetCatalogItem, once per item)."""
    facts: dict[str, str] = {}
    for change in found:
        if change.kind != "order" or change.action not in ("create", "replace") or not change.new:
            continue
        declared = _values(change.new.get("inputs"))
        if declared.get("adopt_order_id"):
            continue
        for line in declared.get("line_items") or []:
            item_id = line.get("catalog_item_id") if isinstance(line, Mapping) else None
            if isinstance(item_id, str) and not _unknown(item_id) and item_id not in facts:
                item = lookups.catalog_item(item_id, _text(declared.get("region")), _text(declared.get("profile")))
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
    declared = _values(change.new.get("inputs")) if change.new else _values(change.old.get("outputs"))
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


def _ordered(values: Mapping[str, Any]) -> str:
    """``OR-A1B2C3D x2`` for line items, ``quote oq-…, option oqo-…`` for a quote order."""
    if values.get("quote_identifier") is None:
        return ", ".join(_item(i) for i in values.get("line_items") or []) or "—"
    return f"quote {_shown(values.get('quote_identifier'))}, option {_shown(values.get('quote_option_identifier'))}"


def _payment(values: Mapping[str, Any]) -> str:
    term = values.get("payment_term")
    return f"{_shown(values.get('payment_option'))} / {_shown(term) if term else 'term set by AWS'}"


def _date(value: Any) -> datetime.date | None:
    try:
        return datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00")).date() if value else None
    except ValueError:
        return None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value and not _unknown(value) else None


def _values(mapping: Any) -> dict[str, Any]:
    return dict(mapping) if isinstance(mapping, Mapping) else {}


def _unknown(value: Any) -> bool:
    return isinstance(value, str) and value == UNKNOWN


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    return "(known after `pulumi up`)" if _unknown(value) else str(value)


def _item(item: Any) -> str:
    if not isinstance(item, Mapping):
        return _shown(item)
    quantity = item.get("quantity")
    if isinstance(quantity, float) and quantity.is_integer():
        quantity = int(quantity)
    return f"{_shown(item.get('catalog_item_id'))} x{_shown(quantity)}"


# --- rendering -----------------------------------------------------------------------------------
def render(result: Review | Sequence[Row], title: str = "Outposts orders in this change") -> str:
    """The pull-request comment: title, header line, errors or summary and table, loud lines, catalog facts."""
    if not isinstance(result, Review):
        result = Review(Context(None, None, _aws.StackAwsConfig()), list(result))
    lines = [f"### {title}", ""]
    header = _header(result)
    if header:
        lines += [header, ""]
    if result.failures:
        lines += [f"{STOP} **The preview failed: this change cannot be approved.** `pulumi preview` stopped with "
                  f"{len(result.failures)} error{'s' if len(result.failures) > 1 else ''}; `pulumi up` would stop "
                  "the same way.", ""]
        for failure in result.failures:
            where = f"resource {code(failure.resource)}" if failure.resource else "the program"
            lines += [f"**Error in {where}:**", "", "```text", failure.message.replace("```", "'''"), "```", ""]
        return "\n".join(lines)
    if not result.rows:
        return "\n".join([*lines, "No Outposts orders or quotes change.", ""])
    lines += [summary(result.rows), "", table(HEADERS, [row.cells() for row in result.rows])]
    loud = sorted((w for row in result.rows for w in row.warnings), key=lambda w: _LOUDNESS.index(w[0]))
    for loudness, text in loud:
        lines += ["", f"{loudness} {text}"]
    if result.catalog:
        lines += ["", "Catalog items (GetCatalogItem):", ""]
        lines += [f"- {code(item)}: {facts}" for item, facts in sorted(result.catalog.items())]
    return "\n".join([*lines, ""])


def _header(result: Review) -> str:
    ctx = result.context
    parts = []
    if ctx.stack:
        parts.append(f"Stack {code(ctx.stack)}" + (f" of project {code(ctx.project)}" if ctx.project else ""))
    if ctx.stack or ctx.config.region:
        try:
            target = _aws.resolve_target(None, None, ctx.config)
            source = ctx.region_source if ctx.config.region else "AWS environment"
            parts.append(f"region {target.region} ({source})" + (f", profile {target.profile}" if target.profile
                                                                  else ""))
        except _aws.AwsConfigError:
            parts.append("region not set")
    if result.accounts:
        parts.append(f"account{'s' if len(result.accounts) > 1 else ''} {', '.join(result.accounts)}")
    return " · ".join(parts)


def summary(found: Sequence[Row]) -> str:
    """``Orders: 1 cancel that will be refused, 1 replace, 2 create. Quotes: 1 create.``"""
    parts = []
    for kind in ("order", "quote"):
        counts: dict[str, int] = {}
        for row in found:
            if row.kind == kind:
                label = f"{row.action} that will be refused" if row.risk == "refused" else row.action
                counts[label] = counts.get(label, 0) + 1
        if counts:
            parts.append(f"{kind.capitalize()}s: " + ", ".join(f"{n} {label}" for label, n in counts.items()) + ".")
    return " ".join(parts)


# --- command -------------------------------------------------------------------------------------
EXIT_OK, EXIT_REPLACE, EXIT_BAD_INPUT, EXIT_NO_PRICE = 0, 1, 2, 3


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``review`` subcommand."""
    parser = subparsers.add_parser(
        "review",
        help="summarize `pulumi preview --json` as Markdown for a pull request",
        description="Read `pulumi preview --json` and print a Markdown summary of every Outposts order and "
        "quote change, with prices from the quotes (read-only GetQuote calls). Exit status: 0; 1 with "
        "--fail-on-replace when an order would be replaced; 2 when the input is not a preview or the preview "
        "failed; 3 with --require-prices when a price could not be read.",
    )
    parser.add_argument("file", nargs="?", default="-", metavar="FILE",
                        help="the preview JSON (default: standard input, also `-`)")
    parser.add_argument("--fail-on-replace", action="store_true",
                        help="exit with status 1 when an order would be replaced")
    parser.add_argument("--require-prices", action="store_true",
                        help="exit with status 3 when the price of an order to be placed cannot be read")
    parser.add_argument("--region", help="AWS region for quote look-ups, in place of the stack's aws:region "
                        "config (then AWS_REGION, AWS_DEFAULT_REGION, the profile's region, as the provider)")
    parser.add_argument("--profile", help="AWS profile for quote look-ups, in place of the stack's aws:profile "
                        "config (then AWS_PROFILE, the default chain, as the provider)")
    parser.add_argument("--expiry-days", type=int, default=EXPIRY_DAYS, metavar="N",
                        help="warn when a quote to be ordered expires within N days (default: %(default)s)")
    parser.add_argument("--title", default="Outposts orders in this change", help="the comment's heading")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the review; see the exit statuses in ``register``."""
    try:
        text = sys.stdin.read() if args.file == "-" else _read(args.file)
        document = load(text)
    except ReviewError as exc:
        print(f"outposts-orders review: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    ctx = context(document, args.region, args.profile)
    result = review(document, Lookups(ctx.config), expiry_days=args.expiry_days, ctx=ctx)
    sys.stdout.write(render(result, args.title))
    if result.failures:
        print(f"outposts-orders review: the preview failed ({len(result.failures)} error(s)); nothing can be "
              "approved", file=sys.stderr)
        return EXIT_BAD_INPUT
    unpriced = [row.name for row in result.rows if row.price_missing and row.action in ("create", "replace")]
    if args.require_prices and unpriced:
        print(f"outposts-orders review: prices could not be read for: {', '.join(unpriced)}", file=sys.stderr)
        return EXIT_NO_PRICE
    replaced = [row.name for row in result.rows if row.kind == "order" and row.action == "replace"]
    if args.fail_on_replace and replaced:
        print(f"outposts-orders review: orders would be replaced: {', '.join(replaced)}", file=sys.stderr)
        return EXIT_REPLACE
    return EXIT_OK


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError as exc:
        raise ReviewError(f"cannot read {path}: {exc.strerror}") from exc
