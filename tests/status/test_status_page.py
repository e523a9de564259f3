"""`outposts-orders status --html`: the page of a state with orders in every status, as ``render_html`` writes it
and as headless Chromium (Debian's, installed by `make browser`) shows it through Playwright.

The state is built as `pulumi stack export` writes it (the helpers of ``scripts/status_page_screenshot.py``) and
read with the board's own readers; contracts as ``status --contracts`` reads them. No engine, no AWS call.
"""

from __future__ import annotations

import datetime
import html
import importlib.util
import re
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pulumi_outposts_orders.cli import main
from pulumi_outposts_orders.status import Stack
from pulumi_outposts_orders.status.contracts import DEFAULT_MARGIN_BUSINESS_DAYS
from pulumi_outposts_orders.status.page import (
    Flag,
    amazon_flags,
    contract_flags,
    order_flags,
    render_html,
    renewal_deadline,
)

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("status_page_screenshot", ROOT / "scripts" / "status_page_screenshot.py")
assert _spec is not None and _spec.loader is not None
shot: Any = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(shot)

NOW = datetime.datetime(2026, 6, 22, 9, 0, tzinfo=datetime.UTC)
TODAY = NOW.date()
OP_A, OP_B, OP_C, OP_X = "op-0a1b2c3d4e5f60718", "op-0123456789abcdef0", "op-0c0c0c0c0c0c0c0c0", "op-0deadbeef00000000"
INJECTED = 'rack-<script>console.error("injected")</script>'
window, line = shot.window, shot.amazon_line


def order(name: str, order_id: str, status: str, submitted: str, items: list[tuple[str, int, str]],
          outpost: str = OP_A, fulfilled: str | None = None) -> dict[str, Any]:
    return dict(shot.outpost_order(name, order_id, outpost, status, f"2026-{submitted}T10:00:00Z", items,
                                   fulfilled=f"2026-{fulfilled}T10:00:00Z" if fulfilled else None))


def external(n: int) -> str:
    return f"pulumi-{n:048x}"


