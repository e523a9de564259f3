"""Simulated time: wall-clock time plus an offset that only grows.

Simulated now = wall time + offset (epoch seconds), so orders placed now carry today's date, as
they would at AWS. The offset is stored in the database: ``advance`` (the admin clock) adds to it,
and with ``speed`` it also grows by ``speed`` simulated days per real second while the emulator
runs. A restart keeps it. Simulated time never goes back, even if wall time steps back (NTP): a
reading is never earlier than the one before it.

A database from before this rule stored a frozen simulated now (``clock.now``); it becomes an
offset of how far that now was ahead of wall time (zero if it lagged behind).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from pulumi_outposts_orders.emulator.store import Transaction

DAY = 86_400.0
_OFFSET = "clock.offset"
_FROZEN_NOW = "clock.now"


class Clock:
    """The emulator's simulated clock (epoch seconds)."""

    def __init__(self, speed_days_per_second: float = 0.0, wall: Callable[[], float] = time.time) -> None:
        self._speed = speed_days_per_second
        self._wall = wall
        self._lock = threading.Lock()
        self._last_real = time.monotonic()
        self._latest = float("-inf")

    def now(self, tx: Transaction) -> float:
        """Simulated now: wall time plus the offset (with ``speed``, accrued up to this call)."""
        offset = self.offset(tx)
        with self._lock:
            if self._speed:
                real = time.monotonic()
                offset += (real - self._last_real) * self._speed * DAY
                self._last_real = real
                tx.set_setting(_OFFSET, repr(offset))
            self._latest = max(self._wall() + offset, self._latest)
            return self._latest

    def offset(self, tx: Transaction) -> float:
        """How far (seconds) simulated time is ahead of wall time, as stored."""
        stored = tx.setting(_OFFSET)
        if stored is not None:
            return float(stored)
        frozen = tx.setting(_FROZEN_NOW)
        offset = max(float(frozen) - self._wall(), 0.0) if frozen else 0.0
        tx.set_setting(_OFFSET, repr(offset))
        return offset

    def advance(self, tx: Transaction, days: float) -> float:
        """Move simulated time forward by ``days``; returns the new simulated now."""
        tx.set_setting(_OFFSET, repr(self.offset(tx) + days * DAY))
        return self.now(tx)
