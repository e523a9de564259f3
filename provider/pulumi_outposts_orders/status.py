"""``outposts-orders status``: where every order of a stack stands, read from the stack's state.

The state is as fresh as the last ``pulumi refresh`` (or ``up``); run one first to track orders
to the minute. Nothing here calls AWS. Output: a rich table in a terminal, Markdown with
``--markdown`` (for an issue or a scheduled job's summary).
"""

from __future__ import annotations

import argparse
import datetime
import shutil
import sys
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._markdown import code, table
from ._tokens import ORDER_TYPE

STAGES = ("PREPARING", "BUILDING", "SHIPPED", "DELIVERED", "INSTALLING", "INSTALLED")
"""A line item's way from order to installed hardware, in order."""
STOPPED = frozenset({"CANCELLED", "ERROR"})
HEADERS = ("Order", "Outpost", "Order status", "Line item", "Stage", "Shipment", "Assets", "Payment", "Region",
           "Account", "Submitted", "Fulfilled")
TERMINAL_HEADERS = ("Order", "Line item", "Shipment, assets", "Payment, dates")
ID_WIDTH = len("oqo-0123456789abcdef0")
"""The longest identifier in the Order column; resource names are folded to it so IDs never wrap."""


class StatusError(Exception):
    """The stack cannot be read (no project, no such stack, no backend access)."""


@dataclass(frozen=True)
class LineItem:
    """One line item as the state records it."""

    catalog_item_id: str
    quantity: int
    status: str
    carrier: str | None
    tracking_number: str | None
    asset_ids: tuple[str, ...]


@dataclass(frozen=True)
class Order:
    """One ``OutpostOrder`` of the stack, as of its last refresh."""

    name: str
    order_id: str
    outpost_id: str
    status: str
    submitted: str | None
    fulfilled: str | None
    line_items: tuple[LineItem, ...]
    payment_option: str | None = None
    payment_term: str | None = None
    region: str | None = None
    account_id: str | None = None
    quote_id: str | None = None
    quote_option_id: str | None = None

    def ordered(self, item: LineItem) -> str:
        """What a line item is: ``OR-A1B2C3D x1``, or for a quote order ``quote oq-…, option oqo-… x1``."""
        if item.catalog_item_id != "—" or not self.quote_id:
            return f"{item.catalog_item_id} x{item.quantity}"
        return f"quote {self.quote_id}, option {self.quote_option_id or '—'} x{item.quantity}"

    def payment(self) -> str:
        """``ALL_UPFRONT / THREE_YEARS``."""
        return f"{self.payment_option or '—'} / {self.payment_term or '—'}"


# --- reading the state ---------------------------------------------------------------------------
PROJECT_FILES = ("Pulumi.yaml", "Pulumi.yml")
ENGINE_MISSING = (
    "the Pulumi engine (`pulumi`) is not on PATH. In a clone of this repository, put it there with "
    '`export PATH="$(make -s engine | tail -n1):$PATH"`; elsewhere, install the Pulumi CLI (3.259 or later).'
)

PASSPHRASE_MISSING = (
    "stack {stack} in {root} keeps its secrets with a passphrase, and reading its state needs it: set "
    "PULUMI_CONFIG_PASSPHRASE (the stacks of `make demo` use outposts-orders-demo, the Makefile's default)."
)


def project_root(cwd: str) -> Path:
    """The directory of the Pulumi project that ``pulumi`` would use from ``cwd``: the nearest one
    at or above it holding ``Pulumi.yaml``."""
    start = Path(cwd).resolve()
    for directory in (start, *start.parents):
        if any((directory / name).is_file() for name in PROJECT_FILES):
            return directory
    raise StatusError(f"no Pulumi project in {start} or above it (no Pulumi.yaml): pass --cwd PROJECT_DIR")


@dataclass(frozen=True)
class Stack:
    """A stack's orders as of its last checkpoint (the last ``pulumi up`` or ``refresh``)."""

    name: str
    orders: list[Order]
    as_of: str | None


def read_stack(stack_name: str | None, cwd: str) -> Stack:
    """The stack and its orders, through the automation API (``pulumi stack export``).

    The project and stack are found as ``pulumi`` finds them: the nearest ``Pulumi.yaml`` at or above
    ``cwd``, the backend from ``PULUMI_BACKEND_URL``, else the project's ``backend.url``, else the login;
    the selected stack, else the only stack there is.
    """
    if shutil.which("pulumi") is None:
        raise StatusError(ENGINE_MISSING)
    from pulumi import automation as auto  # the automation API is only needed here

    root = project_root(cwd)
    try:
        workspace = auto.LocalWorkspace(work_dir=str(root))
        if stack_name is None:
            stack_name = _selected_stack(workspace, root)
        deployment = workspace.export_stack(stack_name).deployment
    except auto.CommandError as exc:
        if "PULUMI_CONFIG_PASSPHRASE" in str(exc):
            raise StatusError(PASSPHRASE_MISSING.format(stack=stack_name, root=root)) from exc
        raise StatusError(f"cannot read stack {stack_name or '(current)'} in {root}: {_first_error(exc)}") from exc
    except FileNotFoundError as exc:
        raise StatusError(ENGINE_MISSING if exc.filename == "pulumi" else f"cannot read {root}: {exc}") from exc
    return Stack(stack_name, orders(deployment or {}), as_of(deployment or {}))