PROD_STATE = shot.deployment("2026-06-22T06:17:00Z", [
    # An OutpostOrder in every order status, and its line items at every stage.
    order("rack-preparing", "oo-000000000000000a1", "PREPARING", "06-15", [("OR-A1B2C3D", 1, "PREPARING")]),
    order("rack-building", "oo-000000000000000a2", "IN_PROGRESS", "06-01", [("OR-A1B2C3D", 1, "BUILDING")]),
    order("rack-shipped", "oo-000000000000000a3", "IN_PROGRESS", "05-20",
          [("OR-A1B2C3D", 2, "SHIPPED"), ("OR-B2C3D4E", 1, "BUILDING")]),
    order("rack-delivered", "oo-000000000000000a4", "DELIVERED", "05-01", [("OR-A1B2C3D", 1, "DELIVERED")]),
    order("rack-installing", "oo-000000000000000a5", "DELIVERED", "04-20", [("OR-B2C3D4E", 1, "INSTALLING")], OP_B),
    order("rack-completed", "oo-000000000000000a6", "COMPLETED", "03-10", [("OR-A1B2C3D", 1, "INSTALLED")], OP_B,
          fulfilled="04-20"),
    order("rack-replaced", "oo-000000000000000a7", "COMPLETED", "03-20",
          [("OR-A1B2C3D", 1, "REPLACED"), ("OR-A1B2C3D", 1, "INSTALLED")], OP_B, fulfilled="05-02"),
    order("rack-cancelled", "oo-000000000000000a8", "CANCELLED", "05-05", [("OR-A1B2C3D", 1, "CANCELLED")], OP_B),
    order("rack-error", "oo-000000000000000a9", "ERROR", "05-12", [("OR-B2C3D4E", 1, "ERROR")], OP_B),
    order("rack-part-error", "oo-00000000000000a10", "IN_PROGRESS", "05-25",
          [("OR-A1B2C3D", 1, "SHIPPED"), ("OR-B2C3D4E", 1, "ERROR")], OP_B),
    order(INJECTED, "oo-00000000000000a11", "PREPARING", "06-18", [("OR-A1B2C3D", 1, "PREPARING")]),
    # An AmazonBusinessOrder in every delivery status, and packages in every kind of trouble.
    shot.amazon_order("optics-ordered", external(1), "ORDERED", "2026-06-18T09:00:00Z", [
        line("B07QSFP28A", 8, "114-0000001-0000001", "PENDING_FULFILLMENT", 129.0, window("06-25", "06-29"))]),
    shot.amazon_order("optics-late", external(2), "ORDERED", "2026-06-02T09:00:00Z", [
        line("B07QSFP28A", 4, "114-0000002-0000002", "PENDING_FULFILLMENT", 129.0, window("06-10", "06-14"))]),
    shot.amazon_order("cables-shipped", external(3), "SHIPPED", "2026-06-15T09:00:00Z", [
        line("B08MPOFIB1", 6, "114-0000003-0000003", "PENDING_FULFILLMENT", 58.5, window("06-23", "06-25"),
             [("TBA0000000003", "OUT_FOR_DELIVERY", window("06-23", "06-24"))])]),
    shot.amazon_order("cables-late", external(4), "SHIPPED", "2026-06-05T09:00:00Z", [
        line("B08MPOFIB1", 2, "114-0000004-0000004", "PENDING_FULFILLMENT", 58.5, window("06-15", "06-18"),
             [("TBA0000000004", "SHIPPED", window("06-16", "06-18"))])]),
    shot.amazon_order("pdus-delivered", external(5), "DELIVERED", "2026-06-01T09:00:00Z", [
        line("B09PDU30A1", 2, "114-0000005-0000005", "CLOSED", 1480.0, window("06-08", "06-10"),
             [("TBA0000000005", "DELIVERED", window("06-08", "06-09"))])]),
    shot.amazon_order("optics-trouble", external(6), "DELAYED", "2026-06-10T09:00:00Z", [
        line("B07QSFP28A", 2, "114-0000006-0000006", "PENDING_FULFILLMENT", 129.0, window("06-20", "06-24"),
             [("TBA0000000061", "DELAYED", window("06-20", "06-24"))]),
        line("B07QSFP28B", 2, "114-0000006-0000007", "PENDING_FULFILLMENT", 131.0, window("06-20", "06-24"),
             [("TBA0000000062", "UNDELIVERABLE", window("06-20", "06-24"))]),
        line("B07QSFP28C", 2, "114-0000006-0000008", "PENDING_FULFILLMENT", 133.0, window("06-20", "06-24"),
             [("TBA0000000063", "RETURNED", window("06-20", "06-24"))])]),
    shot.amazon_order("switch-approval", external(7), "PENDING_APPROVAL", "2026-06-19T09:00:00Z", [
        line("B0SWITCH48", 1, "114-0000007-0000007", "PENDING_APPROVAL", 4200.0, window("06-29", "07-02"))]),
    shot.amazon_order("cables-cancelled", external(8), "CANCELLED", "2026-06-03T09:00:00Z", [
        line("B08MPOFIB1", 3, "114-0000008-0000008", "CANCELLED", 58.5, window("06-10", "06-12"))]),
    shot.amazon_order("kit-rejected", external(9), "REJECTED", "2026-06-12T09:00:00Z", [
        line("B0CQSFPKIT", 2, None, None, 499.0, None, accepted=0)]),
    shot.amazon_order("optics-trial", external(10), "TRIAL", "2026-06-04T09:00:00Z", [
        line("B07QSFP28A", 1, None, None, 129.0, window("06-10", "06-12"))]),
])
STAGING_STATE = shot.deployment("2026-06-21T22:05:00Z", [
    order("edge-rack", "oo-000000000000000b1", "IN_PROGRESS", "06-05", [("OR-A1B2C3D", 1, "BUILDING")], OP_C)])

PROD_CONTRACTS = [shot.contract(OP_A, "2026-07-10", TODAY),  # 14 business days left, no renewal: due
                  shot.contract(OP_B, "2026-09-30", TODAY, renewal_from="2026-10-01"),
                  shot.contract(OP_X, None, TODAY, error="AccessDeniedException: <not authorized> & more")]
STAGING_CONTRACTS = [shot.contract(OP_C, "2029-03-30", TODAY)]  # years away: named at the axis' right edge

# What is late or blocked, and the words beside its bar.
EXPECTED_FLAGS = {
    ("oo-000000000000000a9", "order in ERROR"),
    ("oo-00000000000000a10", "OR-B2C3D4E in ERROR"),
    ("114-0000002-0000002", "late: due 2026-06-14"),
    ("TBA0000000004", "late: due 2026-06-18"),
    ("TBA0000000061", "package DELAYED"),
    ("TBA0000000062", "package UNDELIVERABLE"),
    ("TBA0000000063", "package RETURNED"),
    ("114-0000008-0000008", "CANCELLED"),
    (external(9), "nothing accepted"),
    (OP_A, "renew by 2026-07-03"),
    (OP_X, "contract not read"),
}


