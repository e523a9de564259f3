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
        "delivery status, items, price and total, delivery range and shipment. No AWS or Amazon Business call.",
    )
    parser.add_argument("--stack", help="the stack (default: the selected stack, else the project's only stack)")
    parser.add_argument("--cwd", default=".",
                        help="where to look for the Pulumi project: this directory or the nearest above it "
                        "with a Pulumi.yaml (default: .)")
    parser.add_argument("--markdown", action="store_true", help="print Markdown instead of a terminal table")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the status; 2 when the stack cannot be read."""
    from pulumi_outposts_orders.status.render import print_rich, render_markdown
    from pulumi_outposts_orders.status.stack import StatusError, read_stack

    try:
        stack = read_stack(args.stack, args.cwd)
    except StatusError as exc:
        print(f"outposts-orders status: {exc}", file=sys.stderr)
        return 2
    if args.markdown:
        sys.stdout.write(render_markdown(stack))
    else:
        print_rich(stack)
    return 0
