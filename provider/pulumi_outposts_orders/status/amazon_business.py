"""The stack's Amazon Business orders as its state records them, and what the status shows of them.

From the state only (as fresh as the last ``pulumi refresh``): nothing here calls Amazon Business.
One row per line item: what was ordered, how much Amazon accepted, its Amazon order number and status (the
Reporting API's: waiting for approval, cancelled, closed), price, delivery range and shipment.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pulumi_outposts_orders._markdown import code
from pulumi_outposts_orders.money import money
from pulumi_outposts_orders.status.rows import ID_WIDTH, day

HEADERS = ("Amazon Business order", "Delivery status", "Line item", "Amazon order", "Price", "Delivery",
           "Shipment", "Order total")
TERMINAL_HEADERS = ("Amazon Business order", "Line item", "Delivery, shipment")
SHORT_ID = len("pulumi-") + 8
"""External IDs (``pulumi-`` and 48 hex digits) are shown to this many characters, then ``…``."""


@dataclass(frozen=True)
class AmazonLine:
    """One line item: what was declared and what Amazon answered."""

    asin: str
    quantity: int
    accepted: int
    rejected: int
    order_number: str | None
    unit_price: float | None
    charge: float | None
    delivery: tuple[str | None, str | None]
    packages: tuple[Mapping[str, Any], ...]
    order_status: str | None = None
    approved_by: str | None = None
    items: int | None = None
    """For a product sold as a group: the items in the groups accepted."""

    def ordered(self) -> str:
        """``B07QSFP28A x8``, the items of a group (``B0CQSFPKIT x2 (8 items)``) and, when Amazon took fewer,
        how many it accepted."""
        taken = f" ({self.accepted} accepted, {self.rejected} rejected)" if self.rejected else ""
        items = f" ({self.items} items)" if self.items else ""
        return f"{self.asin} x{self.quantity}{items}{taken}"

    def amazon_order(self) -> str:
        """``114-… PENDING_APPROVAL``, ``114-… CANCELLED``, ``114-… CLOSED (approved by …)``; a dash before Amazon
        answered."""
        if not self.order_number:
            return "—"
        status = f" {'❌ ' if self.order_status == 'CANCELLED' else ''}{self.order_status}" if self.order_status \
            else ""
        approved = f" (approved by {self.approved_by})" if self.approved_by else ""
        return f"{self.order_number}{status}{approved}"

    def shipped(self) -> str:
        """Each package: ``DELIVERED AMZL_US TBA…``, ``DELAYED …``; ``—`` before it ships."""
        return ", ".join(" ".join(str(p) for p in (package.get("status") or "SHIPPED", package.get("carrier"),
                                                   package.get("tracking_number")) if p)
                         for package in self.packages) or "—"


@dataclass(frozen=True)
class AmazonOrder:
    """One ``AmazonBusinessOrder`` of the stack, as of its last refresh."""

    name: str
    external_id: str
    delivery_status: str
    total: float | None
    currency: str | None
    lines: tuple[AmazonLine, ...]
    placed_at: str | None = None
    """When the stack placed it (ISO 8601 UTC): where its bar starts on the page's timeline."""

    def short_id(self) -> str:
        """The external ID to ``SHORT_ID`` characters."""
        return self.external_id if len(self.external_id) <= SHORT_ID else f"{self.external_id[:SHORT_ID]}…"

    def total_text(self) -> str:
        """``1,266.00 USD``; a dash before Amazon answered."""
        return "—" if self.total is None else money(self.total, self.currency or "").strip()

    def price(self, value: float | None) -> str:
        """An amount in the order's currency (``$1,266.00``), a dash when unknown."""
        return "—" if value is None else money(value, self.currency or "USD", table=True)


