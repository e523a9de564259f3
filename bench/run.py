"""Benchmarks: what an order costs in time, Outposts API calls and memory, as the fleet grows.

All figures come from one run, on this machine, through the real Pulumi engine (automation API,
inline program, file backend) against the local emulator with an injected per-call latency L:

- per N orders: wall time of ``up`` (create), ``preview`` and ``up`` with no change, ``refresh`` and
  ``destroy``; Outposts API calls per operation (the emulator's counters); peak RSS of the dynamic
  provider process; size of the state file and of the pickled provider per resource;
- refresh next to what a user would otherwise run (a sequential boto3 GetOrder loop, the AWS CLI once
  per order) and next to the floor N x L / 4 (4: the dynamic provider's gRPC thread pool);
- the provider's ``read`` against a bare boto3 ``get_order`` on a warm client, in process.

``make bench`` runs it with the engine first on PATH. Timings are reported, never asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import boto3
from pulumi import automation as auto

from pulumi_outposts_orders import OutpostOrder
from pulumi_outposts_orders._provider.order import OutpostOrderProvider
from pulumi_outposts_orders.emulator import seed
from pulumi_outposts_orders.emulator.testing import CLEARED_VARIABLES, AdminClient, RunningEmulator, boto3_env

PROVIDER_WORKERS = 4
"""Requests the dynamic provider serves at once: ``ThreadPoolExecutor(max_workers=4)`` in pulumi/dynamic/__main__.py."""
PROJECT = "outposts-orders-bench"
ORDER = {
    "outpost_identifier": seed.RACK_OUTPOST_ID,
    "line_items": [{"catalog_item_id": seed.RACK_CATALOG_ITEM_ID, "quantity": 1}],
    "payment_option": "ALL_UPFRONT",
    "payment_term": "THREE_YEARS",
}
KNOB = {"PULUMI_SKIP_CHECKPOINTS": "true"}
"""Measured side by side with the default for refresh at the largest N; the main rows use the default."""


# --- measurements --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Op:
    """One stack operation: wall time, API calls per operation name, provider peak RSS."""

    name: str
    seconds: float
    calls: dict[str, int]
    peak_rss_kib: int


@dataclass(frozen=True)
class Fleet:
    """Everything measured for N orders."""

    n: int
    ops: list[Op]
    state_bytes: int
    provider_bytes: int
    boto3_loop_s: float
    cli_s: float
    cli_timed: int
    knob_refresh_s: float | None

    def op(self, name: str) -> Op:
        return next(op for op in self.ops if op.name == name)


@dataclass(frozen=True)
class Overhead:
    """Median in-process times of the provider's read and of a bare boto3 get_order, at one latency."""

    latency_ms: int
    iterations: int
    read_s: float
    bare_s: float


class ProviderPeakRss:
    """Max VmHWM of this process's ``pulumi.dynamic`` descendants, polled in a background thread."""

    def __init__(self, interval_s: float = 0.05) -> None:
        self.peak_kib = 0
        self._interval = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self) -> ProviderPeakRss:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join()

    def _poll(self) -> None:
        while not self._stop.wait(self._interval):
            for pid in _descendants(os.getpid()):
                self.peak_kib = max(self.peak_kib, _dynamic_provider_hwm_kib(pid))


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rpartition(")")[2].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(stat.parent.name))
    found, todo = [], [root]
    while todo:
        kids = children.get(todo.pop(), [])
        found += kids
        todo += kids
    return found


def _dynamic_provider_hwm_kib(pid: int) -> int:
    try:
        if b"pulumi.dynamic" not in Path(f"/proc/{pid}/cmdline").read_bytes():
            return 0
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    line = next((line for line in status.splitlines() if line.startswith("VmHWM:")), "VmHWM: 0 kB")
    return int(line.split()[1])


def timed(name: str, admin: AdminClient, action: Callable[[], object]) -> Op:
    """Run ``action`` once with zeroed API counters and the provider's memory watched."""
    admin.reset_calls()
    with ProviderPeakRss() as rss:
        start = time.perf_counter()
        action()
        seconds = time.perf_counter() - start
    return Op(name, seconds, admin.calls(), rss.peak_kib)


