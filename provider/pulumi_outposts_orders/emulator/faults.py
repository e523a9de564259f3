"""Injected faults per operation (or "*" for all): latency, throttling, errors, dropped responses.

Random outcomes come from a generator seeded afresh each time the settings change, so a run
repeats. ``throttle_next_calls: N`` throttles the next N calls (as when other clients used the quota);
``drop_response_after_commit: N`` makes the next N calls run (and commit) and then
closes the connection without a response; ``error_after_commit: N`` makes the next N calls run (and
commit) and then answer 500 InternalServerException, as if the service failed after its write.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pulumi_outposts_orders.aws.model import service_model
from pulumi_outposts_orders.emulator.errors import ApiError

SEED = 20260616
RATES = ("throttle_rate", "error_rate")
COUNTS = ("throttle_next_calls", "drop_response_after_commit", "error_after_commit")
SETTINGS = ("latency_ms", *RATES, *COUNTS)


@dataclass(frozen=True)
class Decision:
    """What to do to one call."""

    latency_s: float = 0.0
    throttle: bool = False
    error: bool = False
    drop: bool = False
    error_after_commit: bool = False


class Faults:
    """The current fault settings, safe to use from many request threads.

    ``named_only``: operations of other services (STS) that take faults only by name, not from "*".
    """

    def __init__(self, named_only: Iterable[str] = ()) -> None:
        self._named_only = frozenset(named_only)
        self._lock = threading.Lock()
        self._settings: dict[str, dict[str, Any]] = {}
        self._random = random.Random(SEED)

    def configure(self, settings: dict[str, dict[str, Any]]) -> None:
        """Replace every setting (ValueError, naming the problem, if one is invalid)."""
        checked = {key: _checked(key, value, self._named_only) for key, value in settings.items()}
        with self._lock:
            self._settings = checked
            self._random = random.Random(SEED)

    def clear(self) -> None:
        """Remove every fault."""
        self.configure({})

    def settings(self) -> dict[str, dict[str, Any]]:
        """The settings in force (drop counts are what remains)."""
        with self._lock:
            return {key: dict(value) for key, value in self._settings.items()}

    def decide(self, operation: str) -> Decision:
        """The faults for the next call of ``operation`` (an operation's own settings win over "*")."""
        with self._lock:
            wildcard = {} if operation in self._named_only else self._settings.get("*", {})
            merged = {**wildcard, **self._settings.get(operation, {})}
            if not merged:
                return Decision()
            throttle = (self._random.random() < merged.get("throttle_rate", 0.0)
                        or self._take(operation, "throttle_next_calls"))
            error = not throttle and self._random.random() < merged.get("error_rate", 0.0)
            drop = not (throttle or error) and self._take(operation, "drop_response_after_commit")
            late = not (throttle or error or drop) and self._take(operation, "error_after_commit")
            return Decision(merged.get("latency_ms", 0) / 1000, throttle, error, drop, late)

    def _take(self, operation: str, name: str) -> bool:
        for key in (operation,) if operation in self._named_only else (operation, "*"):
            setting = self._settings.get(key, {})
            if name in setting:
                if setting[name] <= 0:
                    return False
                setting[name] -= 1
                return True
        return False


def apply(decision: Decision) -> None:
    """Wait the decision's latency, then raise its throttling or server error, if any."""
    if decision.latency_s:
        time.sleep(decision.latency_s)
    if decision.throttle:
        raise ApiError("ThrottlingException", "Rate exceeded")
    if decision.error:
        raise ApiError("InternalServerException", "An internal error occurred (injected fault)")


def _checked(key: str, value: Any, named_only: frozenset[str]) -> dict[str, Any]:
    if key != "*" and key not in service_model().operation_names and key not in named_only:
        raise ValueError(f"{key!r} is neither an operation name nor '*'")
    if not isinstance(value, dict) or not value:
        raise ValueError(f"{key}: settings must be a non-empty object with some of {', '.join(SETTINGS)}")
    for name, setting in value.items():
        if name not in SETTINGS:
            raise ValueError(f"{key}: unknown setting {name!r} (known: {', '.join(SETTINGS)})")
        if isinstance(setting, bool) or not isinstance(setting, int | float) or setting < 0:
            raise ValueError(f"{key}.{name} must be a number >= 0")
        if name in RATES and setting > 1:
            raise ValueError(f"{key}.{name} is a probability and must be <= 1")
        if name in COUNTS and not isinstance(setting, int):
            raise ValueError(f"{key}.{name} must be a whole number of calls")
    return dict(value)
