"""``outposts-orders status``: where every order of a stack stands, read from the stack's state.

The state is as fresh as the last ``pulumi refresh`` (or ``up``); run one first to track orders
to the minute. Nothing here calls AWS or Amazon Business (``AmazonBusinessOrder`` resources are listed in
a table of their own: ``amazon_business``). Output: a rich table in a terminal, Markdown with
``--markdown`` (for an issue or a scheduled job's summary), and with ``--html FILE`` one self-contained page
with a timeline per Outpost (``page``).

One module per step, data flowing one way:

- ``stack``: finding the stack as ``pulumi`` does and exporting its state;
- ``deployment``: the orders the state records, as plain records;
- ``rows``: deciding what each order and line item shows (stage bars, shipments, dates);
- ``amazon_business``: the Amazon Business orders, read and shown the same way (a table of their own);
- ``render``: Markdown, or a rich table for a terminal;
- ``page``: the board as one HTML page (inline CSS and SVG timelines), what is late or blocked flagged;
- ``command``: the subcommand's arguments.

The names below are imported on first use, so that ``command`` (and ``outposts-orders --help``)
needs neither the Pulumi SDK nor rich.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pulumi_outposts_orders._lazy import lazy_exports

if TYPE_CHECKING:
    from pulumi_outposts_orders.status.amazon_business import AmazonLine, AmazonOrder, amazon_orders
    from pulumi_outposts_orders.status.deployment import LineItem, Order, as_of, orders
    from pulumi_outposts_orders.status.page import render_html
    from pulumi_outposts_orders.status.render import print_rich, render_markdown, status_table
    from pulumi_outposts_orders.status.rows import (
        HEADERS,
        STAGES,
        STOPPED,
        TERMINAL_HEADERS,
        day,
        progress,
        shipment,
        table_rows,
        terminal_rows,
    )
    from pulumi_outposts_orders.status.stack import (
        ENGINE_MISSING,
        PASSPHRASE_MISSING,
        Stack,
        StatusError,
        project_root,
        read_stack,
    )

_EXPORTS = {
    **dict.fromkeys(("AmazonLine", "AmazonOrder", "amazon_orders"), ".amazon_business"),
    **dict.fromkeys(("LineItem", "Order", "as_of", "orders"), ".deployment"),
    "Stack": ".stack",
    "render_html": ".page",
    **dict.fromkeys(("print_rich", "render_markdown", "status_table"), ".render"),
    **dict.fromkeys(("HEADERS", "STAGES", "STOPPED", "TERMINAL_HEADERS", "day", "progress", "shipment",
                     "table_rows", "terminal_rows"), ".rows"),
    **dict.fromkeys(("ENGINE_MISSING", "PASSPHRASE_MISSING", "StatusError", "project_root", "read_stack"),
                    ".stack"),
}
__all__ = [
    "ENGINE_MISSING",
    "HEADERS",
    "PASSPHRASE_MISSING",
    "STAGES",
    "STOPPED",
    "TERMINAL_HEADERS",
    "AmazonLine",
    "AmazonOrder",
    "LineItem",
    "Order",
    "Stack",
    "StatusError",
    "amazon_orders",
    "as_of",
    "day",
    "orders",
    "print_rich",
    "progress",
    "project_root",
    "read_stack",
    "render_html",
    "render_markdown",
    "shipment",
    "status_table",
    "table_rows",
    "terminal_rows",
]

__getattr__ = lazy_exports(__name__, _EXPORTS)