def _selected_stack(workspace: Any, root: Path) -> str:
    """The selected stack; without a selection, the backend's only stack of the project."""
    current = workspace.stack()
    if current is not None:
        return str(current.name)
    names = [str(summary.name) for summary in workspace.list_stacks()]
    if len(names) == 1:
        return names[0]
    if not names:
        raise StatusError(f"the project in {root} has no stack in this backend "
                          "(check PULUMI_BACKEND_URL or the project's backend.url)")
    raise StatusError(f"no stack is selected in {root}: pass --stack NAME (one of {', '.join(sorted(names))})")


def orders(deployment: Mapping[str, Any]) -> list[Order]:
    """The orders in an exported deployment, by resource name."""
    found = [_order(r) for r in deployment.get("resources") or [] if r.get("type") == ORDER_TYPE and r.get("id")]
    return sorted(found, key=lambda o: o.name)


def as_of(deployment: Mapping[str, Any]) -> str | None:
    """When the state was last written (the deployment manifest's time), as ``2026-06-15 10:30 UTC``."""
    manifest = deployment.get("manifest") or {}
    stamp = str(manifest.get("time") or "")
    try:
        written = datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return written.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _order(resource: Mapping[str, Any]) -> Order:
    outs: Mapping[str, Any] = resource.get("outputs") or {}
    return Order(
        name=str(resource["urn"]).rsplit("::", 1)[-1],
        order_id=str(resource["id"]),
        outpost_id=str(outs.get("outpost_id") or outs.get("outpost_identifier") or "—"),
        status=str(outs.get("status") or "UNKNOWN"),
        submitted=outs.get("order_submission_date"),
        fulfilled=outs.get("order_fulfilled_date"),
        line_items=tuple(_line_item(item) for item in outs.get("line_items") or [] if isinstance(item, Mapping)),
        payment_option=_text(outs.get("payment_option")),
        payment_term=_text(outs.get("payment_term")),
        region=_text(outs.get("region")),
        account_id=_text(outs.get("account_id")),
        quote_id=_text(outs.get("quote_identifier")),
        quote_option_id=_text(outs.get("quote_option_identifier")),
    )


def _line_item(item: Mapping[str, Any]) -> LineItem:
    shipment: Mapping[str, Any] = item.get("shipment_information") or {}
    assets = item.get("asset_information_list") or []
    return LineItem(
        catalog_item_id=str(item.get("catalog_item_id") or "—"),
        quantity=int(item.get("quantity") or 0),
        status=str(item.get("status") or "UNKNOWN"),
        carrier=shipment.get("shipment_carrier"),
        tracking_number=shipment.get("shipment_tracking_number"),
        asset_ids=tuple(str(a["asset_id"]) for a in assets if isinstance(a, Mapping) and a.get("asset_id")),
    )


# --- presentation --------------------------------------------------------------------------------
def progress(status: str) -> str:
    """A stage bar: ``▰▰▰▱▱▱ SHIPPED (3/6)``; ``✗ CANCELLED`` for a stopped line item."""
    if status in STOPPED:
        return f"✗ {status}"
    if status not in STAGES:
        return status
    done = STAGES.index(status) + 1
    return f"{'▰' * done}{'▱' * (len(STAGES) - done)} {status} ({done}/{len(STAGES)})"


def shipment(item: LineItem) -> str:
    """``CARRIER tracking`` or a dash before the hardware ships."""
    return " ".join(p for p in (item.carrier, item.tracking_number) if p) or "—"


def day(timestamp: str | None) -> str:
    """The date part of an ISO 8601 timestamp (``2026-06-15``)."""
    return timestamp[:10] if timestamp else "—"


def table_rows(found: Sequence[Order]) -> list[list[str]]:
    """Markdown rows, in ``HEADERS`` order: one per line item (an order without any still gets one)."""
    lines: list[list[str]] = []
    for order in found:
        head = [f"{code(order.name)} {order.order_id}", order.outpost_id, order.status]
        tail = [order.payment(), order.region or "—", order.account_id or "—", day(order.submitted),
                day(order.fulfilled)]
        if not order.line_items:
            lines.append([*head, "—", "—", "—", "—", *tail])
        for item in order.line_items:
            assets = ", ".join(item.asset_ids) or "—"
            lines.append([*head, order.ordered(item), progress(item.status), shipment(item), assets, *tail])
    return lines


