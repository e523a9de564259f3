"""Quote → order, in two reviewed steps.

1. With ``place_order`` unset, ``pulumi up`` only creates the quote (free of charge). Its options and
   prices are stack outputs, and ``outposts-orders review`` will show them in the next pull request.
2. Set ``pulumi config set place_order true`` and the price the reviewers approved
   (``pulumi config set expected_upfront_price 165870``, optionally ``expected_monthly_price``): the
   preview now contains an order for the chosen option, the review prints its upfront and monthly
   price read from the quote, and ``pulumi up`` refuses to order (placing nothing) if the quote's
   price for that option, payment option and term is not the approved one.
"""

from __future__ import annotations

from typing import Any

import pulumi

from pulumi_outposts_orders import ExpectedPriceArgs, OutpostOrder, OutpostQuote, QuoteCapacityArgs

config = pulumi.Config()
outpost = config.get("outpost") or "op-0123456789abcdef0"
payment_option = config.get("payment_option") or "PARTIAL_UPFRONT"
payment_term = config.get("payment_term") or "THREE_YEARS"
racks = config.get_int("racks") or 1

quote = OutpostQuote(
    "seattle-expansion",
    country_code="US",
    outpost_identifier=outpost,
    requested_capacities=[QuoteCapacityArgs(quote_capacity_type="EC2", unit="m5.24xlarge", quantity=4)],
    requested_payment_options=[payment_option],
    requested_payment_terms=[payment_term],
    description="Compute expansion for the Seattle lab",
)


def chosen(option: dict[str, Any]) -> bool:
    """The option with the number of racks we want."""
    return len(option["specifications"]) == racks


def price_list(options: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What each option costs, for a quick look with `pulumi stack output prices`."""
    return [
        {
            "option": o["quote_option_identifier"],
            "racks": len(o["specifications"]),
            **{key: p["subscription_pricing_details"][key] for key in ("upfront_price", "monthly_recurring_price")},
        }
        for o in options
        for p in o["pricing_options"]
    ]


pulumi.export("quote_id", quote.quote_id)
pulumi.export("quote_status", quote.status)
pulumi.export("quote_expires", quote.expiration_date)
pulumi.export("failed_requirements", quote.failed_requirements)
pulumi.export("prices", quote.quote_options.apply(price_list))

if config.get_bool("place_order"):
    order = OutpostOrder(
        "seattle-rack",
        outpost_identifier=outpost,
        quote_identifier=quote.quote_id,
        quote_option_identifier=quote.option_id(payment_option, payment_term, where=chosen),
        payment_option=payment_option,
        payment_term=payment_term,
        expected_price=ExpectedPriceArgs(
            currency="USD",
            upfront_price=config.require_float("expected_upfront_price"),
            monthly_recurring_price=config.get_float("expected_monthly_price"),
        ),
    )
    pulumi.export("order_id", order.order_id)
    pulumi.export("order_status", order.status)
