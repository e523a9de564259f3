"""Rendering the status: Markdown (for an issue or a job summary) or a rich table for a terminal."""

from __future__ import annotations

from typing import Any

from pulumi_outposts_orders._markdown import code, table
from pulumi_outposts_orders.outposts.billing import RENEWAL_NOTICE_BUSINESS_DAYS
from pulumi_outposts_orders.status import amazon_business as amazon
from pulumi_outposts_orders.status import contracts as _contracts
from pulumi_outposts_orders.status.rows import HEADERS, TERMINAL_HEADERS, table_rows, terminal_rows
from pulumi_outposts_orders.status.stack import Stack

AMAZON_TITLE = "Amazon Business orders (no cancel API: a destroyed order continues)"


def render_markdown(stack: Stack, margin: int = _contracts.DEFAULT_MARGIN_BUSINESS_DAYS) -> str:
    """The status as Markdown: a heading, the time of the state, then the table (or a sentence); the
    contracts last, when they were read."""
    heading = f"### Outposts orders of stack {code(stack.name)}\n\n{_as_of_line(stack)}\n\n"
    if not stack.orders and not stack.amazon_orders:
        return heading + "The stack has no orders.\n" + _contracts_markdown(stack, margin)
    text = heading + (table(HEADERS, table_rows(stack.orders)) if stack.orders else "The stack has no Outposts orders.")
    if stack.amazon_orders:
        text += f"\n\n{AMAZON_TITLE}:\n\n{table(amazon.HEADERS, amazon.table_rows(stack.amazon_orders))}"
    return text + "\n" + _contracts_markdown(stack, margin)


def _contracts_markdown(stack: Stack, margin: int) -> str:
    """The contracts section (empty when they were not asked for)."""
    if stack.contracts is None:
        return ""
    if not stack.contracts:
        return "\nContracts: the stack's orders and renewals name no Outpost.\n"
    due = [c.outpost for c in stack.contracts if c.due(margin)]
    lead = (f"🛑 **Renew now**: {', '.join(map(code, due))} (the term ends within AWS's notice of "
            f"{RENEWAL_NOTICE_BUSINESS_DAYS} business days plus {margin}, with no renewal pending).\n\n"
            if due else "")
    rows = [contract.row(margin) for contract in stack.contracts]
    return f"\nContracts (GetOutpostBillingInformation, now):\n\n{lead}{table(_contracts.HEADERS, rows)}\n"


def status_table(stack: Stack) -> Any:
    """The status as a rich renderable (a table, or a sentence when there is no order)."""
    from rich import box
    from rich.console import Group
    from rich.table import Column, Table
    from rich.text import Text

    if not stack.orders and not stack.amazon_orders:
        return Text(f"Stack {stack.name} has no orders. {_as_of_line(stack)}")
    if not stack.orders:
        return Group(Text(f"Stack {stack.name} has no Outposts orders. {_as_of_line(stack)}"), _amazon_table(stack))
    # Columns of identifiers never wrap; only the last one (words and dates) folds. No vertical rules,
    # so 80 columns leave room for the widest identifiers.
    columns = [Column(header, no_wrap=True) for header in TERMINAL_HEADERS[:-1]]
    columns.append(Column(TERMINAL_HEADERS[-1], overflow="fold"))
    view = Table(*columns, title=f"Outposts orders of stack {stack.name}", caption=_as_of_line(stack).replace("`", ""),
                 show_lines=True, box=box.HORIZONTALS, pad_edge=False)
    for row in terminal_rows(stack.orders):
        view.add_row(*row)
    return Group(view, _amazon_table(stack)) if stack.amazon_orders else view


def _amazon_table(stack: Stack) -> Any:
    """The Amazon Business orders as a rich table (identifiers never wrap)."""
    from rich import box
    from rich.table import Column, Table

    columns = [Column(header, no_wrap=True) for header in amazon.TERMINAL_HEADERS]
    view = Table(*columns, title=f"Amazon Business orders of stack {stack.name}", show_lines=True,
                 caption="No cancel API: a destroyed order continues.", box=box.HORIZONTALS, pad_edge=False)
    for row in amazon.terminal_rows(stack.amazon_orders):
        view.add_row(*row)
    return view


def print_rich(stack: Stack, console: Any = None, margin: int = _contracts.DEFAULT_MARGIN_BUSINESS_DAYS) -> None:
    """The status as a rich table on ``console`` (default: standard output), then the contracts, if read."""
    from rich.console import Console
    from rich.markdown import Markdown

    shown = console or Console()
    shown.print(status_table(stack))
    if stack.contracts is not None:
        shown.print(Markdown(_contracts_markdown(stack, margin)))


def _as_of_line(stack: Stack) -> str:
    when = stack.as_of or "an unknown time"
    return f"As of the last refresh or update: {when}. Run `pulumi refresh` for the current state."
