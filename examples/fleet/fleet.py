"""fleet.toml → a list of orders, with errors that name the entry (by its ``name``) and the key."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pulumi import RunError

_ORDER_KEYS = {"name", "outpost", "items", "payment_option", "payment_term", "region"}


class FleetError(RunError):
    """fleet.toml does not describe a fleet (a ``pulumi.RunError``: the program stops with the message alone)."""


@dataclass(frozen=True)
class PlannedOrder:
    """One order of the fleet."""

    name: str
    outpost: str
    items: dict[str, int]
    payment_option: str
    payment_term: str | None
    region: str | None


def load(path: Path) -> list[PlannedOrder]:
    """The orders in ``path``; :class:`FleetError` naming ``order "NAME"`` and the key for a bad entry."""
    try:
        document = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise FleetError(f"{path.name}: not valid TOML: {exc}") from exc
    entries = document.get("orders")
    if not isinstance(entries, list) or not entries:
        raise FleetError(f"{path.name}: add at least one [[orders]] table")
    planned = [_order(path.name, i, entry, document) for i, entry in enumerate(entries)]
    names = [p.name for p in planned]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise FleetError(f"{path.name}: order names must be unique; repeated: {', '.join(duplicates)}")
    return planned


def _order(file: str, index: int, entry: Any, defaults: dict[str, Any]) -> PlannedOrder:
    if not isinstance(entry, dict):
        raise FleetError(f"{file}: orders[{index}] must be a table")
    name = entry.get("name")
    where = f'{file}: order "{name}"' if isinstance(name, str) and name else f"{file}: orders[{index}] (no name)"
    unknown = sorted(set(entry) - _ORDER_KEYS)
    if unknown:
        raise FleetError(f"{where}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(_ORDER_KEYS))}")
    for key in ("name", "outpost", "items"):
        if key not in entry:
            raise FleetError(f"{where}: {key} is required")
    items = entry["items"]
    if not isinstance(items, dict) or not items:
        raise FleetError(f'{where}: items must map catalog item IDs to quantities, e.g. {{ "OR-A1B2C3D" = 1 }}')
    for item, quantity in items.items():
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
            raise FleetError(f"{where}: items.{item} must be a whole number of at least 1 (got {quantity!r})")
    payment_option = entry.get("payment_option", defaults.get("payment_option"))
    if payment_option is None:
        raise FleetError(f"{where}: payment_option is required (here or at the top of the file)")
    return PlannedOrder(
        name=str(entry["name"]),
        outpost=str(entry["outpost"]),
        items={str(k): int(v) for k, v in items.items()},
        payment_option=str(payment_option),
        payment_term=entry.get("payment_term", defaults.get("payment_term")),
        region=entry.get("region", defaults.get("region")),
    )
