"""Benchmarks: what an order costs in time, Outposts API calls and memory, as the fleet grows.

All figures come from one run, on this machine, through the real Pulumi engine (automation API,
inline program, file backend) against the local emulator with an injected per-call latency L:

- per N orders: wall time of ``up`` (create), ``preview`` and ``up`` with no change, ``refresh`` and
  ``destroy``; Outposts API calls per operation (the emulator's counters); peak RSS of the dynamic
  provider process; size of the state file and of the pickled provider per resource;
- refresh next to what a user would otherwise run (a sequential boto3 GetOrder loop, the AWS CLI once
  per order) and next to the floor N x L / 4 (4: the dynamic provider's gRPC thread pool);
- the provider's ``read`` against a bare boto3 ``get_order`` on a warm client, in process;
- a rate-limited fleet: N AmazonBusinessOrders in one parallel ``up`` under the emulator's Amazon
  Business usage plan, sped up: placement time against the plan's floor, placeOrder calls and 429s
  (``--only rate-limited`` runs just this and replaces its section, the last, in ``--out``).

``make bench`` runs it with the engine first on PATH. Timings are reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
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
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import boto3
from pulumi import automation as auto

from pulumi_outposts_orders import OutpostOrder
from pulumi_outposts_orders.amazon_business.resource import (
    AmazonBusinessLineItemArgs,
    AmazonBusinessOrder,
    AmazonBusinessOrderArgs,
    MoneyArgs,
    ShippingAddressArgs,
)
from pulumi_outposts_orders.emulator import amazon_business as ab
from pulumi_outposts_orders.emulator.app import amazon_business_env
from pulumi_outposts_orders.emulator.outposts import seed
from pulumi_outposts_orders.emulator.testing import CLEARED_VARIABLES, AdminClient, RunningEmulator, boto3_env
from pulumi_outposts_orders.outposts.order_provider import OutpostOrderProvider

PROVIDER_WORKERS = 4
"""Requests the dynamic provider serves at once: ``ThreadPoolExecutor(max_workers=4)`` in pulumi/dynamic/__main__.py."""
PROJECT = "outposts-orders-bench"
STS_OPERATIONS = frozenset({"GetCallerIdentity", "AssumeRole"})
ORDER: dict[str, Any] = {
    "outpost_identifier": seed.RACK_OUTPOST_ID,
    "line_items": [{"catalog_item_id": seed.RACK_CATALOG_ITEM_ID, "quantity": 1}],
    "payment_option": "ALL_UPFRONT",
    "payment_term": "THREE_YEARS",
}
KNOB = {"PULUMI_SKIP_CHECKPOINTS": "true"}
"""Measured side by side with the default at the largest N; the main tables use the default."""
AB_PRODUCT = ab.SEED_PRODUCTS[0]
AB_ADDRESS = ShippingAddressArgs(full_name="Site Ops", address_line1="410 Terry Ave N", city="Seattle",
                                 postal_code="98109", country_code="US", state_or_region="WA")
RATE_LIMITED_HEADING = "Rate-limited fleet:"
"""The first words of the rate-limited section, the report's last."""


# --- measurements --------------------------------------------------------------------------------
@dataclass(frozen=True)
class RateLimited:
    """N AmazonBusinessOrders in one parallel ``up`` under the emulator's usage plan."""

    n: int
    rate: float
    """Requests per second the plan allows (the base rate times ``speedup``)."""
    burst: int
    speedup: float
    up_s: float
    placement_s: float
    """First to last placeOrder that placed an order, on the emulator's wall clock (``wallPlacedAt``)."""
    placed: int
    place_calls: int
    """placeOrder requests, throttled ones included."""
    throttled: int
    """placeOrder requests answered 429."""
    purchase_orders: str
    """``one per order`` or ``one shared``: how many order reports a refresh has to read."""
    refresh_s: float
    refresh_calls: dict[str, int]
    """Amazon Business calls of one ``refresh`` after the ``up``."""

    @property
    def floor_s(self) -> float:
        """The plan's floor: the burst goes at once, every further order waits for a token."""
        return max(0, self.n - self.burst) / self.rate


@dataclass(frozen=True)
class Op:
    """One stack operation: wall time, API calls per operation name, memory and CPU by process."""

    name: str
    seconds: float
    calls: dict[str, int]
    """Outposts API calls per operation name."""
    provider_peak_kib: int
    cpu_s: dict[str, float]
    """CPU seconds of the engine (``pulumi``), the dynamic provider, the emulator, and this process
    (the automation API and the inline program's language server)."""
    sts_calls: dict[str, int] = field(default_factory=dict)
    """STS calls (the account: one GetCallerIdentity per provider process)."""


