"""Rendering a review as a pull-request comment (GitHub-flavoured Markdown)."""

from __future__ import annotations

from collections.abc import Sequence

from pulumi_outposts_orders._markdown import code, table
from pulumi_outposts_orders.aws import settings as _aws
from pulumi_outposts_orders.review import policy
from pulumi_outposts_orders.review.amazon_business import APPROVED_HERE
from pulumi_outposts_orders.review.assessment import Review
from pulumi_outposts_orders.review.preview import AMAZON_BUSINESS, RENEWAL, Context
from pulumi_outposts_orders.review.row import HEADERS, LOUDNESS, STOP, Row


def render(result: Review | Sequence[Row], title: str | None = None) -> str:
    """The pull-request comment: title, header line, errors or summary and table, loud lines, catalog facts.

    The default title names Amazon Business orders too when the change has some."""
    if not isinstance(result, Review):
        result = Review(Context(None, None, _aws.StackAwsConfig()), list(result))
    amazon = any(row.kind == AMAZON_BUSINESS for row in result.rows)
    title = title or f"Outposts {'and Amazon Business ' if amazon else ''}orders in this change"
    lines = [f"### {title}", ""]
    header = _header(result)
    if header:
        lines += [header, ""]
    lines += policy.render(result.policy)
    if result.failures:
        lines += [f"{STOP} **The preview failed: this change cannot be approved.** `pulumi preview` stopped with "
                  f"{len(result.failures)} error{'s' if len(result.failures) > 1 else ''}; `pulumi up` would stop "
                  "the same way.", ""]
        for failure in result.failures:
            where = f"resource {code(failure.resource)}" if failure.resource else "the program"
            lines += [f"**Error in {where}:**", "", "```text", failure.message.replace("```", "'''"), "```", ""]
        return "\n".join(lines)
    if not result.rows:
        return "\n".join([*lines, "No Outposts orders or quotes change.", ""])
    lines += [summary(result.rows), "", table(HEADERS, [row.cells() for row in result.rows])]
    loud = sorted((w for row in result.rows for w in row.warnings), key=lambda w: LOUDNESS.index(w[0]))
    for loudness, text in loud:
        lines += ["", f"{loudness} {text}"]
    if amazon:
        lines += ["", APPROVED_HERE]
    if result.contracts:
        lines += ["", "Contracts of the Outposts ordered for (GetOutpostBillingInformation):", ""]
        lines += [f"- {code(outpost)}: {facts}" for outpost, facts in sorted(result.contracts.items())]
    if result.catalog:
        lines += ["", "Catalog items (GetCatalogItem):", ""]
        lines += [f"- {code(item)}: {facts}" for item, facts in sorted(result.catalog.items())]
    return "\n".join([*lines, ""])


def _header(result: Review) -> str:
    ctx = result.context
    parts = []
    if ctx.stack:
        parts.append(f"Stack {code(ctx.stack)}" + (f" of project {code(ctx.project)}" if ctx.project else ""))
    if ctx.stack or ctx.config.region:
        try:
            target = _aws.resolve_target(None, None, ctx.config)
            source = ctx.region_source if ctx.config.region else "AWS environment"
            parts.append(f"region {target.region} ({source})" + (f", profile {target.profile}" if target.profile
                                                                  else ""))
        except _aws.AwsConfigError:
            parts.append("region not set")
    if result.accounts:
        parts.append(f"account{'s' if len(result.accounts) > 1 else ''} {', '.join(result.accounts)}")
    return " · ".join(parts)


def summary(found: Sequence[Row]) -> str:
    """``Orders: 1 cancel that will be refused, 1 replace, 2 create. Quotes: 1 create.``"""
    parts = []
    for kind in ("order", "quote", RENEWAL, AMAZON_BUSINESS):
        counts: dict[str, int] = {}
        for row in found:
            if row.kind == kind:
                label = f"{row.action} that will be refused" if row.risk == "refused" else row.action
                counts[label] = counts.get(label, 0) + 1
        if counts:
            said = ", ".join(f"{n} {label}" for label, n in counts.items())
            parts.append(f"{kind[0].upper()}{kind[1:]}s: {said}.")
    return " ".join(parts)
