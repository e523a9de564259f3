"""Review rows of ``AmazonBusinessOrder`` changes, from the preview alone: no Amazon Business call.

What is approved is what the program declares: each line's ASIN and quantity and its price
expectations (``expected_unit_price``, ``expected_charge``), which Amazon enforces at ``pulumi up`` by
refusing a line whose price moved. With ``--amazon-trial``, each order to be placed is also sent as a
``TrialMode`` order (Amazon runs every step and places nothing), so the review says now whether Amazon would
accept each line, at what charges. The Ordering API has no cancel: a destroy or a replacement never
cancels the existing order, and the row says so loudly, unless that order was cancelled (by the buyer, its
approver or Amazon) at the last refresh, or was a trial.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_outposts_orders._markdown import code
from pulumi_outposts_orders._unknowns import contains_unknown, is_unknown
from pulumi_outposts_orders.amazon_business import client, results
from pulumi_outposts_orders.amazon_business.inputs import check_inputs, place_request, renamed
from pulumi_outposts_orders.money import money, same_amount, subtotal
from pulumi_outposts_orders.review.preview import AMAZON_BUSINESS, Change, values
from pulumi_outposts_orders.review.row import NOTE, STOP, WARN, Row, shown

NO_CANCEL = "cannot be cancelled: the existing order continues"
APPROVED_HERE = ("Amazon Business prices are the expectations declared in the program (`expected_unit_price`, "
                 "`expected_charge`): they are what this change approves. The review makes no Amazon Business "
                 "call (unless `--amazon-trial`); at `pulumi up` Amazon refuses any line whose price differs from "
                 "them.")


def amazon_row(change: Change, trial: bool = False) -> Row:
    """The row of one ``AmazonBusinessOrder`` change, with its loud lines; with ``trial``, an order to be placed
    is first tried on Amazon Business (``_trial``)."""
    # State written before ``marketplace`` was named has ``region``: read under the name now.
    declared = renamed(values(change.new.get("inputs")) if change.new else values(change.old.get("outputs")))
    recorded = renamed(values(change.old.get("outputs")))
    row = Row(AMAZON_BUSINESS, change.name, change.action)
    lines = _lines(declared)
    row.outpost = f"{shown(declared.get('marketplace'))} marketplace"  # the shared column is "Outpost": say what it is
    row.payment = f"buyer {shown(declared.get('buyer_email'))}"
    if declared.get("purchase_order_number"):
        row.payment += f", PO {shown(declared['purchase_order_number'])}"
    row.what = ", ".join(_item(line) for line in lines) or "—"
    row.approved = "\n".join(_expected(line) for line in lines) or "not set"
    row.upfront, row.monthly = "—", "none"
    _total(row, lines, placing=change.action in ("create", "replace"))
    if change.action == "replace" and recorded:
        was = ", ".join(_item(line) for line in _lines(recorded))
        row.what += "" if row.what == was else f" (was {was})"
    _consequence(row, change, recorded)
    if trial and change.action in ("create", "replace") and not declared.get("trial_mode"):
        _trial(row, change.name, declared)
    return row


def _trial(row: Row, name: str, declared: Mapping[str, Any]) -> None:
    """Send the order as Amazon Business's ``TrialMode`` (every step, nothing placed) and say what Amazon would
    do now: each line accepted at its price and charges, or refused (``refused_by_trial``). It uses an
    ``externalId`` of its own, never the one `pulumi up` will send."""
    who = code(row.name)
    if contains_unknown(dict(declared)) or check_inputs(declared):
        row.warn(NOTE, f"**Amazon trial of {who} not run**: some inputs are known only at `pulumi up`, or invalid.")
        return
    body = place_request({**declared, "trial_mode": True}, "pulumi-")
    digest = hashlib.sha256(json.dumps([name, {**body, "externalId": ""}], sort_keys=True).encode()).hexdigest()
    body["externalId"] = f"pulumi-trial-{digest[:42]}"
    try:
        answer = client.place_order(str(declared["marketplace"]), body, str(declared["buyer_email"])).result
    except (client.AmazonBusinessError, ValueError) as error:
        row.warn(WARN, f"**Amazon trial of {who} could not run**: {error}")
        return
    lines = results.line_results(answer)
    refused = results.describe_rejections(lines)
    if refused:
        row.refused_by_trial = True
        row.approved = f"❌ {row.approved}"
        said = "; ".join(line.strip() for line in refused.splitlines())
        row.warn(STOP, f"**AMAZON WOULD REFUSE {who}** (trial, nothing placed): {said}.")
        return
    kept = results.charges(lines)
    currency = next((str(line.get("currency")) for line in lines if line.get("currency")), "USD")
    row.warn(NOTE, f"**Amazon trial of {who}**: every line accepted now (nothing placed): subtotal "
                   f"{money(kept['subtotal'], currency, table=True)}, tax {money(kept['tax'], currency, table=True)}, "
                   f"shipping {money(kept['shipping'], currency, table=True)}, in all "
                   f"{money(kept['total'], currency, table=True)}.")


def _consequence(row: Row, change: Change, recorded: Mapping[str, Any]) -> None:
    """The Change cell and loud line: what `pulumi up` does, never a cancel. An order cancelled at the last
    refresh (or a trial, which placed nothing) is not delivered: replacing or forgetting it adds nothing to it."""
    name = code(change.name)
    status = recorded.get("delivery_status")
    old = f"order {change.old.get('id') or recorded.get('external_id')}"
    numbers = sorted({str(r["order_identifier"]) for r in recorded.get("line_item_results") or []
                      if isinstance(r, Mapping) and r.get("order_identifier")})
    old += f" (Amazon order {', '.join(numbers)})" if numbers else ""
    gone = "placed nothing (a trial)" if recorded.get("trial_mode") else \
        "was CANCELLED at the last refresh: it is not delivered" if status == "CANCELLED" else ""
    old += f", {status} at the last refresh," if status and not gone else ""
    waiting = (" It waits for approval on Amazon Business: reject it there if it must not be placed."
               if status == "PENDING_APPROVAL" else "")
    if change.action == "create":
        row.warn(NOTE, f"**ORDER {name}**: `pulumi up` places one Amazon Business order at the expected prices; "
                       "once placed it cannot be cancelled from Pulumi.")
    elif change.action == "replace" and gone:
        row.change = "**REPLACE: NEW order**"
        row.warn(WARN, f"**REPLACE {name} places a NEW Amazon Business order**; the old {old} {gone}.")
    elif change.action == "replace":
        row.risk, row.change = "replace", "**REPLACE: NEW order, old one continues**"
        why = f" (changed: {', '.join(change.reasons)})" if change.reasons else ""
        row.warn(STOP, f"**REPLACE {name} places a NEW Amazon Business order; {old} {NO_CANCEL}.** Both are "
                       f"delivered and charged{why}. Cancel the old one on Amazon Business if it must not arrive."
                       + waiting)
    elif change.action == "cancel" and gone:
        row.action, row.change = "forget", "forget (nothing to cancel)"
        row.warn(NOTE, f"**DESTROY {name}**: Amazon Business {old} {gone}; applying this only removes it from the "
                       "stack.")
    elif change.action == "cancel":
        row.action, row.risk, row.change = "forget (not cancelled)", "cancel", "**DESTROY: NOT cancelled**"
        row.warn(STOP, f"**DESTROY {name}: Amazon Business {old} {NO_CANCEL}.** Applying this change only "
                       "removes it from the stack (the Ordering API has no cancel); it is still delivered and charged. "
                       "Cancel it on Amazon Business if it must not arrive." + waiting)


def _total(row: Row, lines: Sequence[Mapping[str, Any]], placing: bool) -> None:
    """The order total the expectations imply; a loud line for a line without a price or with two that disagree."""
    amounts: list[float] = []
    currency = "USD"
    for index, line in enumerate(lines, 1):
        unit, charge, quantity = _money(line, "expected_unit_price"), _money(line, "expected_charge"), _quantity(line)
        currency = (charge or unit or (0.0, currency))[1]
        implied = subtotal(unit[0], quantity) if unit and quantity is not None else None
        what = f"line {index} ({shown(line.get('asin'))})"
        if charge and unit and quantity is not None and implied is not None and not same_amount(charge[0], implied):
            row.approved = f"❌ {row.approved}"
            row.warn(STOP, f"**EXPECTATIONS DISAGREE {code(row.name)}**: {what} expects "
                           f"{money(unit[0], currency, table=True)} x{_count(quantity)} = "
                           f"{money(implied, currency, table=True)} but a charge of "
                           f"{money(charge[0], currency, table=True)}; Amazon will refuse that line.")
        if charge or implied is not None:
            amounts.append(charge[0] if charge else implied or 0.0)
        elif placing:
            row.price_missing = True
            row.warn(WARN, f"**no expected price for {code(row.name)}** {what}: Amazon places it at whatever price "
                           "it has at `pulumi up`. Set `expected_unit_price` or `expected_charge` to approve a price.")
    if lines and len(amounts) == len(lines):
        row.total = f"{money(sum(amounts), currency, table=True)} (expected, one purchase)"
    else:
        row.total = "not set" if not amounts else f"at least {money(sum(amounts), currency, table=True)}"


def _lines(given: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    items = given.get("line_items")
    return [line for line in items if isinstance(line, Mapping)] if isinstance(items, list) else []


def _item(line: Mapping[str, Any]) -> str:
    """``B07QSFP28A x8``."""
    quantity = _quantity(line)
    return f"{shown(line.get('asin'))} x{shown(line.get('quantity')) if quantity is None else _count(quantity)}"


def _expected(line: Mapping[str, Any]) -> str:
    """``B07QSFP28A: $129.00 each, $1,032.00 in all`` (or ``not set``)."""
    unit, charge = _money(line, "expected_unit_price"), _money(line, "expected_charge")
    parts = [f"{money(unit[0], unit[1], table=True)} each"] if unit else []
    parts += [f"{money(charge[0], charge[1], table=True)} in all"] if charge else []
    return f"{shown(line.get('asin'))}: {', '.join(parts) or 'not set'}"


def _money(line: Mapping[str, Any], key: str) -> tuple[float, str] | None:
    """An expectation as (amount, currency) when it is known at preview."""
    value = line.get(key)
    if not isinstance(value, Mapping):
        return None
    amount, currency = value.get("amount"), value.get("currency")
    if isinstance(amount, bool) or not isinstance(amount, int | float) or is_unknown(currency):
        return None
    return float(amount), str(currency or "USD")


def _quantity(line: Mapping[str, Any]) -> float | None:
    quantity = line.get("quantity")
    return float(quantity) if isinstance(quantity, int | float) and not isinstance(quantity, bool) else None


def _count(quantity: float) -> str:
    return str(int(quantity)) if quantity.is_integer() else str(quantity)