@dataclass(frozen=True)
class Variant:
    """An operation run another way: with another injected latency, or another engine setting."""

    label: str
    latency_ms: int
    op: Op


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
    variants: list[Variant]
    """Operations run again another way, side by side with the default (largest N only)."""

    def op(self, name: str) -> Op:
        return next(op for op in self.ops if op.name == name)


@dataclass(frozen=True)
class Overhead:
    """Median in-process times of the provider's read and of a bare boto3 get_order, at one latency."""

    latency_ms: int
    iterations: int
    read_s: float
    bare_s: float


class ProcessWatch:
    """Polls this process's descendants in a background thread: the dynamic provider's peak RSS
    (VmHWM), and the CPU time the engine, the provider and the emulator use while it watches
    (processes that exit count as last seen, so up to one interval of their CPU may be missed)."""

    def __init__(self, interval_s: float = 0.05) -> None:
        self.provider_peak_kib = 0
        self.poll_cpu_s = 0.0
        self._start: dict[int, float] = {}
        self._cpu: dict[int, tuple[str, float]] = {}
        self._roles: dict[int, str | None] = {}
        self._interval = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self) -> ProcessWatch:
        self._sample()
        self._start = {pid: seconds for pid, (_, seconds) in self._cpu.items()}
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join()

    def cpu_s(self, role: str) -> float:
        """CPU seconds used by the processes of ``role`` since the watch began."""
        return sum(seconds - self._start.get(pid, 0.0) for pid, (pid_role, seconds) in self._cpu.items()
                   if pid_role == role)

    def _poll(self) -> None:
        while not self._stop.wait(self._interval):
            self._sample()
        self._sample()
        self.poll_cpu_s = time.thread_time()

    def _sample(self) -> None:
        table = _processes()
        for pid in _descendants(os.getpid(), table):
            role = self._roles.setdefault(pid, _role(pid))
            if role is None or pid not in table:
                continue
            ticks = int(table[pid][11]) + int(table[pid][12])  # utime + stime
            self._cpu[pid] = role, ticks / os.sysconf("SC_CLK_TCK")
            if role == "provider":
                self.provider_peak_kib = max(self.provider_peak_kib, _peak_rss_kib(pid))


def _processes() -> dict[int, list[str]]:
    """Each process's ``/proc/<pid>/stat`` fields from the state (field 3) on."""
    table = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            table[int(stat.parent.name)] = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
    return table


def _descendants(root: int, table: Mapping[int, list[str]]) -> list[int]:
    children: dict[int, list[int]] = {}
    for pid, fields in table.items():
        children.setdefault(int(fields[1]), []).append(pid)
    found, todo = [], [root]
    while todo:
        kids = children.get(todo.pop(), [])
        found += kids
        todo += kids
    return found


def _role(pid: int) -> str | None:
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return None
    if b"pulumi.dynamic" in argv:
        return "provider"
    if b"pulumi_outposts_orders.cli" in argv:
        return "emulator"
    return "engine" if Path(argv[0].decode()).name == "pulumi" else None


