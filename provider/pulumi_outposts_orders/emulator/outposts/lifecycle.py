"""The order lifecycle over simulated days, as data, and where an order stands at a given time.

An order's state is an *anchor*: the schedule day it stood at (``day``), the simulated time it
was there (``at``), and for CANCELLED/ERROR an overriding ``status``. Everything else (order
and line-item status, fulfilment date) follows from the anchor, the schedule and the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from pulumi_outposts_orders.emulator.clock import DAY

Anchor = dict[str, Any]


class Stage(NamedTuple):
    """From schedule day ``day`` on, the order and its line items have these statuses."""

    day: float
    order: str
    line_items: str


SCHEDULE: tuple[Stage, ...] = (
    Stage(0, "PREPARING", "PREPARING"),
    Stage(3, "IN_PROGRESS", "BUILDING"),
    Stage(7, "IN_PROGRESS", "SHIPPED"),
    Stage(14, "DELIVERED", "DELIVERED"),
    Stage(17, "DELIVERED", "INSTALLING"),
    Stage(21, "COMPLETED", "INSTALLED"),
)
"""The lifecycle schedule, in simulated days after submission."""

BUILT_DAY = 7.0
"""Hardware is built (assets with MAC addresses exist, shipment is tracked) from this day on."""

COMPLETED_DAY = SCHEDULE[-1].day
DELIVERED_DAY = next(stage.day for stage in SCHEDULE if stage.order == "DELIVERED")
OFF_SCHEDULE = {"CANCELLED": "CANCELLED", "ERROR": "ERROR"}
"""Final order statuses outside the schedule, and the status their line items take."""

FINAL_STATUSES = frozenset({SCHEDULE[-1].order, *OFF_SCHEDULE})
CANCELLABLE_STATUSES = frozenset({"PREPARING"})
FORCEABLE_STATUSES = tuple(dict.fromkeys([stage.order for stage in SCHEDULE] + list(OFF_SCHEDULE)))


@dataclass(frozen=True)
class Position:
    """Where an order stands: schedule day reached, statuses, fulfilment time (if completed)."""

    day: float
    order_status: str
    line_item_status: str
    fulfilled_at: float | None

    @property
    def built(self) -> bool:
        """Whether the hardware has been built (and not cancelled before that)."""
        return self.day >= BUILT_DAY


def start(now: float) -> Anchor:
    """The anchor of a newly submitted order."""
    return {"day": 0.0, "at": now}


def position(anchor: Anchor, now: float) -> Position:
    """The order's position at simulated time ``now``."""
    status = anchor.get("status")
    if status in OFF_SCHEDULE:
        return Position(anchor["day"], status, OFF_SCHEDULE[status], None)
    day = min(anchor["day"] + max(now - anchor["at"], 0.0) / DAY, COMPLETED_DAY)
    stage = [s for s in SCHEDULE if s.day <= day][-1]
    fulfilled = anchor["at"] + (COMPLETED_DAY - anchor["day"]) * DAY if day >= COMPLETED_DAY else None
    return Position(day, stage.order, stage.line_items, fulfilled)


def delivered_at(anchor: Anchor) -> float | None:
    """When the order's hardware is delivered (or, still on schedule, will be); ``None`` for an order
    cancelled or failed before delivery."""
    if anchor.get("status") in OFF_SCHEDULE and anchor["day"] < DELIVERED_DAY:
        return None
    return float(anchor["at"] + max(DELIVERED_DAY - anchor["day"], 0.0) * DAY)


def force(anchor: Anchor, status: str, now: float) -> Anchor:
    """The anchor after forcing the order into ``status`` at ``now`` (one of FORCEABLE_STATUSES)."""
    if status in OFF_SCHEDULE:
        return {"day": position(anchor, now).day, "at": now, "status": status}
    days = [stage.day for stage in SCHEDULE if stage.order == status]
    if not days:
        raise ValueError(f"cannot force status {status}; use one of {', '.join(FORCEABLE_STATUSES)}")
    return {"day": days[0], "at": now}


def is_open(anchor: Anchor, now: float) -> bool:
    """Whether the order still counts against the open-order quota."""
    return position(anchor, now).order_status not in FINAL_STATUSES