def terminal_rows(found: Sequence[Order]) -> list[list[str]]:
    """The same, folded into ``TERMINAL_HEADERS`` so the table fits 80 columns with no ID split.

    Identifiers stand on lines of their own in columns that never wrap; the resource name is folded
    to the identifiers' width; words (statuses, payment options) fold in the other columns."""
    lines: list[list[str]] = []
    for order in found:
        name = textwrap.wrap(order.name, ID_WIDTH, break_on_hyphens=True) or ["—"]
        ids = [order.order_id, order.status, order.outpost_id, order.quote_id, order.quote_option_id, order.region,
               order.account_id]
        head = "\n".join([*name, *(part for part in ids if part)])
        terms = "\n".join([order.payment_option or "—", order.payment_term or "—",
                           "submitted", day(order.submitted), "fulfilled", day(order.fulfilled)])
        for item in order.line_items or (LineItem("—", 0, "—", None, None, ()),):
            what = f"{item.catalog_item_id} x{item.quantity}" if item.catalog_item_id != "—" or not order.quote_id \
                else f"quote unit x{item.quantity}"
            ship = [p for p in (item.carrier, item.tracking_number) if p] or ["not shipped"]
            lines.append([head, f"{what}\n{_stage_lines(item.status)}",
                          "\n".join([*ship, *item.asset_ids]), terms])
            head = terms = ""
    return lines


def render_markdown(stack: Stack) -> str:
    """The status as Markdown: a heading, the time of the state, then the table (or a sentence)."""
    heading = f"### Outposts orders of stack {code(stack.name)}\n\n{_as_of_line(stack)}\n\n"
    if not stack.orders:
        return heading + "The stack has no orders.\n"
    return heading + table(HEADERS, table_rows(stack.orders)) + "\n"


def status_table(stack: Stack) -> Any:
    """The status as a rich renderable (a table, or a sentence when there is no order)."""
    from rich import box
    from rich.table import Column, Table
    from rich.text import Text

    if not stack.orders:
        return Text(f"Stack {stack.name} has no orders. {_as_of_line(stack)}")
    # Columns of identifiers never wrap; only the last one (words and dates) folds. No vertical rules,
    # so 80 columns leave room for the widest identifiers.
    columns = [Column(header, no_wrap=True) for header in TERMINAL_HEADERS[:-1]]
    columns.append(Column(TERMINAL_HEADERS[-1], overflow="fold"))
    view = Table(*columns, title=f"Outposts orders of stack {stack.name}", caption=_as_of_line(stack).replace("`", ""),
                 show_lines=True, box=box.HORIZONTALS, pad_edge=False)
    for row in terminal_rows(stack.orders):
        view.add_row(*row)
    return view


def print_rich(stack: Stack, console: Any = None) -> None:
    """The status as a rich table on ``console`` (default: standard output)."""
    from rich.console import Console

    (console or Console()).print(status_table(stack))


def _stage_lines(status: str) -> str:
    """The stage bar on lines of their own: ``▰▰▰▱▱▱ 3/6`` then ``SHIPPED``."""
    if status not in STAGES:
        return progress(status)
    done = STAGES.index(status) + 1
    return f"{'▰' * done}{'▱' * (len(STAGES) - done)} {done}/{len(STAGES)}\n{status}"


def _as_of_line(stack: Stack) -> str:
    when = stack.as_of or "an unknown time"
    return f"As of the last refresh or update: {when}. Run `pulumi refresh` for the current state."


# --- command -------------------------------------------------------------------------------------
def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``status`` subcommand."""
    parser = subparsers.add_parser(
        "status",
        help="show every order of a stack with its stage, shipment and assets",
        description="Show every OutpostOrder of a stack, as of its last `pulumi refresh`: status, a stage bar "
        "per line item, carrier and tracking number, asset IDs and dates.",
    )
    parser.add_argument("--stack", help="the stack (default: the selected stack, else the project's only stack)")
    parser.add_argument("--cwd", default=".",
                        help="where to look for the Pulumi project: this directory or the nearest above it "
                        "with a Pulumi.yaml (default: .)")
    parser.add_argument("--markdown", action="store_true", help="print Markdown instead of a terminal table")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the status; 2 when the stack cannot be read."""
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


def _text(value: Any) -> str | None:
    return str(value) if value else None


def _first_error(exc: Exception) -> str:
    text = str(exc)
    for line in text.splitlines():
        if line.strip().startswith("error:"):
            return line.strip()
    return text.strip().splitlines()[-1] if text.strip() else type(exc).__name__
