"""`make demo`: the quickstart stack against the local Outposts emulator, end to end.

Starts the emulator on a free port with a persistent database (``.local/emulator.db``), points
the standard boto3 environment at it, runs ``pulumi up`` of the top-level project
(``examples/quickstart/``), advances the emulator's simulated clock, runs ``pulumi refresh
--run-program`` (so stack outputs follow), prints the stack's status as ``outposts-orders status``
shows it, and stops the emulator.

Re-running is safe and fast: the same database and stack state mean the second run places
nothing (the status view shows the AWS API calls each run made: Outposts, and STS for the account).
"""

from __future__ import annotations

import argparse
import os
import runpy
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from pulumi import automation as auto
from rich.console import Console

from pulumi_outposts_orders import status
from pulumi_outposts_orders.emulator.testing import RunningEmulator, boto3_env

REPO = Path(__file__).resolve().parents[1]
LOCAL = REPO / ".local"
PROJECT = "outposts-orders-quickstart"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the demo; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--stack", default="dev", help="stack name (default: %(default)s)")
    parser.add_argument("--days", type=float, default=7.0, help="simulated days between up and refresh")
    parser.add_argument("--db", type=Path, default=LOCAL / "emulator.db", help="the emulator's database")
    args = parser.parse_args(argv)
    console = Console(highlight=False, width=120)

    env = _pulumi_env()
    args.db.parent.mkdir(parents=True, exist_ok=True)
    with RunningEmulator(db=args.db) as emulator:
        console.print(f"==> Outposts emulator at {emulator.endpoint} (database {args.db})")
        env = boto3_env(emulator.endpoint, base=env)
        stack = _stack(args.stack, env)
        emulator.admin.reset_calls()

        console.print(f"==> pulumi up ({args.stack})")
        stack.up(on_output=_echo)
        placed = _calls(emulator)
        console.print(f"==> advancing the emulator's clock by {args.days:g} days")
        emulator.admin.advance_days(args.days)
        console.print("==> pulumi refresh --run-program")
        stack.refresh(run_program=True, on_output=_echo)
        refreshed = _calls(emulator)

        deployment = stack.export_stack().deployment or {}
        console.print(status.status_table(status.Stack(args.stack, status.orders(deployment),
                                                       status.as_of(deployment))))
        console.print(f"AWS API calls: up {_shown(placed)}; refresh {_shown(refreshed)}")
    return 0


def _pulumi_env() -> dict[str, str]:
    """The environment for ``pulumi``: the Makefile's settings, or the same defaults when run directly."""
    env = dict(os.environ)
    env.setdefault("PULUMI_HOME", str(LOCAL / "pulumi-home"))
    env.setdefault("PULUMI_BACKEND_URL", f"file://{LOCAL / 'state'}")
    env.setdefault("PULUMI_CONFIG_PASSPHRASE", "outposts-orders-demo")
    env.setdefault("PULUMI_SKIP_UPDATE_CHECK", "true")
    backend = env["PULUMI_BACKEND_URL"]
    if backend.startswith("file://"):
        Path(backend.removeprefix("file://")).mkdir(parents=True, exist_ok=True)
    return env


def _stack(name: str, env: dict[str, str]) -> auto.Stack:
    """The quickstart stack: the project's program through the language host, else inline."""
    opts = auto.LocalWorkspaceOptions(work_dir=str(REPO), env_vars=env, pulumi_home=env["PULUMI_HOME"])
    if shutil.which("pulumi-language-python", path=env.get("PATH")):
        return auto.create_or_select_stack(name, work_dir=str(REPO), opts=opts)
    # No Python language host on PATH: run the very same program in this process.
    def program() -> None:
        # The program takes the emulator's seeded IDs as defaults only when it sees the emulator's endpoint.
        os.environ["AWS_ENDPOINT_URL_OUTPOSTS"] = env["AWS_ENDPOINT_URL_OUTPOSTS"]
        runpy.run_path(str(REPO / "examples" / "quickstart" / "__main__.py"))

    return auto.create_or_select_stack(name, PROJECT, program, opts=opts)


def _calls(emulator: RunningEmulator) -> dict[str, int]:
    counts = {op: n for op, n in emulator.admin.calls().items() if n}
    emulator.admin.reset_calls()
    return counts


def _shown(counts: dict[str, int]) -> str:
    return ", ".join(f"{op} {n}" for op, n in sorted(counts.items())) or "none"


def _echo(line: str) -> None:
    print(line, end="" if line.endswith("\n") else "\n", flush=True)


if __name__ == "__main__":
    sys.exit(main())
