"""The ``outposts-orders status`` subcommand: arguments, then read the stack and render it.

Its module imports nothing heavy: the automation API and rich are imported when the command runs.
"""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``status`` subcommand."""
    parser = subparsers.add_parser(
        "status",
        help="show every order of a stack with its stage, shipment and assets",
        description="Show every OutpostOrder of a stack, as of its last `pulumi refresh`: status, a stage bar "
        "per line item, carrier and tracking number, asset IDs and dates; then every AmazonBusinessOrder: "
        "delivery status, items, price and total, delivery range and shipment. No AWS or Amazon Business call, "
        "except with --contracts. Exit status: 0; 2 when the stack cannot be read; with --contracts, 4 when an "
        "Outpost's term ends within the notice and margin with no renewal pending, 5 when a contract cannot be read.",
    )
    parser.add_argument("--stack", help="the stack (default: the selected stack, else the project's only stack)")
    parser.add_argument("--cwd", default=".",
                        help="where to look for the Pulumi project: this directory or the nearest above it "
                        "with a Pulumi.yaml (default: .)")
    parser.add_argument("--markdown", action="store_true", help="print Markdown instead of a terminal table")
    parser.add_argument("--contracts", action="store_true",
                        help="also show each Outpost's contract: end date, business days left, subscriptions and "
                        "renewal (read-only GetOutpostBillingInformation per Outpost)")
    parser.add_argument("--renewal-margin", type=int, default=None, metavar="N",
                        help="with --contracts, warn this many business days before AWS's 5-day notice (default: 10)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the status; see the exit statuses in ``register``."""
    from pulumi_outposts_orders.status.contracts import DEFAULT_MARGIN_BUSINESS_DAYS
    from pulumi_outposts_orders.status.render import print_rich, render_markdown
    from pulumi_outposts_orders.status.stack import StatusError, read_stack

    margin = DEFAULT_MARGIN_BUSINESS_DAYS if args.renewal_margin is None else args.renewal_margin
    if margin < 0:
        print("outposts-orders status: --renewal-margin must be 0 or more business days", file=sys.stderr)
        return 2
    try:
        stack = read_stack(args.stack, args.cwd, contracts=args.contracts)
    except StatusError as exc:
        print(f"outposts-orders status: {exc}", file=sys.stderr)
        return 2
    if args.markdown:
        sys.stdout.write(render_markdown(stack, margin))
    else:
        print_rich(stack, margin=margin)
    contracts = stack.contracts or []
    if any(contract.due(margin) for contract in contracts):
        return 4
    return 5 if any(contract.billing is None for contract in contracts) else 0
