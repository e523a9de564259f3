"""The Outpost comes from pulumi-aws (looked up by name); the order goes to its ARN and region.

Needs the pulumi-aws provider plugin (``pulumi plugin install resource aws``) and
``pip install 'pulumi-outposts-orders[aws]'``.
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from pulumi_outposts_orders import LineItemArgs, OutpostOrder

config = pulumi.Config()
outpost_name = config.get("outpost_name") or "seattle-rack"
catalog_item = config.get("catalog_item") or "OR-A1B2C3D"

outpost = aws.outposts.get_outpost_output(name=outpost_name)
site = aws.outposts.get_site_output(id=outpost.site_id)


def active(status: str) -> str:
    """Stop at preview when the Outpost cannot take orders, instead of at CreateOrder."""
    if status != "ACTIVE":
        raise ValueError(f"Outpost {outpost_name!r} is {status}; only ACTIVE Outposts take orders")
    return status


order = OutpostOrder(
    "rack",
    outpost_identifier=pulumi.Output.all(outpost.arn, outpost.lifecycle_status.apply(active)).apply(
        lambda values: values[0]
    ),
    region=outpost.region,
    line_items=[LineItemArgs(catalog_item_id=catalog_item, quantity=1)],
    payment_option="ALL_UPFRONT",
    payment_term="THREE_YEARS",
)

pulumi.export("outpost_arn", outpost.arn)
pulumi.export("site", site.name)
pulumi.export("order_id", order.order_id)