# --- the stack -----------------------------------------------------------------------------------
def fleet_program(n: int) -> Callable[[], None]:
    """An inline program declaring ``n`` identical orders."""
    def program() -> None:
        for i in range(n):
            OutpostOrder(f"order-{i:03d}", **ORDER)  # type: ignore[arg-type]
    return program


def new_stack(n: int, endpoint: str, workdir: Path) -> auto.Stack:
    env = {
        **boto3_env(endpoint, base={}),
        "PULUMI_CONFIG_PASSPHRASE": "bench",
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        "PULUMI_PYTHON_CMD": sys.executable,  # the dynamic provider runs in this venv
    }
    opts = auto.LocalWorkspaceOptions(
        env_vars=env,
        pulumi_home=str(workdir / "home"),
        project_settings=auto.ProjectSettings(
            name=PROJECT, runtime="python", backend=auto.ProjectBackend(url=f"file://{workdir}")),
    )
    return auto.create_or_select_stack(f"n{n}", project_name=PROJECT, program=fleet_program(n), opts=opts)


@contextmanager
def workspace_env(stack: auto.Stack, extra: Mapping[str, str]) -> Iterator[None]:
    """Add ``extra`` to the environment of the engine for the operations inside the block."""
    workspace = stack.workspace
    assert isinstance(workspace, auto.LocalWorkspace)
    saved = dict(workspace.env_vars)
    workspace.env_vars = {**saved, **extra}
    try:
        yield
    finally:
        workspace.env_vars = saved


def orders_in_state(stack: auto.Stack) -> list[dict[str, Any]]:
    """The stack's OutpostOrder resources, as exported (dynamic resources carry ``__provider``)."""
    resources: list[dict[str, Any]] = (stack.export_stack().deployment or {}).get("resources", [])
    return [r for r in resources if "__provider" in r.get("inputs", {})]


def state_sizes(workdir: Path, stack: auto.Stack) -> tuple[int, int]:
    """(bytes of the state file the backend rewrites, bytes of one resource's ``__provider`` input)."""
    (path,) = (workdir / ".pulumi" / "stacks").rglob(f"{stack.name}.json")
    return path.stat().st_size, max(len(r["inputs"]["__provider"]) for r in orders_in_state(stack))


# --- what a user would otherwise run -------------------------------------------------------------
def bare_client(endpoint: str) -> Any:
    """A default boto3 Outposts client pointed at ``endpoint`` through the standard environment."""
    with patched_environ(boto3_env(endpoint)):
        return boto3.session.Session().client("outposts")


def boto3_loop(endpoint: str, ids: list[str]) -> float:
    """Seconds for one GetOrder per order, sequentially, on one client created beforehand."""
    client = bare_client(endpoint)
    start = time.perf_counter()
    for order_id in ids:
        client.get_order(OrderId=order_id)
    return time.perf_counter() - start


