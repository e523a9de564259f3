"""The ``outposts-orders review`` subcommand: arguments, then read, decide, render, and the exit status.

Its module imports nothing heavy: ``outposts-orders --help`` lists it without the Pulumi SDK or boto3,
which are imported when the command runs.
"""

from __future__ import annotations

import argparse
import sys

from pulumi_outposts_orders.review.gate import EXIT_BAD_INPUT, EXPIRY_DAYS, verdict


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``review`` subcommand."""
    parser = subparsers.add_parser(
        "review",
        help="summarize `pulumi preview --json` as Markdown for a pull request",
        description="Read `pulumi preview --json` and print a Markdown summary of every Outposts order and "
        "quote change, with prices from the quotes (read-only GetQuote calls), and of every Amazon Business "
        "order change, with the expected prices the program declares (no Amazon Business call unless "
        "--amazon-trial). Exit status: 0; 1 with --fail-on-replace when an order would be replaced; 2 when the input "
        "is not a preview or the preview failed; 3 with --require-prices when a price could not be read; 4 with "
        "--amazon-trial when Amazon Business would refuse a line.",
    )
    parser.add_argument("file", nargs="?", default="-", metavar="FILE",
                        help="the preview JSON (default: standard input, also `-`)")
    parser.add_argument("--fail-on-replace", action="store_true",
                        help="exit with status 1 when an order would be replaced")
    parser.add_argument("--require-prices", action="store_true",
                        help="exit with status 3 when the price of an order to be placed cannot be read")
    parser.add_argument("--region", help="AWS region for quote look-ups, in place of the stack's aws:region "
                        "config (then AWS_REGION, AWS_DEFAULT_REGION, the profile's region, as the provider)")
    parser.add_argument("--profile", help="AWS profile for quote look-ups, in place of the stack's aws:profile "
                        "config (then AWS_PROFILE, the default chain, as the provider)")
    parser.add_argument("--amazon-trial", action="store_true",
                        help="send each Amazon Business order to be placed as a TrialMode order (Amazon runs every "
                        "step and places nothing) and say whether it would accept each line, at what charges; needs "
                        "the LWA credentials in the environment (exit status 4 when a line would be refused)")
    parser.add_argument("--policy-events", metavar="FILE",
                        help="the same preview's engine event log (`pulumi preview --policy-pack DIR "
                        "--event-log FILE`, with PULUMI_DEBUG_COMMANDS=true): its policy violations open the comment, "
                        "and the changes are reviewed in full when the policies alone stopped the preview (exit "
                        "status 5 when one is mandatory)")
    parser.add_argument("--policy-config", metavar="FILE",
                        help="the policy config of the same preview (`--policy-pack-config FILE`): the pack's "
                        "order-price-cap is applied to quote orders whose price only the review reads (no "
                        "expected_price)")
    parser.add_argument("--expiry-days", type=int, default=EXPIRY_DAYS, metavar="N",
                        help="warn when a quote to be ordered expires within N days (default: %(default)s)")
    parser.add_argument("--title", help="the comment's heading (default: \"Outposts orders in this change\", naming "
                        "Amazon Business orders too when there are some)")
    parser.set_defaults(handler=run)



def run(args: argparse.Namespace) -> int:
    """Print the review; see the exit statuses in ``register``."""
    from pulumi_outposts_orders.outposts.lookups import Lookups
    from pulumi_outposts_orders.review.assessment import review
    from pulumi_outposts_orders.review.markdown import render
    from pulumi_outposts_orders.review.policy import (
        quoted_price_caps,
        read_config,
        read_events,
        stopped_by_policies,
        without_policy_failure,
    )
    from pulumi_outposts_orders.review.preview import ReviewError, context, load

    try:
        text = sys.stdin.read() if args.file == "-" else _read(args.file)
        document = load(text)
        violations = read_events(args.policy_events) if args.policy_events else []
        policy_config = read_config(args.policy_config) if args.policy_config else None
    except ReviewError as exc:
        print(f"outposts-orders review: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if stopped_by_policies(document, violations):
        document = without_policy_failure(document)
    ctx = context(document, args.region, args.profile)
    result = review(document, Lookups(ctx.config), expiry_days=args.expiry_days, ctx=ctx,
                    amazon_trial=args.amazon_trial)
    if policy_config is not None:
        violations += quoted_price_caps(result.rows, policy_config)
    result.policy = sorted(violations, key=lambda v: v.level != "mandatory")
    sys.stdout.write(render(result, args.title))
    decided = verdict(result, fail_on_replace=args.fail_on_replace, require_prices=args.require_prices)
    if decided.reason:
        print(f"outposts-orders review: {decided.reason}", file=sys.stderr)
    return decided.status


def _read(path: str) -> str:
    from pulumi_outposts_orders.review.preview import ReviewError

    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError as exc:
        raise ReviewError(f"cannot read {path}: {exc.strerror}") from exc
