"""What the status shows of each order: a stage bar per line item, shipment, dates, folded to fit."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from pulumi_outposts_orders._markdown import code
from pulumi_outposts_orders.outposts.statuses import LINE_ITEM_STAGES, LINE_ITEM_STOPPED
from pulumi_outposts_orders.status.deployment import LineItem, Order

STAGES = LINE_ITEM_STAGES
"""A line item's way from order to installed hardware, in order (``outposts.statuses``)."""
STOPPED = LINE_ITEM_STOPPED
HEADERS = ("Order", "Outpost", "Order status", "Line item", "Stage", "Shipment", "Assets", "Payment", "Region",
           "Account", "Submitted", "Fulfilled")
TERMINAL_HEADERS = ("Order", "Line item", "Shipment, assets", "Payment, dates")
ID_WIDTH = len("oqo-0123456789abcdef0")
"""The longest identifier in the Order column; resource names are folded to it so IDs never wrap."""


def progress(status: str) -> str:
    """A stage bar: ``▰▰▰▱▱▱ SHIPPED (3/6)``; ``✗ CANCELLED`` for a stopped line item."""
    if status in STOPPED:
        return f"✗ {status}"
    if status not in STAGES:
        return status
    done = STAGES.index(status) + 1
    return f"{'▰' * done}{'▱' * (len(STAGES) - done)} {status} ({done}/{len(STAGES)})"


def shipment(item: LineItem) -> str:
    """``CARRIER tracking`` or a dash before the hardware ships."""
    return " ".join(p for p in (item.carrier, item.tracking_number) if p) or "—"


def day(timestamp: str | None) -> str:
    """The date part of an ISO 8601 timestamp (``2026-06-15``)."""
    return timestamp[:10] if timestamp else "—"


def table_rows(found: Sequence[Order]) -> list[list[str]]:
    """Markdown rows, in ``HEADERS`` order: one per line item (an order without any still gets one)."""
    lines: list[list[str]] = []
    for order in found:
        head = [f"{code(order.name)} {order.order_id}", order.outpost_id, order.status]
        tail = [order.payment(), order.region or "—", order.account_id or "—", day(order.submitted),
                day(order.fulfilled)]
        if not order.line_items:
            lines.append([*head, "—", "—", "—", "—", *tail])
        for item in order.line_items:
            assets = ", ".join(item.asset_ids) or "—"
            lines.append([*head, order.ordered(item), progress(item.status), shipment(item), assets, *tail])
    return lines


def terminal_rows(found: Sequence[Order]) -> list[list[str]]:
    """The same, folded into ``TERMINAL_HEADERS`` so the table fits 80 columns with no ID split.

    Identifiers stand on lines of their own in columns that never wrap; the resource name is folded
    to the identifiers' width; words (statuses, payment options) fold in the other columns."""
    lines: list[list[str]] = []
    for order in found:
        name = textwrap.wrap(order.name, ID_WIDTH, break_on_hyphens=True) or ["—"]
        ids = [order.order_id, order.status, order.outpost_id, order.quote_id, order.quote_option_id, order.region,
               order.account_id]
        head = "\n".join([*name, *(part for part in ids if part)])
        terms = "\n".join([order.payment_option or "—", order.payment_term or "—",
                           "submitted", day(order.submitted), "fulfilled", day(order.fulfilled)])
        for item in order.line_items or (LineItem("—", 0, "—", None, None, ()),):
            what = f"{item.catalog_item_id} x{item.quantity}" if item.catalog_item_id != "—" or not order.quote_id \
                else f"quote unit x{item.quantity}"
            ship = [p for p in (item.carrier, item.tracking_number) if p] or ["not shipped"]
            lines.append([head, f"{what}\n{_stage_lines(item.status)}",
                          "\n".join([*ship, *item.asset_ids]), terms])
            head = terms = ""
    return lines


def _stage_lines(status: str) -> str:
    """The stage bar on lines of their own: ``▰▰▰▱▱▱ 3/6`` then ``SHIPPED``."""
    if status not in STAGES:
        return progress(status)
    done = STAGES.index(status) + 1
    return f"{'▰' * done}{'▱' * (len(STAGES) - done)} {done}/{len(STAGES)}\n{status}"
