"""The terminal status table as a person sees it: rendered by rich's recording console at 80 and 120 columns."""

from __future__ import annotations

import pytest
from rich.console import Console

from pulumi_outposts_orders.status import (
    AmazonLine,
    AmazonOrder,
    LineItem,
    Order,
    Stack,
    render_markdown,
    status_table,
)

RACK = Order(
    name="seattle-expansion-rack-2027-phase-two", order_id="oo-0a1b2c3d4e5f60718", outpost_id="op-0123456789abcdef0",
    status="IN_PROGRESS", submitted="2026-06-15T10:30:00Z", fulfilled=None,
    line_items=(
        LineItem("OR-A1B2C3D", 2, "SHIPPED", "UPS", "1Z999AA10123456784", ("7000010001", "7000010002")),
        LineItem("OR-B2C3D4E", 1, "INSTALLING", "DHL", "JD014600006281230704", ("7000010003",)),
    ),
    payment_option="PARTIAL_UPFRONT", payment_term="THREE_YEARS", region="us-west-2", account_id="123456789012",
)
QUOTED = Order(
    name="rack", order_id="oo-0fedcba9876543210", outpost_id="op-0123456789abcdef0", status="PREPARING",
    submitted="2026-06-20T08:00:00Z", fulfilled=None,
    line_items=(LineItem("—", 1, "PREPARING", None, None, ()), LineItem("—", 1, "PREPARING", None, None, ())),
    payment_option="ALL_UPFRONT", payment_term="FIVE_YEARS", region="us-west-2", account_id="123456789012",
    quote_id="oq-0123456789abcdef0", quote_option_id="oqo-0123456789abcdef1",
)
STACK = Stack("prod", [QUOTED, RACK], "2026-06-21 06:17 UTC")
IDS = ["oo-0a1b2c3d4e5f60718", "oo-0fedcba9876543210", "op-0123456789abcdef0", "1Z999AA10123456784",
       "JD014600006281230704", "7000010001", "7000010002", "7000010003", "oq-0123456789abcdef0",
       "oqo-0123456789abcdef1", "123456789012", "us-west-2", "OR-A1B2C3D", "OR-B2C3D4E"]


@pytest.mark.parametrize("width", [80, 120])
def test_the_table_fits_the_terminal_and_never_splits_an_id(width: int) -> None:
    console = Console(record=True, width=width, color_system=None)
    console.print(status_table(STACK))
    screen = console.export_text()
    lines = screen.splitlines()
    assert max(len(line) for line in lines) <= width
    for identifier in IDS:
        assert any(identifier in line for line in lines), f"{identifier} is split across lines at {width} columns"
    assert "…" not in screen  # nothing cut short
    # What a reader looks for: payment and term, stage, the time of the state, the quote order's option.
    for fact in ("PARTIAL_UPFRONT", "THREE_YEARS", "FIVE_YEARS", "▰▰▰▱▱▱", "As of the last refresh or update: "
                 "2026-06-21 06:17 UTC", "quote unit x1", "2026-06-15", "2026-06-20"):
        assert fact in screen, (fact, screen)
    assert "— x1" not in screen


def test_markdown_names_the_quote_and_option_of_a_quote_order_and_the_time_of_the_state() -> None:
    text = render_markdown(STACK)
    assert "As of the last refresh or update: 2026-06-21 06:17 UTC." in text
    quoted = next(line for line in text.splitlines() if line.startswith("| `rack` "))
    assert "| quote oq-0123456789abcdef0, option oqo-0123456789abcdef1 x1 |" in quoted
    assert "| ALL_UPFRONT / FIVE_YEARS | us-west-2 | 123456789012 |" in quoted
    assert "— x1" not in text


OPTICS = AmazonOrder(
    name="site-optics", external_id="pulumi-93ec22b7ee31429050aab0ce076058c6b6b24818c13a49f4",
    delivery_status="SHIPPED", total=1266.0, currency="USD",
    lines=(
        AmazonLine("B07QSFP28A", 8, 8, 0, "114-7675203-1304267", 129.0, 1032.0,
                   ("2026-06-17T10:00:00Z", "2026-06-18T10:00:00Z"),
                   ({"status": "SHIPPED", "carrier": "AMZL_US", "tracking_number": "TBA93EC22B7EE31"},)),
        AmazonLine("B08MPOFIB1", 4, 3, 1, "114-7425079-6553249", 58.5, 175.5,
                   ("2026-06-17T10:00:00Z", "2026-06-18T10:00:00Z"), ()),
    ),
)
SITE = Stack("prod", [RACK], "2026-06-21 06:17 UTC", [OPTICS])


def test_markdown_lists_amazon_business_orders_in_a_table_of_their_own() -> None:
    text = render_markdown(SITE)
    assert "Amazon Business orders (no cancel API: a destroyed order continues):" in text
    rows = [line for line in text.splitlines() if line.startswith("| `site-optics` ")]
    assert rows == [
        "| `site-optics` pulumi-93ec22b7… | SHIPPED | B07QSFP28A x8 | 114-7675203-1304267 | $129.00 each, $1,032.00 "
        "| 2026-06-17 to 2026-06-18 | SHIPPED AMZL_US TBA93EC22B7EE31 | 1,266.00 USD |",
        "| `site-optics` pulumi-93ec22b7… | SHIPPED | B08MPOFIB1 x4 (3 accepted, 1 rejected) | 114-7425079-6553249 | "
        "$58.50 each, $175.50 | 2026-06-17 to 2026-06-18 | — | 1,266.00 USD |",
    ]
    assert "| `seattle-expansion-rack-2027-phase-two` oo-0a1b2c3d4e5f60718 |" in text  # the Outposts table stays
    only_amazon = render_markdown(Stack("prod", [], None, [OPTICS]))
    assert "The stack has no Outposts orders." in only_amazon and "| `site-optics` " in only_amazon


@pytest.mark.parametrize("width", [80, 120])
def test_the_amazon_business_table_fits_the_terminal(width: int) -> None:
    console = Console(record=True, width=width, color_system=None)
    console.print(status_table(SITE))
    lines = console.export_text().splitlines()
    assert max(len(line) for line in lines) <= width
    for fact in ("Amazon Business orders of stack prod", "pulumi-93ec22b7…", "114-7675203-1304267", "TBA93EC22B7EE31",
                 "total 1,266.00 USD", "B08MPOFIB1 x4 (3 accepted, 1", "No cancel API: a destroyed order continues.",
                 "oo-0a1b2c3d4e5f60718"):
        assert any(fact in line for line in lines), (fact, "\n".join(lines))