def stacks(contracts: bool = True) -> list[Stack]:
    return [shot.stack("prod", PROD_STATE, PROD_CONTRACTS if contracts else None),
            shot.stack("staging", STAGING_STATE, STAGING_CONTRACTS if contracts else None)]


def flags_of(found: list[Stack]) -> list[Flag]:
    return ([f for s in found for o in s.orders for f in order_flags(o)]
            + [f for s in found for o in s.amazon_orders for f in amazon_flags(o, NOW)]
            + [f for s in found for c in s.contracts or [] for f in contract_flags(c, DEFAULT_MARGIN_BUSINESS_DAYS)])


ORDER_IDS = sorted(o.order_id for s in stacks() for o in s.orders)
AMAZON_IDS = sorted(o.external_id for s in stacks() for o in s.amazon_orders)
AMAZON_NUMBERS = sorted(str(ln.order_number) for s in stacks() for o in s.amazon_orders for ln in o.lines
                        if ln.order_number)


# --- the page as text: no browser --------------------------------------------------------------------------------
def test_the_state_has_every_status() -> None:
    prod = stacks()[0]
    assert {o.status for o in prod.orders} == {"PREPARING", "IN_PROGRESS", "DELIVERED", "COMPLETED", "CANCELLED",
                                               "ERROR"}
    assert {i.status for o in prod.orders for i in o.line_items} == {
        "PREPARING", "BUILDING", "SHIPPED", "DELIVERED", "INSTALLING", "INSTALLED", "ERROR", "CANCELLED", "REPLACED"}
    assert {o.delivery_status for o in prod.amazon_orders} == {"ORDERED", "SHIPPED", "DELIVERED", "DELAYED",
                                                               "PENDING_APPROVAL", "CANCELLED", "REJECTED", "TRIAL"}
    assert all(o.placed_at for o in prod.amazon_orders)  # read from the state: where each bar starts


def test_late_and_blocked_items_are_flagged_with_their_reason() -> None:
    found = flags_of(stacks())
    assert {(f.subject, f.short) for f in found} == EXPECTED_FLAGS
    reasons = {f.subject: f.reason for f in found}
    assert reasons["oo-000000000000000a9"] == "order oo-000000000000000a9 (rack-error) is in ERROR"
    assert reasons["TBA0000000061"] == ("package TBA0000000061 of Amazon order 114-0000006-0000006 (optics-trouble) "
                                        "is DELAYED")
    assert reasons["TBA0000000004"] == ("package TBA0000000004 of Amazon order 114-0000004-0000004 (cables-late) was "
                                        "due by 2026-06-18 and is SHIPPED")
    assert reasons[OP_A] == (f"Outpost {OP_A}: renew by 2026-07-03; the term ends 2026-07-10 with no renewal "
                             "pending (14 business days left)")


@pytest.mark.parametrize(("end", "deadline"), [
    ("2026-07-10", "2026-07-03"),  # a Friday: the Friday before
    ("2026-07-06", "2026-06-29"),  # a Monday: the Monday before
    ("2026-07-05", "2026-06-26"),  # a Sunday: five weekdays after the Friday before last
    ("2027-01-01", "2026-12-25"),
])
def test_the_renewal_deadline_leaves_awss_five_business_days(end: str, deadline: str) -> None:
    assert renewal_deadline(datetime.date.fromisoformat(end)) == datetime.date.fromisoformat(deadline)


def test_every_value_is_escaped_and_the_page_names_nothing_to_load() -> None:
    page = render_html(stacks(), DEFAULT_MARGIN_BUSINESS_DAYS, NOW)
    assert page == render_html(stacks(), DEFAULT_MARGIN_BUSINESS_DAYS, NOW)  # pure: same stacks, same page
    assert "<script" not in page.lower() and "console.error" in page
    assert html.escape(INJECTED) in page
    assert "&lt;not authorized&gt; &amp; more" in page and "<not authorized>" not in page
    # Self-contained: no URL but the SVG namespace, no attribute or rule that fetches.
    assert set(re.findall(r"[a-z]+://[^\s\"'<>)]*", page)) == {"http://www.w3.org/2000/svg"}
    for fetching in ("src=", "href=", "@import", "url(", "<link", "<img", "<iframe", "@font-face"):
        assert fetching not in page, fetching
    assert "@media (prefers-color-scheme: dark)" in page and "@media print" in page
    assert page.count('<section class="stack"') == 2


