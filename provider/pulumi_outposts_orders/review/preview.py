"""Reading a ``pulumi preview --json`` document: its steps, its errors and its stack's AWS config.

Only known fields are read: resource inputs are never handed on wholesale (they carry the
serialized provider under ``__provider``).
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pulumi_outposts_orders._tokens import AMAZON_BUSINESS_TYPE, ORDER_TYPE, QUOTE_TYPE, RENEWAL_TYPE
from pulumi_outposts_orders._unknowns import is_unknown
from pulumi_outposts_orders.aws import settings as _aws

# What an engine step means for one resource. A replacement shows up as one ``replace`` step or as
# ``create-replacement`` + ``delete-replaced``; either way it is one "replace" row.
STEP_ACTIONS: dict[str, str] = {
    "create": "create",
    "same": "no change",
    "update": "update",
    "delete": "cancel",
    "replace": "replace",
    "create-replacement": "replace",
    "delete-replaced": "replace",
    "discard-replaced": "replace",
    "import": "adopt",
    "import-replacement": "replace",
}
AMAZON_BUSINESS = "Amazon Business order"
"""The kind of an ``AmazonBusinessOrder`` change (and its rows), as the table names it."""
RENEWAL = "renewal"
"""The kind of an ``OutpostRenewal`` change."""
# When a resource has several steps, the most consequential one names the row.
_PRECEDENCE = ("replace", "cancel", "create", "adopt", "update", "no change")


class ReviewError(Exception):
    """The input is not a usable ``pulumi preview --json`` document."""



def load(text: str) -> dict[str, Any]:
    """The preview document in ``text``; :class:`ReviewError` when it is not one."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReviewError(f"the input is not JSON ({exc}); pass the output of `pulumi preview --json`") from exc
    if not isinstance(document, dict) or not isinstance(document.get("steps", []), list):
        raise ReviewError("the input is not the output of `pulumi preview --json` (no `steps` list)")
    if "steps" not in document and not errors(document):
        raise ReviewError("the preview has no steps and no errors: pass the output of `pulumi preview --json`")
    return document


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class PreviewFailure:
    """An error diagnostic of the preview: the resource it names (if any) and the message."""

    resource: str | None
    message: str


def errors(document: Mapping[str, Any]) -> list[PreviewFailure]:
    """The preview's error diagnostics (the provider's refusals among them), in the engine's order."""
    found: list[PreviewFailure] = []
    for diagnostic in document.get("diagnostics") or []:
        if not isinstance(diagnostic, Mapping) or diagnostic.get("severity") != "error":
            continue
        message = _ANSI.sub("", str(diagnostic.get("message") or "")).strip()
        for prefix in ("error: ", "Exception calling application: "):
            message = message.removeprefix(prefix)
        urn = diagnostic.get("urn")
        resource = str(urn).rsplit("::", 1)[-1] if urn else None
        if message and PreviewFailure(resource, message) not in found:
            found.append(PreviewFailure(resource, message))
    return found


@dataclass(frozen=True)
class Context:
    """What the header says: the stack and project (from the URNs) and the stack's AWS config."""

    stack: str | None
    project: str | None
    config: _aws.StackAwsConfig
    region_source: str = "aws:region"


def context(document: Mapping[str, Any], region: str | None = None, profile: str | None = None) -> Context:
    """The stack, project and AWS config of the preview; ``region``/``profile`` (flags) override the config."""
    config: Mapping[str, Any] = values(document.get("config"))
    stack_config = _aws.StackAwsConfig.from_config(lambda key: config.get(key))
    # The preview's whole aws config (assumed roles and endpoints included), the flags standing in for
    # aws:region / aws:profile.
    stack_config = stack_config.overridden(region, profile)
    urn = next((str(s.get("urn")) for s in document.get("steps") or [] if str(s.get("urn", "")).startswith("urn:")),
               "")
    parts = urn.split("::")
    stack = parts[0].removeprefix("urn:pulumi:") if len(parts) > 2 else None
    return Context(stack, parts[1] if len(parts) > 2 else None, stack_config, "--region" if region else "aws:region")


@dataclass(frozen=True)
class Change:
    """A resource of ours in the preview: its action and its old and new state."""

    kind: str
    name: str
    action: str
    old: Mapping[str, Any]
    new: Mapping[str, Any]
    reasons: tuple[str, ...]


def changes(document: Mapping[str, Any]) -> list[Change]:
    """Orders, quotes, renewals and Amazon Business orders in the preview, one per resource, by kind and name
    (the engine's step order varies)."""
    kinds = {ORDER_TYPE: "order", QUOTE_TYPE: "quote", AMAZON_BUSINESS_TYPE: AMAZON_BUSINESS, RENEWAL_TYPE: RENEWAL}
    by_urn: dict[str, list[Mapping[str, Any]]] = {}
    for step in document.get("steps") or []:
        state = step.get("newState") or step.get("oldState") or {}
        if state.get("type") in kinds and STEP_ACTIONS.get(step.get("op", "")):
            by_urn.setdefault(step["urn"], []).append(step)
    found: list[Change] = []
    for urn, steps in by_urn.items():
        actions = {STEP_ACTIONS[s["op"]] for s in steps}
        action = next(a for a in _PRECEDENCE if a in actions)
        old: Mapping[str, Any] = next((s["oldState"] for s in steps if s.get("oldState")), {})
        new: Mapping[str, Any] = next(
            (s["newState"] for s in steps if s.get("newState") and s["op"] != "delete-replaced"), {}
        )
        reasons = tuple(r for s in steps for r in s.get("replaceReasons") or [])
        kind = kinds[(new or old)["type"]]
        found.append(Change(kind, urn.rsplit("::", 1)[-1], action, old, new, tuple(dict.fromkeys(reasons))))
    return sorted(found, key=lambda change: (change.kind, change.name))


def date_of(value: Any) -> datetime.date | None:
    """The date of an ISO 8601 timestamp, or ``None``."""
    try:
        return datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00")).date() if value else None
    except ValueError:
        return None


def known_text(value: Any) -> str | None:
    """``value`` when it is a non-empty string known at preview, else ``None``."""
    return value if isinstance(value, str) and value and not is_unknown(value) else None


def values(mapping: Any) -> dict[str, Any]:
    """A resource's inputs or outputs as a dict (``{}`` when absent)."""
    return dict(mapping) if isinstance(mapping, Mapping) else {}



