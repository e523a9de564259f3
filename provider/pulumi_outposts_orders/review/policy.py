"""The policy pack's verdict in a review: the engine's policy events, read from ``pulumi preview --event-log FILE``.

``pulumi preview --json`` leaves policy events out, so the review reads them from the same preview's event log
(one engine event per line; ``policyEvent`` as Pulumi's apitype defines it), and puts them at the top of the
comment, mandatory first. With the same policy config (``--policy-config``), the review also applies the pack's
per-order caps to the prices only it reads: quote orders without an ``expected_price``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pulumi_outposts_orders._markdown import code
from pulumi_outposts_orders.policy.pack import outposts_rules as rules
from pulumi_outposts_orders.review.gate import POLICY_FAILURE
from pulumi_outposts_orders.review.preview import ReviewError, errors
from pulumi_outposts_orders.review.row import STOP, WARN, Row

MANDATORY = "mandatory"
LEVELS = {"mandatory": MANDATORY, "warning": "advisory", "advisory": "advisory", "remediate": "remediate"}
"""The event's enforcement level → how the comment names it (the engine writes "warning" for advisory)."""


@dataclass(frozen=True)
class PolicyViolation:
    """One violation the engine reported: the policy, its pack, its level, the resource (``None``: the stack)."""

    pack: str
    policy: str
    level: str
    resource: str | None
    message: str


def read_events(path: str) -> list[PolicyViolation]:
    """The policy violations in the event log at ``path``, once each, in the engine's order."""
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except OSError as exc:
        raise ReviewError(f"cannot read the event log {path}: {exc.strerror}") from exc
    found: list[PolicyViolation] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            event = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ReviewError(f"{path}:{number} is not an engine event ({exc}); pass the file of "
                              "`pulumi preview --event-log FILE`") from exc
        policy = event.get("policyEvent") if isinstance(event, dict) else None
        if not isinstance(policy, dict):
            continue
        urn = str(policy.get("resourceUrn") or "")
        resource = urn.rsplit("::", 1)[-1] if urn and "pulumi:pulumi:Stack" not in urn else None
        text = str(policy.get("message") or "").strip()
        # The engine's message is the policy's description, then the violation.
        message = text.split("\n", 1)[1].strip() if "\n" in text else text
        violation = PolicyViolation(str(policy.get("policyPackName") or ""), str(policy.get("policyName") or ""),
                                    LEVELS.get(str(policy.get("enforcementLevel")), "advisory"), resource, message)
        if violation not in found:
            found.append(violation)
    return sorted(found, key=lambda v: v.level != MANDATORY)


def stopped_by_policies(document: Mapping[str, Any], violations: Sequence[PolicyViolation]) -> bool:
    """Whether mandatory violations are all that stopped the preview: the engine then reports one error,
    "preview failed", and its steps are whole (a preview runs every rule on every resource)."""
    failures = errors(document)
    return (any(v.level == MANDATORY for v in violations) and bool(failures)
            and all(f.resource is None and f.message == POLICY_FAILURE for f in failures))


def without_policy_failure(document: Mapping[str, Any]) -> dict[str, Any]:
    """The preview without the engine's "preview failed" error, so that its changes are reviewed in full beside
    the violations (the gate still refuses it: a mandatory violation is exit status 5)."""
    kept = [d for d in document.get("diagnostics") or []
            if not (isinstance(d, Mapping) and d.get("severity") == "error"
                    and str(d.get("message") or "").strip().removeprefix("error: ") == POLICY_FAILURE)]
    return {**document, "diagnostics": kept}


REVIEW_PACK = "outposts-orders, quoted price read by this review"


def read_config(path: str) -> dict[str, Any]:
    """The policy config file given to ``pulumi preview --policy-pack-config`` (a JSON object)."""
    try:
        with open(path, encoding="utf-8") as handle:
            config = json.load(handle)
    except OSError as exc:
        raise ReviewError(f"cannot read the policy config {path}: {exc.strerror}") from exc
    except json.JSONDecodeError as exc:
        raise ReviewError(f"the policy config {path} is not JSON ({exc})") from exc
    if not isinstance(config, dict):
        raise ReviewError(f"the policy config {path} is not a JSON object of policy names")
    return config


def _policy(config: Mapping[str, Any], name: str) -> tuple[str, Mapping[str, Any]]:
    """A policy's enforcement level and properties in a Pulumi policy config (``all`` sets the default level)."""
    entry = config.get(name)
    default = config.get("all") if isinstance(config.get("all"), str) else "mandatory"
    if isinstance(entry, str):
        return entry, {}
    if isinstance(entry, Mapping):
        return str(entry.get("enforcementLevel") or default), entry
    return str(default), {}


def quoted_price_caps(rows: Sequence[Row], config: Mapping[str, Any]) -> list[PolicyViolation]:
    """The ``order-price-cap`` policy on quote orders to be placed whose price only the review read."""
    level, limits = _policy(config, "order-price-cap")
    if level == "disabled":
        return []
    found = []
    for row in rows:
        if row.quoted_only is None or row.action not in ("create", "replace"):
            continue
        currency, upfront, total = row.quoted_only
        what = f"OutpostOrder {row.name!r} (quoted, no expected_price)"
        for message in rules.price_cap(what, rules.Price(currency, upfront, total), limits):
            found.append(PolicyViolation(REVIEW_PACK, "order-price-cap", LEVELS.get(level, level), row.name, message))
    return found


def render(violations: list[PolicyViolation]) -> list[str]:
    """The comment's opening lines: mandatory violations stop the change, advisory ones are warnings."""
    if not violations:
        return []
    mandatory = sum(v.level == MANDATORY for v in violations)
    if mandatory:
        head = (f"{STOP} **Policy violations: {mandatory} mandatory** (`pulumi preview` and `pulumi up` stop on "
                "them: nothing is ordered until they are fixed)")
    else:
        head = f"{WARN} **Policy warnings** (advisory: they do not stop the change)"
    lines = [head, ""]
    for v in violations:
        level = f"**{v.level}**" if v.level == MANDATORY else v.level
        where = f"on {code(v.resource)}" if v.resource else "on the stack"
        lines.append(f"- {level} {code(v.policy)} {where} ({v.pack}): {v.message}")
    return [*lines, ""]
