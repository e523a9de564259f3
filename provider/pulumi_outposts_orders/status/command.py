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
        "except with --contracts. With --html, also one self-contained page with a timeline per Outpost. Exit "
        "status: 0; 2 when a stack cannot be read (or the page cannot be written); with --contracts, 4 when an "
        "Outpost's term ends within the notice and margin with no renewal pending, 5 when a contract cannot be read.",
    )
    parser.add_argument("--stack", action="append", metavar="NAME",
                        help="the stack (default: the selected stack, else the project's only stack); repeat it to "
                        "show several stacks, each in a section of its own")
    parser.add_argument("--cwd", default=".",
                        help="where to look for the Pulumi project: this directory or the nearest above it "
                        "with a Pulumi.yaml (default: .)")
    parser.add_argument("--markdown", action="store_true", help="print Markdown instead of a terminal table")
    parser.add_argument("--html", metavar="FILE",
                        help="also write the board as one self-contained HTML page to FILE: a timeline per Outpost "
                        "(orders, deliveries, contract end and renewal deadline), the tables, what is late or blocked "
                        "in red; no network request, light and dark mode, printable")
    parser.add_argument("--contracts", action="store_true",
                        help="also show each Outpost's contract: end date, business days left, subscriptions and "
                        "renewal (read-only GetOutpostBillingInformation per Outpost)")
    parser.add_argument("--renewal-margin", type=int, default=None, metavar="N",
                        help="with --contracts, warn this many business days before AWS's 5-day notice (default: 10)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the status (and write the page); see the exit statuses in ``register``."""
    import datetime

    from pulumi_outposts_orders.status.contracts import DEFAULT_MARGIN_BUSINESS_DAYS
    from pulumi_outposts_orders.status.render import print_rich, render_markdown
    from pulumi_outposts_orders.status.stack import StatusError, read_stack

    margin = DEFAULT_MARGIN_BUSINESS_DAYS if args.renewal_margin is None else args.renewal_margin
    if margin < 0:
        print("outposts-orders status: --renewal-margin must be 0 or more business days", file=sys.stderr)
        return 2
    stacks = []
    try:
        for name in args.stack or [None]:
            stacks.append(read_stack(name, args.cwd, contracts=args.contracts))
    except StatusError as exc:
        print(f"outposts-orders status: {exc}", file=sys.stderr)
        return 2
    for index, stack in enumerate(stacks):
        if args.markdown:
            sys.stdout.write(("\n" if index else "") + render_markdown(stack, margin))
        else:
            print_rich(stack, margin=margin)
    if args.html:
        from pulumi_outposts_orders.status.page import render_html

        page = render_html(stacks, margin, datetime.datetime.now(datetime.UTC))
        try:
            with open(args.html, "w", encoding="utf-8") as out:
                out.write(page)
        except OSError as exc:
            print(f"outposts-orders status: cannot write the page to {args.html}: {exc}", file=sys.stderr)
            return 2
        print(f"outposts-orders status: wrote {args.html}", file=sys.stderr)
    contracts = [contract for stack in stacks for contract in stack.contracts or []]
    if any(contract.due(margin) for contract in contracts):
        return 4
    return 5 if any(contract.billing is None for contract in contracts) else 0
