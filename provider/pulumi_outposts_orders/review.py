"""``outposts-orders review``: what a ``pulumi preview --json`` would order, as a pull-request comment.

One table row per order or quote in the preview (create, replace, cancel, update, no change) with
the Outpost, what is ordered, payment option and term, and, for quote-based orders, the upfront
and monthly price read from the quote (GetQuote, read-only, with the same AWS configuration as
the provider). Every replace or cancel also gets a warning line of its own.

Only known fields are read from the preview: resource inputs are never printed wholesale (they
carry the serialized provider under ``__provider``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pulumi.runtime.rpc import UNKNOWN

from . import _aws
from ._markdown import code, table
from ._provider.finders import find_quote
from ._provider.quote import flatten_quote
from ._quote_options import capacities, price_of
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
# When a resource has several steps, the most consequential one names the row; rows are sorted so.
_PRECEDENCE = ("replace", "cancel", "create", "adopt", "update", "no change")
# How each action is shown; a quote is deleted, not cancelled.
_SHOWN: dict[tuple[str, str], str] = {
    ("order", "replace"): "**REPLACE**",
    ("order", "cancel"): "**CANCEL**",
    ("quote", "replace"): "replace",
    ("quote", "cancel"): "delete",
}
HEADERS = ("Change", "Resource", "Outpost", "What is ordered", "Payment", "Upfront", "Monthly")


class ReviewError(Exception):
    """The input is not a usable ``pulumi preview --json`` document."""


@dataclass
class Row:
    """One order or quote change, ready to print."""

    kind: str
    name: str
    action: str
    outpost: str = "—"
    what: str = "—"
    payment: str = "—"
    upfront: str = "—"
    monthly: str = "—"
    warnings: list[str] = field(default_factory=list)

    def cells(self) -> list[str]:
        """The table cells, in ``HEADERS`` order."""
        change = _SHOWN.get((self.kind, self.action), self.action)
        return [change, f"{self.kind} {code(self.name)}", self.outpost, self.what, self.payment,
                self.upfront, self.monthly]


# --- reading the preview -------------------------------------------------------------------------
def load(text: str) -> dict[str, Any]:
    """The preview document in ``text``; :class:`ReviewError` when it is not one."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReviewError(f"the input is not JSON ({exc}); pass the output of `pulumi preview --json`") from exc
    if not isinstance(document, dict) or not isinstance(document.get("steps", []), list):
        raise ReviewError("the input is not the output of `pulumi preview --json` (no `steps` list)")
    errors = [d.get("message", "") for d in document.get("diagnostics") or [] if d.get("severity") == "error"]
    if "steps" not in document:
        detail = "".join(f"\n  {e.strip()}" for e in errors)
        raise ReviewError("the preview has no steps" + (f"; it failed:{detail}" if errors else ""))
    return document


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


# --- quotes, looked up read-only -----------------------------------------------------------------
class Quotes:
    """GetQuote with the provider's AWS configuration (region/profile resolution), one call per quote."""

    def __init__(self, stack: _aws.StackAwsConfig) -> None:
        self._stack = stack
        self._seen: dict[tuple[str, str | None, str], dict[str, Any] | str] = {}

    def get(self, quote_id: str, region: str | None, profile: str | None) -> dict[str, Any] | str:
        """The quote (snake_case), or why it could not be read."""
        key = (quote_id, region, profile or "")
        if key not in self._seen:
            try:
                target = _aws.resolve_target(region, profile, self._stack)
                quote = find_quote(target, quote_id)
                self._seen[key] = flatten_quote(quote) if quote else f"quote {quote_id} does not exist"
            except Exception as exc:  # any failure is reported in the comment, never hidden
                self._seen[key] = str(exc)
        return self._seen[key]


