"""Quote options: hardware specifications and subscription pricing, as tables.

Each quote gets one option per hardware scale (one unit, two units); each option is priced for
every requested payment option and term (all of them by default).
"""

from __future__ import annotations

from collections.abc import Iterable

from pulumi_outposts_orders.emulator.domain import Params
from pulumi_outposts_orders.emulator.outposts.records import QuoteOption

OPTION_SCALES = (1, 2)
"""Hardware units (racks or servers) of each quote option, in order."""

MONTHLY_RATE_USD = {"RACK": 9_500.0, "SERVER": 650.0}
"""List price per hardware unit and month, on a three-year term."""

TERM_MONTHS = {"ONE_YEAR": 12, "THREE_YEARS": 36, "FIVE_YEARS": 60}
TERM_FACTOR = {"ONE_YEAR": 1.2, "THREE_YEARS": 1.0, "FIVE_YEARS": 0.85}
PAYMENT_SHARE = {"ALL_UPFRONT": (1.0, 0.93), "PARTIAL_UPFRONT": (0.5, 0.97), "NO_UPFRONT": (0.0, 1.0)}
"""Per payment option: the share of the total paid upfront, and the discount factor."""

ALL_PAYMENT_OPTIONS = tuple(PAYMENT_SHARE)
ALL_PAYMENT_TERMS = tuple(TERM_MONTHS)

_SPECIFICATIONS = {
    "RACK": {"QuoteSpecificationType": "NEW_RACK", "FinalRackSpecificationDetails": {
        "RackUse": "COMPUTE", "RackPowerDrawKva": 10.0, "RackWeightLbs": 1800.0, "RackHeightInches": 80.0,
        "RackWidthInches": 24.0, "RackDepthInches": 48.0, "RackUnitHeight": "HEIGHT_42U"}},
    "SERVER": {"QuoteSpecificationType": "SERVER", "ServerSpecificationDetails": {
        "ServerPowerDrawKva": 1.0, "ServerWeightLbs": 60.0, "ServerHeightInches": 3.5,
        "ServerWidthInches": 17.5, "ServerDepthInches": 30.0, "RackUnitHeight": "HEIGHT_2U"}},
}


def price(hardware_type: str, units: int, payment_option: str, payment_term: str) -> Params:
    """SubscriptionPricingDetails for ``units`` of hardware."""
    months = TERM_MONTHS[payment_term]
    share, discount = PAYMENT_SHARE[payment_option]
    total = MONTHLY_RATE_USD[hardware_type] * units * months * TERM_FACTOR[payment_term] * discount
    return {
        "PaymentOption": payment_option,
        "PaymentTerm": payment_term,
        "UpfrontPrice": round(total * share, 2),
        "MonthlyRecurringPrice": round(total * (1 - share) / months, 2),
        "Currency": "USD",
    }


def quote_option(option_id: str, scale: int, hardware_type: str, capacities: list[Params],
                 payment_options: Iterable[str], payment_terms: Iterable[str]) -> QuoteOption:
    """One quote option of ``scale`` hardware units (an order of it gets one line item per unit)."""
    scaled = [{**c, "Quantity": c["Quantity"] * scale} if "Quantity" in c else dict(c) for c in capacities]
    terms = list(payment_terms)
    return QuoteOption(option_id, {
        "Capacities": scaled,
        "CapacitySummary": {"ExistingCapacities": [], "FinalCapacities": scaled, "CapacityChange": scaled},
        "Specifications": [_SPECIFICATIONS[hardware_type]] * scale,
        "PricingOptions": [
            {"PricingType": "SUBSCRIPTION", "SubscriptionPricingDetails": price(hardware_type, scale, o, t)}
            for o in payment_options for t in terms
        ],
    }, units=scale)
