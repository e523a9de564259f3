"""AWS Outposts hardware orders as Pulumi stack resources.

The resources are imported on first use, so that ``outposts-orders`` subcommands that don't need
the Pulumi SDK (the emulator, ``--help``) start quickly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lazy import lazy_exports

if TYPE_CHECKING:
    from .amazon_business import AmazonBusinessOrder, AmazonBusinessOrderArgs
    from .order import (
        ExpectedPriceArgs,
        ExpectedPriceArgsDict,
        LineItemArgs,
        LineItemArgsDict,
        OutpostOrder,
        OutpostOrderArgs,
    )
    from .quote import (
        OutpostQuote,
        OutpostQuoteArgs,
        QuoteCapacityArgs,
        QuoteCapacityArgsDict,
        QuoteConstraintArgs,
        QuoteConstraintArgsDict,
    )

_EXPORTS = {
    "AmazonBusinessOrder": ".amazon_business",
    "AmazonBusinessOrderArgs": ".amazon_business",
    "ExpectedPriceArgs": ".order",
    "ExpectedPriceArgsDict": ".order",
    "LineItemArgs": ".order",
    "LineItemArgsDict": ".order",
    "OutpostOrder": ".order",
    "OutpostOrderArgs": ".order",
    "OutpostQuote": ".quote",
    "OutpostQuoteArgs": ".quote",
    "QuoteCapacityArgs": ".quote",
    "QuoteCapacityArgsDict": ".quote",
    "QuoteConstraintArgs": ".quote",
    "QuoteConstraintArgsDict": ".quote",
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
