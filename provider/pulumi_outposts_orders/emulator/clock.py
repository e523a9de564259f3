"""Simulated time, which only moves when told.

The simulated now (epoch seconds) is stored in the database: it starts at the wall-clock time the
database was created, moves forward by ``advance`` (the admin clock), and, when ``speed`` is set,
by ``speed`` simulated days per real second while the emulator runs. A restart keeps it.
"""

from __future__ import annotations

import threading
import time

from .store import Transaction

DAY = 86_400.0
_NOW = "clock.now"


class Clock:
    """The emulator's simulated clock (epoch seconds)."""

    def __init__(self, speed_days_per_second: float = 0.0) -> None:
        self._speed = speed_days_per_second
        self._lock = threading.Lock()
        self._last_real = time.monotonic()

    def now(self, tx: Transaction) -> float:
        """Simulated now (with ``speed``, including the time accrued since the last call)."""
        stored = tx.setting(_NOW)
        now = float(stored) if stored else float(int(time.time()))
        if self._speed:
            with self._lock:
                real = time.monotonic()
                now += (real - self._last_real) * self._speed * DAY
                self._last_real = real
        if self._speed or not stored:
            tx.set_setting(_NOW, repr(now))
        return now

    def advance(self, tx: Transaction, days: float) -> float:
        """Move simulated time forward by ``days``; returns the new simulated now."""
        now = self.now(tx) + days * DAY
        tx.set_setting(_NOW, repr(now))
        return now
