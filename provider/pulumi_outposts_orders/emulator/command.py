"""The ``outposts-orders emulator`` subcommand: run the emulator, or drive a running one.

``outposts-orders emulator [--port N] ...`` serves the API (``server``) and prints, on start, the
``export`` lines a shell needs and the seeded IDs (``app.banner``). ``clock`` and ``set-status`` talk
to a running emulator's admin API (``/_emulator/``) at ``--endpoint`` (default:
``AWS_ENDPOINT_URL_OUTPOSTS``); ``ids`` prints the seeded IDs without one.
"""

from __future__ import annotations

import argparse
import datetime
import math
import os
import sys
from typing import Any

from pulumi_outposts_orders.emulator.shell import ENDPOINT_VARIABLE


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    """Add the ``emulator`` subcommand and its admin subcommands."""
    parser = subparsers.add_parser(
        "emulator",
        help="run the local Outposts API emulator, or move its clock and orders",
        description="Serve the Outposts REST-JSON API (and STS GetCallerIdentity/AssumeRole) locally; on start it "
        "prints the `export` lines that point "
        "a shell (pulumi, boto3, the AWS CLI) at it and the seeded IDs. The subcommands drive a running "
        f"emulator (at --endpoint, default ${ENDPOINT_VARIABLE}).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    parser.add_argument("--port", type=int, default=0, help="port to listen on; 0 picks a free one (default)")
    parser.add_argument("--db", help="SQLite database file, or :memory: (default: .local/emulator.db in the cwd)")
    parser.add_argument("--no-seed", dest="seed", action="store_false", help="start without seed data")
    parser.add_argument("--speed", type=float, default=0.0, metavar="DAYS_PER_SECOND",
                        help="simulated days per real second (default: 0, time moves only via `emulator clock`)")
    parser.add_argument("--ab-speedup", type=_speedup, default=1.0, metavar="FACTOR",
                        help="multiply the Amazon Business usage plan's rate (0.5 requests/s, burst 10) by FACTOR, "
                        "e.g. 10 for tests (default: 1, the real plan; the admin API's PUT "
                        "/_emulator/amazon-business/usage-plan changes it later)")
    parser.add_argument("--credentials", type=_credentials, metavar="ACCESS_KEY_ID:SECRET",
                        help="strict mode: verify SigV4 signatures and accept only this key")
    parser.add_argument("--max-open-orders", type=int, help="open orders allowed per account (default: 500)")
    parser.add_argument("--max-units-per-order", type=int,
                        help="units (racks or servers) one order may add up to (default: 100)")
    parser.set_defaults(handler=_run)

    admin = parser.add_subparsers(dest="admin_command", metavar="ADMIN_COMMAND")
    clock = admin.add_parser("clock", help="show or advance the emulator's simulated clock",
                             description="Print the simulated time; with --advance-days, move it forward first "
                             "(orders follow their schedule: 3 days BUILDING, 7 SHIPPED, 14 DELIVERED, "
                             "21 COMPLETED).")
    clock.add_argument("--advance-days", type=float, default=0.0, metavar="DAYS",
                       help="simulated days to move forward (default: 0)")
    _endpoint_option(clock)
    clock.set_defaults(handler=_clock)

    status = admin.add_parser("set-status", help="force an order into a status",
                              description="Force an order (and its line items) into STATUS.")
    status.add_argument("order_id", metavar="ORDER_ID", help="the order, e.g. oo-0123456789abcdef0")
    status.add_argument("status", metavar="STATUS", type=str.upper,
                        help="PREPARING, IN_PROGRESS, DELIVERED, COMPLETED, CANCELLED or ERROR")
    _endpoint_option(status)
    status.set_defaults(handler=_set_status)

    ids = admin.add_parser("ids", help="print the seeded IDs (no emulator needed)",
                           description="Print the IDs every seeded emulator database holds.")
    ids.set_defaults(handler=_ids)


def _endpoint_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--endpoint", default=os.environ.get(ENDPOINT_VARIABLE),
                        help=f"the running emulator (default: ${ENDPOINT_VARIABLE})")


def _credentials(text: str) -> tuple[str, str]:
    key, sep, secret = text.partition(":")
    if not (key and sep and secret):
        raise argparse.ArgumentTypeError("expected ACCESS_KEY_ID:SECRET")
    return key, secret


def _speedup(text: str) -> float:
    try:
        factor = float(text)
    except ValueError:
        factor = math.nan
    if not (math.isfinite(factor) and factor > 0):
        raise argparse.ArgumentTypeError(f"expected a number > 0, got {text!r}")
    return factor


def _run(args: argparse.Namespace) -> int:
    from pulumi_outposts_orders.emulator.server import (  # the server's imports (botocore, werkzeug) only when it runs
        Options,
        serve,
    )

    settings = {k: v for k, v in vars(args).items() if k in Options.__dataclass_fields__ and v is not None}
    return serve(Options(**settings))


def _admin(args: argparse.Namespace) -> Any:
    from pulumi_outposts_orders.emulator.testing import AdminClient

    if not args.endpoint:
        raise SystemExit(f"outposts-orders emulator {args.admin_command}: no emulator endpoint: pass --endpoint "
                         f"http://127.0.0.1:PORT or export {ENDPOINT_VARIABLE} (the emulator prints it on start)")
    return AdminClient(args.endpoint)


def _clock(args: argparse.Namespace) -> int:
    admin = _admin(args)
    try:
        now = admin.advance_days(args.advance_days) if args.advance_days else admin.now()
    except (RuntimeError, OSError) as exc:
        return _failed(args, exc)
    shown = datetime.datetime.fromtimestamp(now, datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    print(f"simulated now: {shown}")
    return 0


def _set_status(args: argparse.Namespace) -> int:
    admin = _admin(args)
    try:
        result = admin.force_order_status(args.order_id, args.status)
    except (RuntimeError, OSError) as exc:
        return _failed(args, exc)
    print(f"order {result['OrderId']} is now {result['Status']}")
    return 0


def _ids(_args: argparse.Namespace) -> int:
    from pulumi_outposts_orders.emulator.app import seeded_ids

    print("\n".join(seeded_ids()))
    return 0


def _failed(args: argparse.Namespace, exc: Exception) -> int:
    print(f"outposts-orders emulator {args.admin_command}: {exc} (endpoint {args.endpoint})", file=sys.stderr)
    return 1
