"""Renew an Outpost's term, reviewed like an order.

1. ``outposts-orders status --contracts`` shows when the Outpost's term ends (and 🛑 when fewer than five
   business days plus a margin are left with no renewal pending).
2. Declare the renewal with the payment option and term you want. ``outposts-orders review`` prices it with
   GetRenewalPricing (every option, and the chosen one's total over the term) and says it is irreversible.
3. Put the price the reviewers approved in the config (``pulumi config set expected_upfront_price 98400``,
   ``expected_monthly_price``): ``pulumi up`` renews only at that price, once (a stable ClientToken), and
   places nothing if AWS prices it otherwise or cannot price it.

There is no API to change or cancel a renewal: ``pulumi destroy`` only forgets it (loudly), and another
renewal needs ``generation`` raised.
"""

from __future__ import annotations

import pulumi

from pulumi_outposts_orders import ExpectedPriceArgs, OutpostRenewal

config = pulumi.Config()
upfront = config.get_float("expected_upfront_price")
monthly = config.get_float("expected_monthly_price")

renewal = OutpostRenewal(
    "seattle-term",
    outpost_identifier=config.get("outpost") or "op-0123456789abcdef0",
    payment_option=config.get("payment_option") or "ALL_UPFRONT",
    payment_term=config.get("payment_term") or "THREE_YEARS",
    expected_price=ExpectedPriceArgs(currency="USD", upfront_price=upfront, monthly_recurring_price=monthly)
    if upfront is not None or monthly is not None else None,
    generation=config.get_int("generation"),
)

pulumi.export("renewal", {"subscription": renewal.subscription_id, "status": renewal.subscription_status,
                          "begins": renewal.begin_date, "ends": renewal.end_date,
                          "upfront": renewal.upfront_price, "monthly": renewal.monthly_recurring_price})
