"""The approval gate: a review's exit status, for GitOps jobs that block a merge on it.

Light on purpose (no Pulumi SDK, no boto3): the ``review`` command reads its defaults from here
before it imports anything that does the work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

EXIT_OK, EXIT_REPLACE, EXIT_BAD_INPUT, EXIT_NO_PRICE, EXIT_TRIAL_REFUSED, EXIT_POLICY = 0, 1, 2, 3, 4, 5
POLICY_FAILURE = "preview failed"
"""The engine's only error diagnostic when mandatory policies alone stopped the preview."""
EXPIRY_DAYS = 14
"""Warn when a quote to be ordered expires within this many days."""


class ReviewedRow(Protocol):
    """What the gate reads of a review row (``review.row.Row``)."""

    name: str
    kind: str
    action: str
    price_missing: bool
    refused_by_trial: bool


class ReviewedViolation(Protocol):
    """What the gate reads of a policy violation (``review.policy.PolicyViolation``)."""

    @property
    def policy(self) -> str: ...
    @property
    def level(self) -> str: ...
    @property
    def resource(self) -> str | None: ...


class ReviewedFailure(Protocol):
    """What the gate reads of a preview error (``review.preview.PreviewFailure``)."""

    @property
    def resource(self) -> str | None: ...
    @property
    def message(self) -> str: ...


class Reviewed(Protocol):
    """What the gate reads of a review (``review.assessment.Review``)."""

    @property
    def policy(self) -> Sequence[ReviewedViolation]:
        """The policy pack's violations."""

    @property
    def failures(self) -> Sequence[ReviewedFailure]:
        """The preview's errors."""

    @property
    def rows(self) -> Sequence[ReviewedRow]:
        """One row per resource change."""


@dataclass(frozen=True)
class Verdict:
    """The exit status of a review and, unless it is ``EXIT_OK``, the sentence that explains it."""

    status: int
    reason: str | None = None


def verdict(result: Reviewed, fail_on_replace: bool = False, require_prices: bool = False) -> Verdict:
    """A failed preview is never approvable, nor one that broke a mandatory policy (when the engine's only error is
    that); then an order Amazon Business's trial refused (``--amazon-trial``); then missing prices
    (``require_prices``), then replacements (``fail_on_replace``), in that order."""
    mandatory = [f"{v.policy} ({v.resource or 'stack'})" for v in result.policy if v.level == "mandatory"]
    other_errors = [f for f in result.failures if f.resource is not None or f.message != POLICY_FAILURE]
    if mandatory and not other_errors:
        return Verdict(EXIT_POLICY, f"mandatory policies are broken: {', '.join(mandatory)}")
    if result.failures:
        return Verdict(EXIT_BAD_INPUT, f"the preview failed ({len(result.failures)} error(s)); nothing can be "
                                       "approved")
    refused = [row.name for row in result.rows if row.refused_by_trial]
    if refused:
        return Verdict(EXIT_TRIAL_REFUSED, f"Amazon Business would refuse (trial): {', '.join(refused)}")
    unpriced = [row.name for row in result.rows if row.price_missing and row.action in ("create", "replace")]
    if require_prices and unpriced:
        return Verdict(EXIT_NO_PRICE, f"prices could not be read for: {', '.join(unpriced)}")
    replaced = [row.name for row in result.rows if row.kind != "quote" and row.action == "replace"]
    if fail_on_replace and replaced:
        return Verdict(EXIT_REPLACE, f"orders would be replaced: {', '.join(replaced)}")
    return Verdict(EXIT_OK)
