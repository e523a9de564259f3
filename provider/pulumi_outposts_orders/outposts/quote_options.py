"""Quote options (snake_case, as ``OutpostQuote.quote_options`` holds them): choosing one, its price.

Shared by ``OutpostQuote.option_id`` (at deployment), the order provider's ``expected_price`` check
(``placement.check_price``, at create) and ``outposts-orders review`` (in a pull request), so all read
a quote the same way: an option's price is :func:`matching_prices`, and an approved price is compared with
it by :func:`price_differences` (placement refuses, and review marks ❌, on the same differences).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pulumi import RunError

from pulumi_outposts_orders._unknowns import is_unknown
from pulumi_outposts_orders.money import is_amount, money, same_amount

Option = Mapping[str, Any]


class OptionChoiceError(RunError):
    """No quote option, or more than one, matches what was asked for.

    A ``pulumi.RunError``: in a program (``OutpostQuote.option_id``) it stops the deployment with
    this message alone, no traceback.
    """


@dataclass(frozen=True)
class Price:
    """A subscription price of a quote option for one payment option and term.

    An amount or currency AWS left out reads as ``0.0`` / ``USD`` and is named in ``missing``."""

    payment_option: str
    payment_term: str
    upfront: float
    monthly: float
    currency: str
    missing: frozenset[str] = frozenset()

    def amount(self, value: float) -> str:
        """``value`` in this price's currency, as tables write it (``$12,345.00``, ``12,345.00 EUR``)."""
        return money(value, self.currency, table=True)

    def quoted(self, member: str) -> Any:
        """``upfront_price``, ``monthly_recurring_price`` or ``currency`` as AWS gave it (``None``: left out)."""
        if member in self.missing:
            return None
        return {"upfront_price": self.upfront, "monthly_recurring_price": self.monthly}.get(member, self.currency)


def prices(option: Option) -> list[Price]:
    """Every subscription price of ``option``."""
    found: list[Price] = []
    for pricing in option.get("pricing_options") or []:
        details = pricing.get("subscription_pricing_details") or {}
        if details.get("payment_option") and details.get("payment_term"):
            found.append(
                Price(
                    payment_option=details["payment_option"],
                    payment_term=details["payment_term"],
                    upfront=float(details.get("upfront_price") or 0.0),
                    monthly=float(details.get("monthly_recurring_price") or 0.0),
                    currency=str(details.get("currency") or "USD"),
                    missing=frozenset(k for k in _PRICE_MEMBERS if details.get(k) is None),
                )
            )
    return found


_PRICE_MEMBERS = ("upfront_price", "monthly_recurring_price", "currency")


@dataclass(frozen=True)
class PriceDifference:
    """One way an approved price (``expected_price``) is not the quoted one: ``what`` is ``currency``,
    ``upfront`` or ``monthly``; ``quoted`` is ``None`` when AWS left that member out."""

    what: str
    expected: Any
    quoted: Any


def price_differences(expected: Mapping[str, Any], price: Price) -> list[PriceDifference]:
    """How ``expected`` (``expected_price``: currency, and the amounts it sets) differs from ``price``.

    A member AWS left out differs from any expectation; an amount still unknown at preview is not compared."""
    found: list[PriceDifference] = []
    currency = price.quoted("currency")
    if expected.get("currency") != currency and not is_unknown(expected.get("currency")):
        found.append(PriceDifference("currency", expected.get("currency"), currency))
    for member, label in (("upfront_price", "upfront"), ("monthly_recurring_price", "monthly")):
        want, have = expected.get(member), price.quoted(member)
        if want is None or is_unknown(want):
            continue
        if have is None or not is_amount(want) or not same_amount(float(have), float(want)):
            found.append(PriceDifference(label, want, have))
    return found


def matching_prices(option: Option, payment_option: str, payment_term: str | None) -> list[Price]:
    """The prices of ``option`` for ``payment_option`` and ``payment_term`` (``None``: any term)."""
    return [
        p for p in prices(option) if p.payment_option == payment_option and payment_term in (None, p.payment_term)
    ]


def price_of(option: Option, payment_option: str, payment_term: str | None) -> Price | None:
    """The price of ``option`` for a payment option and term (any term when ``None`` and unique)."""
    matches = matching_prices(option, payment_option, payment_term)
    return matches[0] if len(matches) == 1 else None


def pick_option(
    options: Sequence[Option] | None,
    payment_option: str,
    payment_term: str,
    where: Callable[[Option], bool] | None = None,
) -> Option:
    """The one option priced for ``payment_option``/``payment_term`` (and accepted by ``where``).

    Raises :class:`OptionChoiceError` naming every candidate when none or several match.
    """
    candidates = list(options or [])
    matches = [
        o for o in candidates if price_of(o, payment_option, payment_term) and (where is None or where(o))
    ]
    if len(matches) == 1:
        return matches[0]
    asked = f"{payment_option} / {payment_term}" + (" accepted by `where`" if where else "")
    listing = "\n".join(f"  {option_summary(o)}" for o in candidates) or "  (the quote has no options)"
    if not matches:
        raise OptionChoiceError(f"no quote option is priced for {asked}; the quote's options:\n{listing}")
    raise OptionChoiceError(
        f"{len(matches)} quote options are priced for {asked}; choose one with `where=` "
        f"(e.g. `where=lambda o: len(o['specifications']) == 1`). The quote's options:\n{listing}"
    )


def capacities(option: Option) -> str:
    """What ``option`` provides: ``EC2 m5.24xlarge x4; NEW_RACK x1``."""
    parts = []
    for capacity in option.get("capacities") or []:
        what = " ".join(str(p) for p in (capacity.get("quote_capacity_type"), capacity.get("unit")) if p)
        parts.append(f"{what} x{_number(capacity.get('quantity'))}")
    kinds: dict[str, int] = {}
    for spec in option.get("specifications") or []:
        kind = str(spec.get("quote_specification_type") or "hardware")
        kinds[kind] = kinds.get(kind, 0) + 1
    parts += [f"{kind} x{count}" for kind, count in kinds.items()]
    return "; ".join(parts) or "(no capacities listed)"


def option_summary(option: Option) -> str:
    """One line: the option's ID, what it provides, and its payment options."""
    offered = ", ".join(f"{p.payment_option}/{p.payment_term}" for p in prices(option)) or "no prices"
    return f"{option.get('quote_option_identifier')}: {capacities(option)} (priced for {offered})"


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