def amazon_orders(deployment: Mapping[str, Any]) -> list[AmazonOrder]:
    """The Amazon Business orders in an exported deployment, by resource name."""
    from pulumi_outposts_orders._tokens import AMAZON_BUSINESS_TYPE

    found = [_order(r) for r in deployment.get("resources") or []
             if r.get("type") == AMAZON_BUSINESS_TYPE and r.get("id")]
    return sorted(found, key=lambda o: o.name)


def table_rows(found: Sequence[AmazonOrder]) -> list[list[str]]:
    """Markdown rows, in ``HEADERS`` order: one per line item."""
    lines: list[list[str]] = []
    for order in found:
        head = [f"{code(order.name)} {order.short_id()}", order.delivery_status]
        for line in order.lines or (_NO_LINE,):
            lines.append([*head, line.ordered(), line.amazon_order(), _price(order, line), _range(line),
                          line.shipped(), order.total_text()])
    return lines


def terminal_rows(found: Sequence[AmazonOrder]) -> list[list[str]]:
    """The same folded into ``TERMINAL_HEADERS``: identifiers on lines of their own."""
    lines: list[list[str]] = []
    for order in found:
        name = textwrap.wrap(order.name, ID_WIDTH, break_on_hyphens=True) or ["—"]
        head = "\n".join([*name, order.short_id(), order.delivery_status, f"total {order.total_text()}"])
        for line in order.lines or (_NO_LINE,):
            shown = (line.ordered(), line.order_number, line.order_status, _price(order, line))
            what = "\n".join(p for p in shown if p)
            lower, upper = line.delivery
            packages = line.shipped().replace(", ", " ").split(" ")  # a word a line: the column stays narrow
            lines.append([head, what, "\n".join([f"{day(lower)} to", day(upper), *packages])])
            head = ""
    return lines


def _price(order: AmazonOrder, line: AmazonLine) -> str:
    return f"{order.price(line.unit_price)} each, {order.price(line.charge)}"


def _range(line: AmazonLine) -> str:
    lower, upper = line.delivery
    return f"{day(lower)} to {day(upper)}" if lower or upper else "—"


def _order(resource: Mapping[str, Any]) -> AmazonOrder:
    outs: Mapping[str, Any] = resource.get("outputs") or {}
    declared = [i for i in outs.get("line_items") or [] if isinstance(i, Mapping)]
    results = {str(r.get("external_id")): r for r in outs.get("line_item_results") or [] if isinstance(r, Mapping)}
    lines = tuple(_line(item, results.get(str(item.get("external_id") or f"line-item-{index}"), {}))
                  for index, item in enumerate(declared, 1))
    total = outs.get("total")
    return AmazonOrder(name=str(resource["urn"]).rsplit("::", 1)[-1], external_id=str(resource["id"]),
                       delivery_status=str(outs.get("delivery_status") or "UNKNOWN"),
                       total=float(total) if isinstance(total, int | float) else None,
                       currency=str(outs["currency"]) if outs.get("currency") else None, lines=lines,
                       placed_at=str(outs["placed_at"]) if outs.get("placed_at") else None)


def _line(item: Mapping[str, Any], result: Mapping[str, Any]) -> AmazonLine:
    window = result.get("delivery_range") or [None, None]
    return AmazonLine(
        asin=str(item.get("asin") or "—"), quantity=int(item.get("quantity") or 0),
        accepted=int(result.get("accepted_quantity") or 0), rejected=int(result.get("rejected_quantity") or 0),
        order_number=result.get("order_identifier"), unit_price=_number(result.get("unit_price")),
        charge=_number(result.get("charge")), delivery=(window[0], window[-1]),
        packages=tuple(p for p in result.get("packages") or [] if isinstance(p, Mapping)),
        order_status=str(result["order_status"]) if result.get("order_status") else None,
        approved_by=str(result["approved_by"]) if result.get("approved_by") else None,
        items=int(result["accepted_items"]) if isinstance(result.get("accepted_items"), int) else None)


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


_NO_LINE = AmazonLine("—", 0, 0, 0, None, None, None, (None, None), ())
