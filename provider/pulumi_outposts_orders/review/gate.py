"""The approval gate: a review's exit status, for GitOps jobs that block a merge on it.

Light on purpose (no Pulumi SDK, no boto3): the ``review`` command reads its defaults from here
before it imports anything that does the work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

EXIT_OK, EXIT_REPLACE, EXIT_BAD_INPUT, EXIT_NO_PRICE, EXIT_TRIAL_REFUSED = 0, 1, 2, 3, 4
EXPIRY_DAYS = 14
"""Warn when a quote to be ordered expires within this many days."""


class ReviewedRow(Protocol):
    """What the gate reads of a review row (``review.row.Row``)."""

    name: str
    kind: str
    action: str
    price_missing: bool
    refused_by_trial: bool


class Reviewed(Protocol):
    """What the gate reads of a review (``review.assessment.Review``)."""

    @property
    def failures(self) -> Sequence[object]:
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
    """A failed preview is never approvable; then an order Amazon Business's trial refused (``--amazon-trial``);
    then missing prices (``require_prices``), then replacements (``fail_on_replace``), in that order."""
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
