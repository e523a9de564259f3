"""Type tokens of the package's resources, as the engine records them (state, preview JSON).

Derived from the resource classes, so a renamed resource cannot leave a stale copy behind.
"""

from __future__ import annotations

from pulumi.dynamic import Resource

from pulumi_outposts_orders.amazon_business.resource import AmazonBusinessOrder
from pulumi_outposts_orders.outposts.order import OutpostOrder
from pulumi_outposts_orders.outposts.quote import OutpostQuote
from pulumi_outposts_orders.outposts.renewal import OutpostRenewal


def type_token(resource: type[Resource]) -> str:
    """The engine's type token of a dynamic resource class, e.g. ``pulumi-python:dynamic/outposts:OutpostOrder``."""
    return f"pulumi-python:{resource._resource_type_name}"


ORDER_TYPE = type_token(OutpostOrder)
QUOTE_TYPE = type_token(OutpostQuote)
AMAZON_BUSINESS_TYPE = type_token(AmazonBusinessOrder)
RENEWAL_TYPE = type_token(OutpostRenewal)
