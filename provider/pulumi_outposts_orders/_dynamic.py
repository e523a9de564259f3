"""What every dynamic provider of this package shares: check failures as the engine shows them, warnings, text."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pulumi.dynamic import CheckFailure


@dataclass(frozen=True)
class Failure:
    """An input that breaks a rule: the property path as written by the user, and why."""

    property: str
    reason: str


def check_failure(failure: Failure, props: Mapping[str, Any]) -> CheckFailure:
    """A failure as the engine shows it: it prints the value of ``property`` from the inputs, so the
    property is the top-level input (``line_items``), or none when that input is absent (the engine
    would print ``<nil>``); the reason always starts with the full path."""
    top = failure.property.split("[", 1)[0].split(".", 1)[0]
    reason = failure.reason if failure.reason.startswith(failure.property) else f"{failure.property}: {failure.reason}"
    return CheckFailure(top if props.get(top) is not None else "", reason)


def warn(message: str) -> None:
    """A warning in the update's diagnostics (the engine shows a provider's stderr)."""
    print(f"warning: {message}", file=sys.stderr, flush=True)


def text(value: Any) -> str | None:
    """``value`` when it is a non-empty string, else ``None``."""
    return value if isinstance(value, str) and value else None