def _peak_rss_kib(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    line = next((line for line in status.splitlines() if line.startswith("VmHWM:")), "VmHWM: 0 kB")
    return int(line.split()[1])


def timed(name: str, admin: AdminClient, action: Callable[[], object]) -> Op:
    """Run ``action`` once with zeroed API counters and the engine and provider processes watched."""
    admin.reset_calls()
    with ProcessWatch() as watch:
        start, cpu = time.perf_counter(), time.process_time()
        action()
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    roles = ("engine", "provider", "emulator")
    cpu_s = {**{role: watch.cpu_s(role) for role in roles}, "automation": cpu - watch.poll_cpu_s}
    calls = admin.calls()
    sts = {op: n for op, n in calls.items() if op in STS_OPERATIONS}
    outposts = {op: n for op, n in calls.items() if op not in STS_OPERATIONS}
    return Op(name, seconds, outposts, watch.provider_peak_kib, cpu_s, sts)


# --- the stack -----------------------------------------------------------------------------------
def fleet_program(n: int) -> Callable[[], None]:
    """An inline program declaring ``n`` identical orders."""
    def program() -> None:
        for i in range(n):
            OutpostOrder(f"order-{i:03d}", **ORDER)
    return program


def ab_program(n: int, shared_po: bool = False) -> Callable[[], None]:
    """An inline program declaring ``n`` AmazonBusinessOrders of one seeded product each, each with its own
    purchase order number, or all with one (``shared_po``)."""
    def program() -> None:
        for i in range(n):
            AmazonBusinessOrder(f"ab-{i:03d}", AmazonBusinessOrderArgs(
                line_items=[AmazonBusinessLineItemArgs(
                    asin=AB_PRODUCT.asin, buying_option_id=AB_PRODUCT.buying_option_id, quantity=1,
                    expected_unit_price=MoneyArgs(AB_PRODUCT.currency, AB_PRODUCT.price))],
                shipping_address=AB_ADDRESS, buyer_email="buyer@example.com", marketplace="US",
                purchase_order_number="PO-SHARED" if shared_po else f"PO-{i:03d}"))
    return program


def new_stack(name: str, endpoint: str, workdir: Path, program: Callable[[], None],
              extra_env: Mapping[str, str] | None = None) -> auto.Stack:
    env = {
        **boto3_env(endpoint, base={}),
        **(extra_env or {}),
        "PULUMI_CONFIG_PASSPHRASE": "bench",
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        "PULUMI_PYTHON_CMD": sys.executable,  # the dynamic provider runs in this venv
        "PULUMI_HOME": str(workdir / "home"),  # these two win over `make`'s exports
        "PULUMI_BACKEND_URL": f"file://{workdir}",
    }
    opts = auto.LocalWorkspaceOptions(
        env_vars=env,
        pulumi_home=str(workdir / "home"),
        project_settings=auto.ProjectSettings(
            name=PROJECT, runtime="python", backend=auto.ProjectBackend(url=f"file://{workdir}")),
    )
    return auto.create_or_select_stack(name, project_name=PROJECT, program=program, opts=opts)


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
def run_fleet(n: int, latency_ms: int, cli_max: int, variants: bool) -> Fleet:
    """A fresh emulator and stack: up, preview, up, refresh, the user's ways, destroy. With
    ``variants``: refresh with latency 0 and 4 x L, then create, refresh and destroy with KNOB."""
    with RunningEmulator() as emulator, tempfile.TemporaryDirectory(prefix="outposts-bench-") as tmp:
        admin = emulator.admin
        admin.set_faults({"*": {"latency_ms": latency_ms}})
        workdir = Path(tmp)
        stack = new_stack(f"n{n}", emulator.endpoint, workdir, fleet_program(n))
        ops = [timed("up (create)", admin, stack.up)]
        state_bytes, provider_bytes = state_sizes(workdir, stack)
        ops.append(timed("preview (no change)", admin, stack.preview))
        ops.append(timed("up (no change)", admin, stack.up))
        ops.append(timed("refresh", admin, stack.refresh))
        others = []
        if variants:
            for other in (0, 4 * latency_ms):
                admin.set_faults({"*": {"latency_ms": other}})
                others.append(Variant(f"latency {other} ms", other, timed("refresh", admin, stack.refresh)))
            admin.set_faults({"*": {"latency_ms": latency_ms}})
        ids = [r["id"] for r in orders_in_state(stack)]
        loop_s = boto3_loop(emulator.endpoint, ids)
        cli_ids = ids[:cli_max]
        cli_s = aws_cli(emulator.endpoint, cli_ids) * len(ids) / len(cli_ids)
        ops.append(timed("destroy", admin, stack.destroy))
        if variants:
            with workspace_env(stack, KNOB):
                others += [Variant(f"`{knob_text()}`", latency_ms, timed(name, admin, action))
                           for name, action in (("up (create)", stack.up), ("refresh", stack.refresh),
                                                ("destroy", stack.destroy))]
        stack.workspace.remove_stack(stack.name)
        return Fleet(n, ops, state_bytes, provider_bytes, loop_s, cli_s, len(cli_ids), others)


def run_rate_limited(n: int, speedup: float, shared_po: bool = False) -> RateLimited:
    """A fresh emulator started with ``--ab-speedup``; one ``up --parallel n`` of ``n`` AmazonBusinessOrders, then
    one ``refresh`` (orderDetails, the order reports, the packages)."""
    with RunningEmulator(args=["--ab-speedup", f"{speedup:g}"]) as emulator, \
            tempfile.TemporaryDirectory(prefix="outposts-bench-") as tmp:
        admin = emulator.admin
        plan = admin.usage_plan()
        stack = new_stack(f"ab{n}", emulator.endpoint, Path(tmp), ab_program(n, shared_po),
                          amazon_business_env(emulator.endpoint))
        admin.reset_calls()
        start = time.perf_counter()
        stack.up(parallel=n)
        up_s = time.perf_counter() - start
        calls = admin.calls()
        placed = sorted(order["wallPlacedAt"] for order in admin.amazon_business_orders())
        admin.reset_calls()
        start = time.perf_counter()
        stack.refresh(parallel=n)
        refresh_s = time.perf_counter() - start
        refreshed = {name: count for name, count in admin.calls().items()
                     if count and name.split(".")[0] in ab.OPERATIONS}
        return RateLimited(n, plan["rate"], int(plan["burst"]), plan["speedup"], up_s,
                           placed[-1] - placed[0] if placed else 0.0, len(placed), calls.get("placeOrder", 0),
                           calls.get("placeOrder.throttled", 0), "one shared" if shared_po else "one per order",
                           refresh_s, refreshed)


def provider_overhead(iterations: Mapping[int, int]) -> list[Overhead]:
    """The provider's ``read`` vs a bare ``get_order`` on warm clients, per latency (ms) in
    ``iterations``: calls interleaved (which goes first alternates), 5 warm-up pairs dropped, medians."""
    results = []
    with RunningEmulator() as emulator, tempfile.TemporaryDirectory(prefix="outposts-bench-") as home, \
            patched_environ({**boto3_env(emulator.endpoint), "PULUMI_HOME": home}):
        provider = OutpostOrderProvider()
        created = provider.create(dict(ORDER))
        order_id, outs = str(created.id), dict(created.outs or {})
        client = boto3.session.Session().client("outposts")
        contenders: dict[str, Callable[[], object]] = {
            "read": lambda: provider.read(order_id, outs),
            "bare": lambda: client.get_order(OrderId=order_id),
        }
        for latency, count in iterations.items():
            emulator.admin.set_faults({"*": {"latency_ms": latency}} if latency else {})
            samples: dict[str, list[float]] = {name: [] for name in contenders}
            for i in range(count + 5):
                for name in sorted(contenders, reverse=bool(i % 2)):
                    start = time.perf_counter()
                    contenders[name]()
                    samples[name].append(time.perf_counter() - start)
            read, bare = (statistics.median(samples[name][5:]) for name in ("read", "bare"))
            results.append(Overhead(latency, count, read, bare))
    return results


# --- report --------------------------------------------------------------------------------------
def calls_text(calls: Mapping[str, int], sts: Mapping[str, int] | None = None) -> str:
    text = ", ".join(f"{name}={count}" for name, count in sorted(calls.items())) or "0"
    return text + (f" (STS: {calls_text(sts)})" if sts else "")


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "n/a"


def cpu_text(op: Op) -> str:
    return " / ".join(f"{cpu:.1f}" for cpu in op.cpu_s.values())


def knob_text() -> str:
    return " ".join(f"{name}={value}" for name, value in KNOB.items())


def table(header: list[str], rows: list[list[str]], align: str) -> list[str]:
    """Markdown table lines after an empty line; ``align`` has an ``l`` or ``r`` per column."""
    rule = ["---:" if a == "r" else "---" for a in align]
    return ["", *("| " + " | ".join(cells) + " |" for cells in (header, rule, *rows))]


def report(fleets: list[Fleet], overheads: list[Overhead], latency_ms: int) -> str:
    L = latency_ms / 1000
    lines = [f"Latency L = {latency_ms} ms per Outposts call (emulator fault `\"*\": {{\"latency_ms\": "
             f"{latency_ms}}}`); {os.cpu_count()} CPUs; the engine's default parallelism; the dynamic provider "
             f"serves {PROVIDER_WORKERS} requests at once (its gRPC thread pool)."]
    lines += table(
        ["N", "operation", "wall s", "ms per order", "Outposts API calls", "provider peak RSS MiB",
         "CPU s: engine / provider / emulator / automation+program"],
        [[str(f.n), op.name, f"{op.seconds:.2f}", f"{1000 * op.seconds / f.n:.0f}", calls_text(op.calls, op.sts_calls),
          f"{op.provider_peak_kib / 1024:.0f}", cpu_text(op)]
         for f in fleets for op in f.ops], align="rlrrlrr")
    single = fleets[0].op("refresh").seconds if fleets[0].n == 1 else None
    rows = []
    for f in fleets:
        refresh = f.op("refresh").seconds
        floor = f.n * L / PROVIDER_WORKERS
        rows.append([
            str(f.n), f"{refresh:.2f}",
            "" if single is None or f.n == 1 else f"{1000 * (refresh - single) / (f.n - 1):.0f}",
            f"{floor:.2f}", ratio(refresh, floor),
            f"{f.boto3_loop_s:.2f}", ratio(refresh, f.boto3_loop_s),
            f"{f.cli_s:.1f}" + ("" if f.cli_timed == f.n else f" ({f.cli_timed} timed, scaled)"),
            ratio(refresh, f.cli_s),
            f"{f.state_bytes / 1024:.0f}", str(f.state_bytes // f.n), str(f.provider_bytes),
        ])
    lines += table(["N", "refresh s", "ms per order beyond N = 1", "floor NxL/4 s", "refresh / floor",
                    "boto3 loop s", "refresh / boto3", "AWS CLI s", "refresh / CLI", "state file KiB",
                    "state B per order", "`__provider` B per order"], rows, align="r" * 12)
    largest = fleets[-1]
    if largest.variants:
        rows = []
        for v in largest.variants:
            default = largest.op(v.op.name).seconds
            floor = largest.n * v.latency_ms / 1000 / PROVIDER_WORKERS
            rows.append([v.op.name, v.label, f"{default:.2f}", f"{v.op.seconds:.2f}", ratio(v.op.seconds, default),
                         ratio(v.op.seconds, floor) if v.op.name == "refresh" else "",
                         calls_text(v.op.calls, v.op.sts_calls), cpu_text(v.op)])
        lines += table(
            [f"N = {largest.n}, side by side", "variant", "default s", "variant s", "variant / default",
             "refresh / its floor", "Outposts API calls", "CPU s: engine / provider / emulator / automation+program"],
            rows, align="llrrrrlr")
        lines += ["", "The other tables use the default: latency L, checkpoints on."]
    lines += table(
        ["in process, latency", "iterations", "provider `read` ms (median)", "bare boto3 `get_order` ms (median)",
         "read / bare"],
        [[f"{o.latency_ms} ms", str(o.iterations), f"{1000 * o.read_s:.2f}", f"{1000 * o.bare_s:.2f}",
          ratio(o.read_s, o.bare_s)] for o in overheads], align="rrrrr")
    lines += ["", "Targets:", *targets(fleets, overheads, L)]
    return "\n".join(lines) + "\n"


def rate_limited_section(runs: list[RateLimited]) -> str:
    """The rate-limited fleet: its heading line and table (the report's last section)."""
    lines = [f"{RATE_LIMITED_HEADING} N AmazonBusinessOrders in one `up --parallel N` against the emulator's "
             f"Amazon Business usage plan ({ab.RATE_PER_S:g} requests/s, burst {ab.BURST}) sped up by "
             "`--ab-speedup`. Placement: first to last placeOrder on the emulator's wall clock (`wallPlacedAt`); "
             f"floor: (N - burst) / ({ab.RATE_PER_S:g} x speed-up); placeOrder calls include the 429s "
             "(`placeOrder.throttled`). Then one `refresh`: orders with one purchase order number each need one "
             "order report each; orders sharing one are answered from one report read (25 orders a page)."]
    lines += table(
        ["N", "PO numbers", "usage plan", "up s", "placement s", "floor s", "placement / floor", "orders placed",
         "placeOrder calls", "429 (throttled)", "refresh s", "refresh calls"],
        [[str(r.n), r.purchase_orders, f"{r.rate:g} requests/s (x{r.speedup:g}), burst {r.burst}", f"{r.up_s:.2f}",
          f"{r.placement_s:.2f}", f"{r.floor_s:.2f}", ratio(r.placement_s, r.floor_s), str(r.placed),
          str(r.place_calls), str(r.throttled), f"{r.refresh_s:.2f}", calls_text(r.refresh_calls)] for r in runs],
        align="rllrrrrrrrrl")
    return "\n".join(lines) + "\n"


def with_section(existing: str, section: str) -> str:
    """``existing`` with its rate-limited section (the last) replaced by ``section``, or ``section`` appended."""
    kept = existing.split(RATE_LIMITED_HEADING, 1)[0].rstrip("\n")
    return f"{kept}\n\n{section}" if kept else section


def _create_calls_ok(calls: dict[str, int], n: int) -> bool:
    """One CreateOrder per order, at most one ListOrders per order, GetOrder for candidates only."""
    return (calls.get("CreateOrder") == n and calls.get("ListOrders", 0) <= n
            and set(calls) <= {"CreateOrder", "ListOrders", "GetOrder"} and calls.get("GetOrder", 0) < n)


def targets(fleets: list[Fleet], overheads: list[Overhead], latency_s: float) -> list[str]:
    def mark(ok: bool) -> str:
        return "met" if ok else "MISSED"

    zero = all(not f.op(name).calls for f in fleets for name in ("preview (no change)", "up (no change)"))
    refresh = all(f.op("refresh").calls == {"GetOrder": f.n} for f in fleets)
    create = all(_create_calls_ok(f.op("up (create)").calls, f.n) for f in fleets)
    no_latency = next((o for o in overheads if o.latency_ms == 0), overheads[0])
    read_ratio = no_latency.read_s / no_latency.bare_s
    largest = fleets[-1]
    floor = largest.n * latency_s / PROVIDER_WORKERS
    return [
        f"- {mark(zero)}: preview and no-change up make zero Outposts API calls.",
        f"- {mark(refresh)}: refresh makes exactly N GetOrder calls (and nothing else).",
        f"- {mark(create)}: create makes exactly one CreateOrder per order, at most one ListOrders per order (the "
        "look before sending), and GetOrder only for candidates (identical orders not yet claimed).",
        f"- {mark(read_ratio <= 1.2)}: provider read {read_ratio:.2f}x bare boto3 get_order in process, latency "
        f"{no_latency.latency_ms} ms (target ≤ 1.2x).",
        f"- {mark(largest.op('refresh').seconds <= 1.5 * floor)}: refresh at N = {largest.n} is "
        f"{ratio(largest.op('refresh').seconds, floor)} the floor NxL/4 (target ≤ 1.5x at N = 200).",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="N = 1, 10, 50 only (CI smoke)")
    parser.add_argument("--latency-ms", type=int, default=50, help="injected latency per Outposts call")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("results.md"))
    parser.add_argument("--cli-max", type=int, default=200,
                        help="time the AWS CLI on at most this many orders per N, scale to N (default: all)")
    parser.add_argument("--only", choices=["rate-limited"],
                        help="run only this section; it replaces its section of --out (or is appended), the rest stays")
    parser.add_argument("--ab-orders", type=int, default=30, help="AmazonBusinessOrders of the rate-limited fleet")
    parser.add_argument("--ab-speedup", type=float, default=10.0,
                        help="the usage plan's speed-up for the rate-limited fleet (default: %(default)g)")
    parser.add_argument("--fleet-json", type=int, metavar="N",
                        help="measure one fleet of N orders (lifecycle only) and print it as JSON (bench/pairs.py)")
    args = parser.parse_args(argv)
    if shutil.which("pulumi") is None:
        raise SystemExit("the Pulumi engine is not on PATH: run `make bench`")
    for name in CLEARED_VARIABLES:
        os.environ.pop(name, None)
    if args.fleet_json is not None:
        fleet = run_fleet(args.fleet_json, args.latency_ms, cli_max=1, variants=False)
        print(json.dumps({"n": fleet.n, "ops": [{"name": op.name, "seconds": op.seconds, "calls": op.calls}
                                               for op in fleet.ops]}))
        return 0
    text = ""
    if args.only is None:
        sizes = [1, 10, 50] if args.quick else [1, 10, 50, 200]
        fleets = []
        for n in sizes:
            print(f"N = {n} ...", file=sys.stderr, flush=True)
            fleets.append(run_fleet(n, args.latency_ms, args.cli_max, variants=n == sizes[-1]))
        print("provider overhead ...", file=sys.stderr, flush=True)
        overheads = provider_overhead({0: 300, args.latency_ms: 40})
        text = report(fleets, overheads, args.latency_ms)
    elif args.out.exists():
        text = args.out.read_text()
    print(f"rate-limited fleet, N = {args.ab_orders} ...", file=sys.stderr, flush=True)
    section = rate_limited_section([run_rate_limited(args.ab_orders, args.ab_speedup, shared_po)
                                    for shared_po in (False, True)])
    print(section)
    args.out.write_text(with_section(text, section))
    return 0


if __name__ == "__main__":
    sys.exit(main())