def test_the_command_writes_the_page_for_every_stack_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    read: list[tuple[str | None, bool]] = []

    def read_stack(name: str | None, cwd: str, contracts: bool = False) -> Stack:
        read.append((name, contracts))
        return {s.name: s for s in stacks(contracts)}[name or "prod"]

    monkeypatch.setattr("pulumi_outposts_orders.status.stack.read_stack", read_stack)
    page = tmp_path / "status.html"
    code = main(["status", "--stack", "prod", "--stack", "staging", "--markdown", "--contracts", "--html", str(page)])
    out = capsys.readouterr()
    assert code == 4  # OP_A's renewal is due, in any of the stacks
    assert read == [("prod", True), ("staging", True)]
    assert "### Outposts orders of stack `prod`" in out.out and "### Outposts orders of stack `staging`" in out.out
    assert f"wrote {page}" in out.err
    text = page.read_text(encoding="utf-8")
    assert 'data-stack="prod"' in text and 'data-stack="staging"' in text

    # One stack, as before: its own exit status (no contract read, nothing due).
    assert main(["status", "--stack", "staging", "--markdown", "--html", str(page)]) == 0
    assert 'data-stack="prod"' not in page.read_text(encoding="utf-8")
    assert main(["status", "--html", str(tmp_path / "missing" / "status.html")]) == 2
    assert "cannot write the page to" in capsys.readouterr().err


