"""The `outposts-orders` command line: one subcommand per job.

Each subcommand lives in its own module and exposes ``register(subparsers)``, which adds its
parser and sets ``handler`` (a function taking the parsed namespace and returning an exit code).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="outposts-orders",
        description="AWS Outposts hardware orders as Pulumi stack resources.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for register in _registrations():
        register(subparsers)
    return parser


def _registrations() -> list[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]]:
    # Imported lazily so `outposts-orders --help` stays fast and a broken subcommand
    # cannot break the others' imports at module load.
    from . import importer, review, status
    from .emulator import command as emulator_command

    return [emulator_command.register, importer.register, review.register, status.register]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `outposts-orders` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    return handler(args)


if __name__ == "__main__":
    raise SystemExit(main())
