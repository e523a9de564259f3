"""Money, written and compared one way everywhere: amounts, the tolerance, line subtotals, totals over a term.

Placement (``expected_price``), Amazon Business checks and ``outposts-orders review`` all compare and print
amounts through this module, so a price the provider refuses is never one the review shows as approved.
"""

from __future__ import annotations

from typing import Any

# Amounts are in a currency's minor unit (cents): two amounts closer than half a cent are the same.
TOLERANCE = 0.005

# Months in each Outposts payment term (the botocore model's PaymentTerm enum).
TERM_MONTHS = {"ONE_YEAR": 12, "THREE_YEARS": 36, "FIVE_YEARS": 60}


def money(amount: float | None, currency: str | None, *, table: bool = False) -> str:
    """How money is written: ``12,345.00 USD`` (messages); in tables (``table``) US dollars as
    ``$12,345.00``; ``none`` when there is no amount."""
    if amount is None:
        return "none"
    if table and currency == "USD":
        return f"${float(amount):,.2f}"
    return f"{float(amount):,.2f} {currency}"


def is_amount(value: Any) -> bool:
    """Whether ``value`` is a number a price can hold (``bool`` is not)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def same_amount(a: float, b: float) -> bool:
    """Whether two amounts of one currency are the same to the cent."""
    return abs(float(a) - float(b)) <= TOLERANCE


def subtotal(unit_price: float, quantity: float) -> float:
    """A line's charge: unit price times quantity, rounded to the cent (Amazon Business's SUBTOTAL)."""
    return round(float(unit_price) * float(quantity), 2)


def total_over_term(upfront: float, monthly: float, payment_term: str | None) -> tuple[float, int] | None:
    """Upfront plus every monthly payment of the term, and the term's months; ``None`` for an unknown term."""
    months = TERM_MONTHS.get(str(payment_term))
    if months is None:
        return None
    return float(upfront) + float(monthly) * months, months
