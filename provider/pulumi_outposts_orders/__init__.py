"""AWS Outposts hardware orders as Pulumi stack resources."""

from __future__ import annotations

from .order import LineItemArgs, LineItemArgsDict, OutpostOrder, OutpostOrderArgs

__all__: list[str] = ["LineItemArgs", "LineItemArgsDict", "OutpostOrder", "OutpostOrderArgs"]
