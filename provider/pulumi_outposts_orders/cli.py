"""The `outposts-orders` command line: one subcommand per job, registered by name.

Each subcommand's module (``COMMANDS``) exposes ``register(subparsers)``, which adds its parser and
sets ``handler`` (a function taking the parsed namespace and returning an exit code). Those modules
define arguments only: the work (the Pulumi SDK, boto3, the emulator's server, rich) is imported
when a handler runs, so ``outposts-orders --help`` and ``outposts-orders emulator`` stay fast, and
``tests/cli/test_help.py`` checks that ``--help`` imports neither pulumi nor boto3.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable, Sequence

Handler = Callable[[argparse.Namespace], int]
Register = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]

COMMANDS: dict[str, str] = {
    "claims": ".claims_command",
    "emulator": ".emulator.command",
    "import": ".importer",
    "policy-pack-path": ".policy.command",
    "review": ".review.command",
    "status": ".status.command",
}
"""Subcommand name -> the module that registers it (relative to this package), in ``--help`` order."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="outposts-orders",
        description="AWS Outposts hardware orders as Pulumi stack resources.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        registration(name)(subparsers)
    return parser


def registration(name: str) -> Register:
    """The ``register`` function of subcommand ``name`` (its module is imported here, on use)."""
    register: Register = importlib.import_module(COMMANDS[name], __package__).register
    return register


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `outposts-orders` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    return handler(args)


if __name__ == "__main__":
    raise SystemExit(main())