def aws_cli(endpoint: str, ids: list[str]) -> float:
    """Seconds for ``aws outposts get-order`` once per order, one process each, sequentially."""
    aws = shutil.which("aws", path=os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]))
    if aws is None:
        raise SystemExit("the AWS CLI is missing: pip install awscli (it is in the `test` extra)")
    env = boto3_env(endpoint)
    start = time.perf_counter()
    for order_id in ids:
        subprocess.run([aws, "outposts", "get-order", "--order-id", order_id], env=env, check=True,
                       stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


@contextmanager
def patched_environ(env: Mapping[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


# --- runs ----------------------------------------------------------------------------------------
def run_fleet(n: int, latency_ms: int, cli_max: int, knob: bool) -> Fleet:
    """A fresh emulator and stack: up, preview, up, refresh, (refresh with the knob), destroy."""
    with RunningEmulator() as emulator, tempfile.TemporaryDirectory(prefix="outposts-bench-") as tmp:
        admin = emulator.admin
        admin.set_faults({"*": {"latency_ms": latency_ms}})
        workdir = Path(tmp)
        stack = new_stack(n, emulator.endpoint, workdir)
        ops = [timed("up (create)", admin, stack.up)]
        state_bytes, provider_bytes = state_sizes(workdir, stack)
        ops.append(timed("preview (no change)", admin, stack.preview))
        ops.append(timed("up (no change)", admin, stack.up))
        ops.append(timed("refresh", admin, stack.refresh))
        knob_refresh_s = None
        if knob:
            with workspace_env(stack, KNOB):
                knob_refresh_s = timed("refresh", admin, stack.refresh).seconds
        ids = [r["id"] for r in orders_in_state(stack)]
        loop_s = boto3_loop(emulator.endpoint, ids)
        cli_ids = ids[:cli_max]
        cli_s = aws_cli(emulator.endpoint, cli_ids) * len(ids) / len(cli_ids)
        ops.append(timed("destroy", admin, stack.destroy))
        stack.workspace.remove_stack(stack.name)
        return Fleet(n, ops, state_bytes, provider_bytes, loop_s, cli_s, len(cli_ids), knob_refresh_s)


def provider_overhead(latencies_ms: list[int], iterations: dict[int, int]) -> list[Overhead]:
    """The provider's ``read`` vs a bare ``get_order`` on warm clients, interleaved, medians."""
    results = []
    with RunningEmulator() as emulator, patched_environ(boto3_env(emulator.endpoint)):
        provider = OutpostOrderProvider()
        created = provider.create(dict(ORDER))
        order_id, outs = str(created.id), dict(created.outs or {})
        client = boto3.session.Session().client("outposts")
        for latency in latencies_ms:
            emulator.admin.set_faults({"*": {"latency_ms": latency}} if latency else {})
            reads: list[float] = []
            bares: list[float] = []
            for i in range(iterations[latency] + 5):  # the first 5 of each warm up
                first, second = (reads, bares) if i % 2 else (bares, reads)
                for samples in (first, second):
                    start = time.perf_counter()
                    if samples is reads:
                        provider.read(order_id, outs)
                    else:
                        client.get_order(OrderId=order_id)
                    samples.append(time.perf_counter() - start)
            del reads[:5], bares[:5]
            results.append(Overhead(latency, len(reads), statistics.median(reads), statistics.median(bares)))
    return results


# --- report --------------------------------------------------------------------------------------
def calls_text(calls: Mapping[str, int]) -> str:
    return ", ".join(f"{name}={count}" for name, count in sorted(calls.items())) or "0"


def report(fleets: list[Fleet], overheads: list[Overhead], latency_ms: int, knob: bool) -> str:
    L = latency_ms / 1000
    lines = [
        f"Latency L = {latency_ms} ms per Outposts call (emulator fault `\"*\": {{\"latency_ms\": {latency_ms}}}`); "
        f"{os.cpu_count()} CPUs; engine default parallelism; dynamic provider concurrency "
        f"{PROVIDER_WORKERS} (its gRPC thread pool).",
        "",
        "| N | operation | wall s | ms per order | Outposts API calls | provider peak RSS MiB |",
        "| ---: | --- | ---: | ---: | --- | ---: |",
    ]
    for fleet in fleets:
        for op in fleet.ops:
            lines.append(f"| {fleet.n} | {op.name} | {op.seconds:.2f} | {1000 * op.seconds / fleet.n:.0f} | "
                         f"{calls_text(op.calls)} | {op.peak_rss_kib / 1024:.0f} |")
    lines += [
        "",
        "| N | refresh s | floor NxL/4 s | refresh / floor | boto3 loop s | refresh / boto3 | AWS CLI s "
        "| refresh / CLI | state file KiB | state B per order | `__provider` B per order |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for fleet in fleets:
        refresh = fleet.op("refresh").seconds
        floor = fleet.n * L / PROVIDER_WORKERS
        cli = f"{fleet.cli_s:.1f}" + ("" if fleet.cli_timed == fleet.n else f" ({fleet.cli_timed} timed, scaled)")
        lines.append(
            f"| {fleet.n} | {refresh:.2f} | {floor:.2f} | {refresh / floor:.1f}x | {fleet.boto3_loop_s:.2f} | "
            f"{refresh / fleet.boto3_loop_s:.2f}x | {cli} | {refresh / fleet.cli_s:.2f}x | "
            f"{fleet.state_bytes / 1024:.0f} | {fleet.state_bytes // fleet.n} | {fleet.provider_bytes} |")
    largest = fleets[-1]
    if knob and largest.knob_refresh_s is not None:
        default = largest.op("refresh").seconds
        lines += ["", f"Knob, N = {largest.n}, side by side: refresh {default:.2f} s by default, "
                  f"{largest.knob_refresh_s:.2f} s with `PULUMI_SKIP_CHECKPOINTS=true` "
                  f"({largest.knob_refresh_s / default:.2f}x). The tables use the default."]
    lines += [
        "",
        "| in process, latency | iterations | provider `read` ms (median) | bare boto3 `get_order` ms (median) "
        "| read / bare |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for o in overheads:
        lines.append(f"| {o.latency_ms} ms | {o.iterations} | {1000 * o.read_s:.2f} | {1000 * o.bare_s:.2f} | "
                     f"{o.read_s / o.bare_s:.2f}x |")
    lines += ["", "Targets:", *targets(fleets, overheads, L)]
    return "\n".join(lines) + "\n"


def targets(fleets: list[Fleet], overheads: list[Overhead], latency_s: float) -> list[str]:
    def mark(ok: bool) -> str:
        return "met" if ok else "MISSED"

    zero = all(not f.op(name).calls for f in fleets for name in ("preview (no change)", "up (no change)"))
    refresh = all(f.op("refresh").calls == {"GetOrder": f.n} for f in fleets)
    create = all(f.op("up (create)").calls == {"CreateOrder": f.n} for f in fleets)
    no_latency = next((o for o in overheads if o.latency_ms == 0), overheads[0])
    read_ratio = no_latency.read_s / no_latency.bare_s
    largest = fleets[-1]
    floor_ratio = largest.op("refresh").seconds / (largest.n * latency_s / PROVIDER_WORKERS)
    return [
        f"- {mark(zero)}: preview and no-change up make zero Outposts API calls.",
        f"- {mark(refresh)}: refresh makes exactly N GetOrder calls (and nothing else).",
        f"- {mark(create)}: create makes exactly one CreateOrder per order and nothing else.",
        f"- {mark(read_ratio <= 1.2)}: provider read overhead {read_ratio:.2f}x bare boto3 at latency "
        f"{no_latency.latency_ms} ms (target ≤ 1.2x).",
        f"- {mark(floor_ratio <= 1.5)}: refresh at N = {largest.n} is {floor_ratio:.1f}x the floor "
        "(target ≤ 1.5x at N = 200).",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="N = 1, 10, 50 only (CI smoke)")
    parser.add_argument("--latency-ms", type=int, default=50, help="injected latency per Outposts call")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("results.md"))
    parser.add_argument("--cli-max", type=int, default=200,
                        help="time the AWS CLI on at most this many orders per N, scale to N (default: all)")
    args = parser.parse_args(argv)
    if shutil.which("pulumi") is None:
        raise SystemExit("the Pulumi engine is not on PATH: run `make bench`")
    for name in CLEARED_VARIABLES:
        os.environ.pop(name, None)
    sizes = [1, 10, 50] if args.quick else [1, 10, 50, 200]
    fleets = []
    for n in sizes:
        print(f"N = {n} ...", file=sys.stderr, flush=True)
        fleets.append(run_fleet(n, args.latency_ms, args.cli_max, knob=n == sizes[-1]))
    print("provider overhead ...", file=sys.stderr, flush=True)
    overheads = provider_overhead([0, args.latency_ms], {0: 300, args.latency_ms: 40})
    text = report(fleets, overheads, args.latency_ms, knob=True)
    print(text)
    args.out.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