# --- rows ----------------------------------------------------------------------------------------
def rows(document: Mapping[str, Any], quotes: Quotes) -> list[Row]:
    """One row per order or quote change: replacements first, then cancels, creates…; by name within each."""
    ordered = sorted(changes(document), key=lambda c: (_PRECEDENCE.index(c.action), c.kind, c.name))
    return [(_order_row if c.kind == "order" else _quote_row)(c, quotes) for c in ordered]


def _order_row(change: Change, quotes: Quotes) -> Row:
    declared = _values(change.new.get("inputs")) if change.new else _values(change.old.get("outputs"))
    recorded = _values(change.old.get("outputs"))
    row = Row("order", change.name, change.action)
    row.outpost = _shown(declared.get("outpost_identifier") or recorded.get("outpost_id"))
    payment_option, payment_term = declared.get("payment_option"), declared.get("payment_term")
    row.payment = f"{_shown(payment_option)} / {_shown(payment_term) if payment_term else 'term set by AWS'}"
    quote_id, option_id = declared.get("quote_identifier"), declared.get("quote_option_identifier")
    if quote_id is None:
        row.what = ", ".join(_item(i) for i in declared.get("line_items") or []) or "—"
        row.upfront = row.monthly = "not quoted"
    else:
        row.what = f"quote {_shown(quote_id)}, option {_shown(option_id)}"
        _price(row, quotes, declared, recorded)
    order_id = change.old.get("id") or recorded.get("order_id")
    status = recorded.get("status", "status unknown")
    if change.action == "replace" and recorded:
        was = _order_row(Change("order", change.name, "same", change.old, {}, ()), quotes)
        row.what += "" if was.what == row.what else f" (was {was.what})"
        row.payment += "" if was.payment == row.payment else f" (was {was.payment})"
    if change.action == "replace":
        why = f" (changed: {', '.join(change.reasons)})" if change.reasons else ""
        row.warnings.insert(0, f"⚠️ **REPLACE {code(change.name)}**: order {order_id} ({status}) for Outpost "
                               f"{row.outpost} is cancelled first, then a new order is placed{why}.")
    elif change.action == "cancel":
        row.warnings.insert(0, f"🛑 **CANCEL {code(change.name)}**: order {order_id} ({status}) for Outpost "
                               f"{row.outpost} is cancelled.")
    return row


def _price(row: Row, quotes: Quotes, declared: Mapping[str, Any], recorded: Mapping[str, Any]) -> None:
    quote_id, option_id = declared.get("quote_identifier"), declared.get("quote_option_identifier")
    if _unknown(quote_id) or _unknown(option_id):
        row.upfront = row.monthly = "not priced yet"
        row.warnings.append(f"⚠️ **price unknown for {code(row.name)}**: its quote or option is created or "
                            "changed by this same update. Create the quote first, then order it in a "
                            "follow-up change so the price can be reviewed.")
        return
    region = declared.get("region") or recorded.get("region")
    quote = quotes.get(str(quote_id), region, declared.get("profile"))
    if isinstance(quote, str):
        row.upfront = row.monthly = "unavailable"
        row.warnings.append(f"⚠️ **price unavailable for {code(row.name)}**: {quote}")
        return
    option = next((o for o in quote.get("quote_options") or [] if o.get("quote_option_identifier") == option_id),
                  None)
    if option is None:
        row.upfront = row.monthly = "unavailable"
        row.warnings.append(f"⚠️ **{code(row.name)}**: quote {quote_id} has no option {option_id}.")
        return
    row.what += f": {capacities(option)}"
    price = price_of(option, str(declared.get("payment_option")), declared.get("payment_term"))
    if price is None:
        row.upfront = row.monthly = "not offered"
        row.warnings.append(f"⚠️ **{code(row.name)}**: option {option_id} is not priced for {row.payment}.")
    else:
        row.upfront, row.monthly = price.amount(price.upfront), price.amount(price.monthly)
    if row.action in ("create", "replace") and quote.get("quote_status") != "CREATED":
        row.warnings.append(f"⚠️ **{code(row.name)}**: quote {quote_id} is {quote.get('quote_status')}; "
                            "AWS will refuse an order from it.")


