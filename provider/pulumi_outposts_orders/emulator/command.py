"""The ``outposts-orders emulator`` subcommand."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``emulator`` subcommand."""
    parser = subparsers.add_parser(
        "emulator",
        help="run the local Outposts API emulator",
        description="Serve the Outposts REST-JSON API (and STS GetCallerIdentity/AssumeRole) locally. Point "
        "clients at it with AWS_ENDPOINT_URL_OUTPOSTS=http://HOST:PORT and AWS_ENDPOINT_URL_STS=http://HOST:PORT.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    parser.add_argument("--port", type=int, default=0, help="port to listen on; 0 picks a free one (default)")
    parser.add_argument("--db", help="SQLite database file, or :memory: (default: .local/emulator.db in the cwd)")
    parser.add_argument("--no-seed", dest="seed", action="store_false", help="start without seed data")
    parser.add_argument("--speed", type=float, default=0.0, metavar="DAYS_PER_SECOND",
                        help="simulated days per real second (default: 0, time moves only via the admin clock)")
    parser.add_argument("--credentials", type=_credentials, metavar="ACCESS_KEY_ID:SECRET",
                        help="strict mode: verify SigV4 signatures and accept only this key")
    parser.add_argument("--max-open-orders", type=int, help="open orders allowed per account (default: 500)")
    parser.add_argument("--max-units-per-order", type=int,
                        help="units (racks or servers) one order may add up to (default: 100)")
    parser.set_defaults(handler=_run)


def _credentials(text: str) -> tuple[str, str]:
    key, sep, secret = text.partition(":")
    if not (key and sep and secret):
        raise argparse.ArgumentTypeError("expected ACCESS_KEY_ID:SECRET")
    return key, secret


def _run(args: argparse.Namespace) -> int:
    from .server import Options, serve  # the server's imports (botocore, werkzeug) only when it runs

    settings = {k: v for k, v in vars(args).items() if k in Options.__dataclass_fields__ and v is not None}
    return serve(Options(**settings))
