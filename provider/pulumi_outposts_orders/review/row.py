"""One row of the review table (an order, quote or Amazon Business order change) and its loud lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pulumi_outposts_orders._markdown import code
from pulumi_outposts_orders._unknowns import is_unknown

HEADERS = ("Change", "Resource", "Outpost", "What is ordered", "Payment", "Approved", "Upfront", "Monthly",
           "Total over term")
STOP, WARN, NOTE = "🛑", "⚠️", "📝"
LOUDNESS = (STOP, WARN, NOTE)
"""Loud lines are printed in this order, loudest first."""


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
    quoted_only: tuple[str, float, float | None] | None = None
    """(currency, upfront, total over the term) of a quote order the review priced and no ``expected_price`` states
    to the engine: the policy pack's price caps cannot see it, ``review --policy-config`` applies them."""
    refused_by_trial: bool = False
    """Amazon Business's trial of this order (``review --amazon-trial``) would reject a line."""
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def cells(self) -> list[str]:
        """The table cells, in ``HEADERS`` order."""
        return [self.change or self.action, f"{self.kind} {code(self.name)}", self.outpost, self.what,
                self.payment, self.approved, self.upfront, self.monthly, self.total]

    def warn(self, loudness: str, text: str) -> None:
        """Add a loud line (``STOP``, ``WARN`` or ``NOTE``)."""
        self.warnings.append((loudness, text))


def shown(value: Any) -> str:
    """A value for a cell: a dash when absent, a note when known only after `pulumi up`."""
    if value is None:
        return "—"
    return "(known after `pulumi up`)" if is_unknown(value) else str(value)
