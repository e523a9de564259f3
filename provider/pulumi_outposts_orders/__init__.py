"""AWS Outposts hardware orders as Pulumi stack resources."""

from __future__ import annotations

from .order import LineItemArgs, LineItemArgsDict, OutpostOrder, OutpostOrderArgs
from .quote import OutpostQuote, OutpostQuoteArgs, QuoteCapacityArgs, QuoteConstraintArgs

__all__: list[str] = [
    "LineItemArgs",
    "LineItemArgsDict",
    "OutpostOrder",
    "OutpostOrderArgs",
    "OutpostQuote",
    "OutpostQuoteArgs",
    "QuoteCapacityArgs",
    "QuoteConstraintArgs",
]
