"""What each order status means for the stack: one table, read by diff, delete, adoption, reconciliation
and ``outposts-orders review``, so they never disagree about a status.

Only orders that have not started building can be cancelled (AWS: CancelOrder answers
ConflictException otherwise). RECEIVED/PENDING/PROCESSING/INSTALLING/FULFILLED are deprecated
statuses, mapped to their current equivalents. A status this table does not know (a newer one) is
treated as in flight: never cancelled, never forgotten, never replaced.
"""

from __future__ import annotations

import enum
from typing import Any


class OnDelete(enum.Enum):
    """What ``pulumi destroy`` (or a replacement) does with an order in a given status."""

    CANCEL = "cancel"  # still cancellable: CancelOrder
    FORGET = "forget"  # history: nothing left to stop, drop it from the stack
    REFUSE = "refuse"  # in flight and not cancellable: fail, never lose track of it silently


ON_DELETE: dict[str, OnDelete] = {
    "PREPARING": OnDelete.CANCEL,
    "RECEIVED": OnDelete.CANCEL,
    "PENDING": OnDelete.CANCEL,
    "IN_PROGRESS": OnDelete.REFUSE,
    "PROCESSING": OnDelete.REFUSE,
    "DELIVERED": OnDelete.REFUSE,
    "INSTALLING": OnDelete.REFUSE,
    "COMPLETED": OnDelete.FORGET,
    "FULFILLED": OnDelete.FORGET,
    "CANCELLED": OnDelete.FORGET,
    "ERROR": OnDelete.FORGET,
}

# History: nothing can be placed, cancelled or shipped any more, so these orders are never "the live
# order" of a resource, never a reconciliation candidate, never adopted.
TERMINAL_STATUSES = frozenset(status for status, action in ON_DELETE.items() if action is OnDelete.FORGET)


def on_delete(status: Any) -> OnDelete:
    """The action for ``status``; an unknown status (or none recorded) is refused, as an order in flight."""
    return ON_DELETE.get(str(status), OnDelete.REFUSE)

# Orders that were never and will never be fulfilled: never adopted; imported only on purpose (``--allow-terminal``).
NEVER_FULFILLED = frozenset({"CANCELLED", "ERROR"})

# A line item's way from order to installed hardware (the model's LineItemStatus), in order, for the status
# board; a stopped line item is off that way for good. REPLACED and newer statuses are shown as they are.
LINE_ITEM_STAGES = ("PREPARING", "BUILDING", "SHIPPED", "DELIVERED", "INSTALLING", "INSTALLED")
LINE_ITEM_STOPPED = frozenset({"CANCELLED", "ERROR"})