def _quote_row(change: Change, _quotes: Quotes) -> Row:
    declared = _values(change.new.get("inputs")) if change.new else _values(change.old.get("outputs"))
    row = Row("quote", change.name, change.action)
    row.outpost = _shown(declared.get("outpost_identifier"))
    requested = {"capacities": declared.get("requested_capacities") or []}
    row.what = f"quote for {capacities(requested)}"
    options = declared.get("requested_payment_options") or ["all payment options"]
    terms = declared.get("requested_payment_terms") or ["all terms"]
    row.payment = f"{', '.join(map(_shown, options))} / {', '.join(map(_shown, terms))}"
    return row


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
def render(found: Sequence[Row], title: str = "Outposts orders in this change") -> str:
    """The pull-request comment: a title, a one-line summary, the table, then the warning lines."""
    lines = [f"### {title}", ""]
    if not found:
        return "\n".join([*lines, "No Outposts orders or quotes change.", ""])
    lines += [summary(found), "", table(HEADERS, [row.cells() for row in found])]
    warnings = [w for row in found for w in row.warnings]
    if warnings:
        lines.append("")
        for warning in warnings:
            lines += [warning, ""]
        lines.pop()
    return "\n".join([*lines, ""])


def summary(found: Sequence[Row]) -> str:
    """``Orders: 1 create, 1 replace, 1 cancel. Quotes: 1 create.``"""
    parts = []
    for kind in ("order", "quote"):
        counts: dict[str, int] = {}
        for row in found:
            if row.kind == kind:
                label = _SHOWN.get((kind, row.action), row.action).strip("*").lower()
                counts[label] = counts.get(label, 0) + 1
        if counts:
            parts.append(f"{kind.capitalize()}s: " + ", ".join(f"{n} {label}" for label, n in counts.items()) + ".")
    return " ".join(parts)


# --- command -------------------------------------------------------------------------------------
def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``review`` subcommand."""
    parser = subparsers.add_parser(
        "review",
        help="summarize `pulumi preview --json` as Markdown for a pull request",
        description="Read `pulumi preview --json` and print a Markdown summary of every Outposts order and "
        "quote change, with prices from the quotes (read-only GetQuote calls).",
    )
    parser.add_argument("file", nargs="?", default="-", metavar="FILE",
                        help="the preview JSON (default: standard input, also `-`)")
    parser.add_argument("--fail-on-replace", action="store_true",
                        help="exit with status 1 when an order would be replaced")
    parser.add_argument("--region", help="AWS region for quote look-ups, in place of the stack's aws:region "
                        "config (then AWS_REGION, AWS_DEFAULT_REGION, the profile's region, as the provider)")
    parser.add_argument("--profile", help="AWS profile for quote look-ups, in place of the stack's aws:profile "
                        "config (then AWS_PROFILE, the default chain, as the provider)")
    parser.add_argument("--title", default="Outposts orders in this change", help="the comment's heading")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the review; 1 with ``--fail-on-replace`` when an order is replaced, 2 on bad input."""
    try:
        text = sys.stdin.read() if args.file == "-" else _read(args.file)
        document = load(text)
    except ReviewError as exc:
        print(f"outposts-orders review: {exc}", file=sys.stderr)
        return 2
    stack = _aws.StackAwsConfig(region=args.region, profile=args.profile, region_source="--region",
                                profile_source="--profile")
    found = rows(document, Quotes(stack))
    sys.stdout.write(render(found, args.title))
    replaced = [row.name for row in found if row.kind == "order" and row.action == "replace"]
    if args.fail_on_replace and replaced:
        print(f"outposts-orders review: orders would be replaced: {', '.join(replaced)}", file=sys.stderr)
        return 1
    return 0


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError as exc:
        raise ReviewError(f"cannot read {path}: {exc.strerror}") from exc
