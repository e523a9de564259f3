"""One OutpostOrder per entry of fleet.toml (or the file named by the `fleet` config key)."""

from __future__ import annotations

from pathlib import Path

import pulumi
from fleet import load

from pulumi_outposts_orders import LineItemArgs, OutpostOrder

config = pulumi.Config()
fleet_file = Path(config.get("fleet") or "fleet.toml")

for planned in load(fleet_file):
    order = OutpostOrder(
        planned.name,
        outpost_identifier=planned.outpost,
        line_items=[LineItemArgs(catalog_item_id=item, quantity=n) for item, n in planned.items.items()],
        payment_option=planned.payment_option,
        payment_term=planned.payment_term,
        region=planned.region,
    )
    pulumi.export(f"{planned.name}_order_id", order.order_id)
    pulumi.export(f"{planned.name}_status", order.status)
