"""``outposts-orders review``: what a ``pulumi preview --json`` would order, as a pull-request comment.

A header (stack, project, region, account), one table row per order, quote or Amazon Business
order in the preview, riskiest first (refused, replace, cancel, create, adopt, forget…), then short
loud lines, riskiest first. A failed preview (error diagnostics) is never reported as "no change": the errors are the
comment, and the exit status is 2.

One module per step, data flowing one way:

- ``preview``: reading the preview document (steps, error diagnostics, the stack's AWS config);
- ``assessment``: deciding what each change means (rows, risks, prices, loud lines), with read-only
  look-ups (``outposts.lookups``);
- ``amazon_business``: the same for Amazon Business orders, from the preview alone (no call);
- ``row``: one table row and its loud lines;
- ``policy``: the policy pack's violations, from the same preview's engine event log;
- ``gate``: deciding the exit status;
- ``markdown``: rendering the comment;
- ``command``: the subcommand's arguments, tying the steps together.

The names below are imported on first use, so that ``command`` (and ``outposts-orders --help``)
needs neither the Pulumi SDK nor boto3.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pulumi_outposts_orders._lazy import lazy_exports

if TYPE_CHECKING:
    from pulumi_outposts_orders.review.assessment import Review, describe_item, review, rows
    from pulumi_outposts_orders.review.gate import (
        EXIT_BAD_INPUT,
        EXIT_NO_PRICE,
        EXIT_OK,
        EXIT_POLICY,
        EXIT_REPLACE,
        EXIT_TRIAL_REFUSED,
        EXPIRY_DAYS,
        Verdict,
        verdict,
    )
    from pulumi_outposts_orders.review.markdown import render, summary
    from pulumi_outposts_orders.review.preview import (
        Change,
        Context,
        PreviewFailure,
        ReviewError,
        changes,
        context,
        errors,
        load,
    )
    from pulumi_outposts_orders.review.row import Row

_EXPORTS = {
    **dict.fromkeys(("EXIT_BAD_INPUT", "EXIT_NO_PRICE", "EXIT_OK", "EXIT_POLICY", "EXIT_REPLACE", "EXIT_TRIAL_REFUSED",
                     "EXPIRY_DAYS", "Verdict", "verdict"), ".gate"),
    **dict.fromkeys(("render", "summary"), ".markdown"),
    **dict.fromkeys(("Change", "Context", "PreviewFailure", "ReviewError", "changes", "context", "errors", "load"),
                    ".preview"),
    **dict.fromkeys(("Review", "describe_item", "review", "rows"), ".assessment"),
    "Row": ".row",
}
__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_NO_PRICE",
    "EXIT_OK",
    "EXIT_POLICY",
    "EXIT_REPLACE",
    "EXIT_TRIAL_REFUSED",
    "EXPIRY_DAYS",
    "Change",
    "Context",
    "PreviewFailure",
    "Review",
    "ReviewError",
    "Row",
    "Verdict",
    "changes",
    "context",
    "describe_item",
    "errors",
    "load",
    "render",
    "review",
    "rows",
    "summary",
    "verdict",
]

__getattr__ = lazy_exports(__name__, _EXPORTS)
