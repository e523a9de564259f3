"""How many calls each API operation received (admin calls are not counted)."""

from __future__ import annotations

import threading
from collections import Counter


class CallCounter:
    """A thread-safe count of calls per operation name."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()

    def count(self, operation: str) -> None:
        """Count one call of ``operation``."""
        with self._lock:
            self._counts[operation] += 1

    def snapshot(self) -> dict[str, int]:
        """The counts so far."""
        with self._lock:
            return dict(self._counts)

    def reset(self) -> None:
        """Forget every count."""
        with self._lock:
            self._counts.clear()
