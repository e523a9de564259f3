"""AWS Outposts hardware orders as Pulumi stack resources.

The resources are imported on first use, so that ``outposts-orders`` subcommands that don't need
the Pulumi SDK (the emulator, ``--help``) start quickly.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module, __name__), name)