# --- the page in headless Chromium ---------------------------------------------------------------------------------
LATE_RGB = "rgb(207, 34, 46)"
"""``--late`` in light mode."""
STRUCTURE = ["header.page-header", "section.stack", "div.flags", "figure.timeline", "svg.chart", "table.orders",
             "table.amazon", "table.contracts", "footer .legend"]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Debian's Chromium through Playwright (`make browser` installs it), one page for the module's test."""
    if not Path(shot.CHROMIUM).exists():
        pytest.skip(f"{shot.CHROMIUM} is missing: run `make browser` (Debian's chromium package)")
    with shot.chromium(width=1280, height=900) as (context, page):
        yield context, page


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def test_the_page_in_headless_chromium(tmp_path: Path, chromium: Any) -> None:
    context, page = chromium
    path = tmp_path / "status.html"
    path.write_text(render_html(stacks(), DEFAULT_MARGIN_BUSINESS_DAYS, NOW), encoding="utf-8")
    requests: list[str] = []
    errors: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri(), wait_until="load")

    assert requests == [path.as_uri()], "the page loads nothing but itself"
    assert errors == []
    assert page.title() == "Outposts orders: prod, staging"

    # Every order, every Amazon order number, every stack, its "as of" time.
    text = page.inner_text("body")
    for shown in (*ORDER_IDS, *AMAZON_NUMBERS, INJECTED, "As of the last refresh or update: 2026-06-22 06:17 UTC",
                  "As of the last refresh or update: 2026-06-21 22:05 UTC"):
        assert shown in text, shown
    assert page.locator("section.stack h2").all_inner_texts() == ["Stack prod", "Stack staging"]

    # The timelines: a bar per order, a delivery window per Amazon line, today's line, the contract's markers.
    assert sorted(page.eval_on_selector_all("rect.bar.order", "e => e.map(r => r.dataset.id)")) == ORDER_IDS
    assert sorted(page.eval_on_selector_all("rect.bar.amazon", "e => e.map(r => r.dataset.id)")) == AMAZON_IDS
    windows = page.eval_on_selector_all("rect.window.line", "e => e.map(r => r.dataset.orderNumber)")
    assert sorted(w for w in windows if w != "no Amazon order") == AMAZON_NUMBERS
    assert page.locator("rect.package").count() == 6
    charts = page.locator("svg.chart").count()
    assert charts == 5  # prod: two Outposts with orders, one with only a contract, the Amazon orders; staging: one
    assert page.locator("svg.chart line.today").count() == charts
    assert len(set(page.eval_on_selector_all("line.today", "e => e.map(l => l.getAttribute('x1'))"))) == 1
    assert page.locator(f'figure[data-outpost="{OP_A}"] line.contract-end').count() == 1
    assert page.locator(f'figure[data-outpost="{OP_A}"] line.renewal-deadline.flagged').count() == 1
    assert page.locator(f'figure[data-outpost="{OP_B}"] line.renewal-deadline:not(.flagged)').count() == 1
    assert "renewal pending from 2026-10-01" in page.inner_text(f'figure[data-outpost="{OP_B}"]')
    far = page.locator(f'figure[data-outpost="{OP_C}"] text.offscale')
    assert far.text_content() == "term ends 2029-03-30 · renew by 2029-03-23 →"
    assert page.locator(f'figure[data-outpost="{OP_X}"] text.status.flagged').count() == 1

    # Late or blocked: in red, with the reason, in the list, on the timeline and in the tables.
    for subject, short in EXPECTED_FLAGS:
        item = page.locator(f'li.flag[data-subject="{subject}"]')
        assert item.count() >= 1, subject
        assert item.first.evaluate("e => getComputedStyle(e).color") == LATE_RGB
        assert any(short.split(": ")[-1] in t for t in page.locator("svg text.flagged").all_text_contents()), short
    flagged_bars = page.eval_on_selector_all("rect.bar.order.flagged", "e => e.map(r => r.dataset.id)")
    assert sorted(flagged_bars) == ["oo-000000000000000a9", "oo-00000000000000a10"]
    fills = page.eval_on_selector_all("rect.bar.order", "e => e.map(r => [r.dataset.id, getComputedStyle(r).fill])")
    assert {i for i, fill in fills if fill == LATE_RGB} == set(flagged_bars)
    # In the tables: each such row red, its reasons on a row under it.
    rows = page.locator("tr.flagged:not(.reason)")
    assert rows.count() == 3 + 7 + 2  # the orders in ERROR (three line items), Amazon lines, contracts
    reasons = page.locator("tr.flagged.reason").all_inner_texts()
    assert len(reasons) == rows.count() and all(r.startswith("⚠ ") for r in reasons)
    for reason in (f.reason for f in flags_of(stacks())):
        assert any(reason in r for r in reasons), reason
    assert page.locator("tr.flagged td").first.evaluate("e => getComputedStyle(e).color") == LATE_RGB

    # Light, dark, print.
    def background() -> str:
        return str(page.evaluate("getComputedStyle(document.body).backgroundColor"))

    assert background() == "rgb(255, 255, 255)"
    page.emulate_media(color_scheme="dark")
    assert background() == "rgb(13, 17, 23)"
    label = page.locator("svg text.label").first
    assert label.evaluate("e => getComputedStyle(e).fill") == "rgb(230, 237, 243)"  # the drawing follows
    page.emulate_media(media="print", color_scheme="dark")
    assert background() == "rgb(255, 255, 255)"  # printed light, whatever the screen
    assert page.locator("section.stack").nth(1).evaluate("e => getComputedStyle(e).breakBefore") == "page"
    assert page.locator(".table-wrap").first.evaluate("e => getComputedStyle(e).overflowX") == "visible"
    pdf = page.pdf(format="A4", landscape=True, print_background=True)
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", pdf)) >= 2
    assert requests == [path.as_uri()]  # printing fetched nothing either

    # A screenshot, compared for its structure: every part present, drawn, and on the page.
    page.emulate_media(media="screen", color_scheme="light")
    screenshot = tmp_path / "status-page.png"
    page.screenshot(path=str(screenshot), full_page=True)
    width, height = png_size(screenshot)
    assert (width, height) == tuple(page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"))
    assert width == 1280, "nothing is wider than the window (wide tables scroll in their own box)"
    for selector in STRUCTURE:
        found = page.locator(selector)
        assert found.count() >= 1, selector
        for index in range(found.count()):
            box = found.nth(index).bounding_box()
            assert box is not None and box["width"] > 0 and box["height"] > 0, (selector, index, box)
            assert box["x"] >= 0 and box["y"] >= 0, (selector, index, box)
            assert box["x"] + box["width"] <= width + 0.5 and box["y"] + box["height"] <= height + 0.5, (selector, box)
    # Every table fits its box at this width (a wider one would scroll in it): no column is hidden.
    for table in page.locator(".table-wrap").all():
        assert table.evaluate("e => e.scrollWidth <= e.clientWidth"), table.inner_html()[:200]
    for chart in page.locator("svg.chart").all():
        outer = chart.bounding_box()
        assert outer is not None
        for bar in chart.locator("rect.bar, rect.window, rect.package, line.today").all():
            box = bar.bounding_box()
            assert box is not None and box["width"] > 0 and box["height"] > 0
            assert outer["x"] <= box["x"] and box["x"] + box["width"] <= outer["x"] + outer["width"] + 0.5
            assert outer["y"] <= box["y"] and box["y"] + box["height"] <= outer["y"] + outer["height"] + 0.5
