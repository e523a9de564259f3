"""AWS Outposts hardware orders as Pulumi stack resources."""

from __future__ import annotations

__all__: list[str] = []
