"""AWS Outposts hardware orders as Pulumi stack resources.

The resources are imported on first use, so that ``outposts-orders`` subcommands that don't need
the Pulumi SDK (the emulator, ``--help``) start quickly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pulumi_outposts_orders._lazy import lazy_exports

if TYPE_CHECKING:
    from pulumi_outposts_orders.amazon_business.resource import AmazonBusinessOrder, AmazonBusinessOrderArgs
    from pulumi_outposts_orders.outposts.order import (
        ExpectedPriceArgs,
        ExpectedPriceArgsDict,
        LineItemArgs,
        LineItemArgsDict,
        OutpostOrder,
        OutpostOrderArgs,
    )
    from pulumi_outposts_orders.outposts.quote import (
        OutpostQuote,
        OutpostQuoteArgs,
        QuoteCapacityArgs,
        QuoteCapacityArgsDict,
        QuoteConstraintArgs,
        QuoteConstraintArgsDict,
    )

_EXPORTS = {
    "AmazonBusinessOrder": ".amazon_business.resource",
    "AmazonBusinessOrderArgs": ".amazon_business.resource",
    "ExpectedPriceArgs": ".outposts.order",
    "ExpectedPriceArgsDict": ".outposts.order",
    "LineItemArgs": ".outposts.order",
    "LineItemArgsDict": ".outposts.order",
    "OutpostOrder": ".outposts.order",
    "OutpostOrderArgs": ".outposts.order",
    "OutpostQuote": ".outposts.quote",
    "OutpostQuoteArgs": ".outposts.quote",
    "QuoteCapacityArgs": ".outposts.quote",
    "QuoteCapacityArgsDict": ".outposts.quote",
    "QuoteConstraintArgs": ".outposts.quote",
    "QuoteConstraintArgsDict": ".outposts.quote",
}
__all__ = [
    "AmazonBusinessOrder",
    "AmazonBusinessOrderArgs",
    "ExpectedPriceArgs",
    "ExpectedPriceArgsDict",
    "LineItemArgs",
    "LineItemArgsDict",
    "OutpostOrder",
    "OutpostOrderArgs",
    "OutpostQuote",
    "OutpostQuoteArgs",
    "QuoteCapacityArgs",
    "QuoteCapacityArgsDict",
    "QuoteConstraintArgs",
    "QuoteConstraintArgsDict",
]

__getattr__ = lazy_exports(__name__, _EXPORTS)
