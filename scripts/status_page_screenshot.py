"""The README's picture of `outposts-orders status --html`: an example site's page, shot in headless Chromium.

    python scripts/status_page_screenshot.py [--out docs/images/status-page.png] [--html FILE]

The stacks are built here as `pulumi stack export` writes them (the state the board reads), at a fixed time, so
the picture is the same on every run; contracts are built as `status --contracts` reads them. Chromium is
Debian's (`make browser`), driven by Playwright, which never downloads a browser of its own here. The helpers
below (the state's resources, the browser's launch) are also what tests/status/test_status_page.py builds with.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
"""Headless Chromium as this machine runs it: no sandbox (root), and none of its own connections (the network is
closed: without these flags it tries Google's hosts at every start)."""
ROOT = Path(__file__).resolve().parents[1]
NOW = datetime.datetime(2026, 6, 22, 9, 0, tzinfo=datetime.UTC)
"""When the example page is made (a Monday)."""
ACCOUNT = "123456789012"


@contextmanager
def chromium(width: int = 1200, height: int = 900) -> Iterator[Any]:
    """A fresh headless Chromium (a new, empty user-data directory) with one page: ``(context, page)``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": width, "height": height}, color_scheme="light", offline=True)
        try:
            yield context, context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()


# --- a stack's state, as `pulumi stack export` writes it ----------------------------------------------------------
def outpost_order(name: str, order_id: str, outpost: str, status: str, submitted: str | None,
                  items: Sequence[tuple[str, int, str]] = (("OR-A1B2C3D", 1, "PREPARING"),),
                  fulfilled: str | None = None, payment: tuple[str, str] = ("ALL_UPFRONT", "THREE_YEARS"),
                  region: str = "us-west-2") -> dict[str, Any]:
    """An ``OutpostOrder`` resource; line items as (catalog item, quantity, status): shipped ones get a carrier
    and tracking number, delivered ones asset IDs."""
    from pulumi_outposts_orders._tokens import ORDER_TYPE

    lines = []
    for index, (item, quantity, stage) in enumerate(items):
        shipped = stage in ("SHIPPED", "DELIVERED", "INSTALLING", "INSTALLED")
        tracking = {"shipment_carrier": "UPS", "shipment_tracking_number": f"1Z{order_id[3:13].upper()}{index}"}
        lines.append({
            "catalog_item_id": item, "quantity": quantity, "status": stage, "line_item_id": f"ooi-{index}",
            "shipment_information": tracking if shipped else None,
            "asset_information_list": [{"asset_id": f"70000{order_id[-5:]}{n}"} for n in range(quantity)]
            if stage in ("DELIVERED", "INSTALLING", "INSTALLED") else [],
        })
    return {"urn": f"urn:pulumi:prod::site::{ORDER_TYPE}::{name}", "type": ORDER_TYPE, "id": order_id,
            "outputs": {"order_id": order_id, "status": status, "outpost_id": outpost, "outpost_identifier": outpost,
                        "order_submission_date": submitted, "order_fulfilled_date": fulfilled, "line_items": lines,
                        "payment_option": payment[0], "payment_term": payment[1], "region": region,
                        "account_id": ACCOUNT}}


def amazon_line(asin: str, quantity: int, number: str | None, order_status: str | None, price: float,
                delivery: tuple[str, str] | None, packages: Sequence[tuple[str, str, tuple[str, str] | None]] = (),
                accepted: int | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """A line of an ``AmazonBusinessOrder``: what was declared and Amazon's answer; packages as (tracking number,
    tracking status, delivery window)."""
    taken = quantity if accepted is None else accepted
    result: dict[str, Any] = {
        "external_id": asin, "accepted_quantity": taken, "rejected_quantity": quantity - taken,
        "rejections": [] if taken == quantity else [{"code": "QUANTITY_UNAVAILABLE", "message": "unavailable"}],
        "order_identifier": number, "unit_price": price if taken else None,
        "charge": round(price * taken, 2) if taken else None, "currency": "USD",
        "packages": [{"tracking_number": tracking, "carrier": "AMZL_US", "status": status,
                      "delivery_window": list(window) if window else [None, None]}
                     for tracking, status, window in packages]}
    if delivery:
        result["delivery_range"] = list(delivery)
    if order_status:
        result["order_status"] = order_status
    return {"asin": asin, "quantity": quantity, "external_id": asin}, result


def amazon_order(name: str, external_id: str, delivery_status: str, placed_at: str,
                 lines: Sequence[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, Any]:
    """An ``AmazonBusinessOrder`` resource with ``lines`` (``amazon_line``)."""
    from pulumi_outposts_orders._tokens import AMAZON_BUSINESS_TYPE

    results = [result for _, result in lines]
    total = round(sum(r["charge"] or 0 for r in results if r.get("order_status") != "CANCELLED"), 2)
    return {"urn": f"urn:pulumi:prod::site::{AMAZON_BUSINESS_TYPE}::{name}", "type": AMAZON_BUSINESS_TYPE,
            "id": external_id, "outputs": {"external_id": external_id, "delivery_status": delivery_status,
                                           "line_items": [item for item, _ in lines], "line_item_results": results,
                                           "total": total, "currency": "USD", "placed_at": placed_at}}


def window(first: str, last: str) -> tuple[str, str]:
    """A delivery window from two days of 2026 (``06-15``): from 10:00 on the first to 22:00 on the last, UTC."""
    return f"2026-{first}T10:00:00Z", f"2026-{last}T22:00:00Z"


def deployment(written: str, resources: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """An exported deployment: the time it was written and its resources."""
    return {"manifest": {"time": written}, "resources": list(resources)}


def contract(outpost: str, end: str | None, today: datetime.date, renewal_from: str | None = None,
             error: str | None = None) -> Any:
    """An Outpost's contract as ``status --contracts`` reads it (``error``: it could not be read)."""
    from pulumi_outposts_orders.outposts.billing import Billing
    from pulumi_outposts_orders.status.contracts import Contract

    if error is not None:
        return Contract(outpost, None, error, today)
    original = {"SubscriptionId": f"sub-{outpost[3:11]}", "SubscriptionType": "ORIGINAL",
                "SubscriptionStatus": "ACTIVE", "BeginDate": "2023-06-01", "EndDate": end, "Currency": "USD",
                "UpfrontPrice": 180000.0, "MonthlyRecurringPrice": 0.0}
    renewal = [{"SubscriptionId": f"sub-{outpost[3:11]}r", "SubscriptionType": "RENEWAL",
                "SubscriptionStatus": "PENDING", "BeginDate": renewal_from, "Currency": "USD",
                "UpfrontPrice": 170000.0}] if renewal_from else []
    return Contract(outpost, Billing(outpost, end, "THREE_YEARS", "ALL_UPFRONT", [original, *renewal]), None, today)


def stack(name: str, state: Mapping[str, Any], contracts: Sequence[Any] | None = None) -> Any:
    """The stack as ``status.stack.read_stack`` reads it from ``state``."""
    from pulumi_outposts_orders.status.amazon_business import amazon_orders
    from pulumi_outposts_orders.status.deployment import as_of, orders
    from pulumi_outposts_orders.status.stack import Stack

    return Stack(name, orders(state), as_of(state), amazon_orders(state),
                 None if contracts is None else list(contracts))


def example_stacks(now: datetime.datetime = NOW) -> list[Any]:
    """A site in Seattle: two Outposts, a rack shipped, one being built, one installed; the optics and PDUs from
    Amazon Business, one package delayed; one Outpost's term ending within the notice and margin."""
    today = now.date()
    optics = [
        amazon_line("B07QSFP28A", 8, "114-7675203-1304267", "PENDING_FULFILLMENT", 129.0, window("06-15", "06-18"),
                    [("TBA93EC22B7EE31", "DELAYED", window("06-16", "06-19"))]),
        amazon_line("B08MPOFIB1", 4, "114-7425079-6553249", "CLOSED", 58.5, window("06-12", "06-14"),
                    [("TBA5079655324", "DELIVERED", window("06-12", "06-13"))]),
    ]
    pdus = [amazon_line("B09PDU30A1", 2, "114-3316842-9921504", "PENDING_FULFILLMENT", 1480.0, window("06-23", "06-26"),
                        [("TBA3316842992", "SHIPPED", window("06-23", "06-25"))])]
    state = deployment("2026-06-22T06:17:00Z", [
        outpost_order("sea-rack-2026", "oo-5f2c8e01a9b4d7c36", "op-0a1b2c3d4e5f60718", "COMPLETED",
                      "2026-03-02T16:00:00Z", [("OR-A1B2C3D", 1, "INSTALLED")], fulfilled="2026-04-14T18:30:00Z"),
        outpost_order("sea-rack-2027-phase-one", "oo-0a1b2c3d4e5f60718", "op-0a1b2c3d4e5f60718", "IN_PROGRESS",
                      "2026-05-11T10:30:00Z", [("OR-A1B2C3D", 2, "SHIPPED"), ("OR-B2C3D4E", 1, "BUILDING")],
                      payment=("PARTIAL_UPFRONT", "THREE_YEARS")),
        outpost_order("sea-rack-2027-phase-two", "oo-0fedcba9876543210", "op-0123456789abcdef0", "PREPARING",
                      "2026-06-15T08:00:00Z", [("OR-B2C3D4E", 1, "PREPARING")], payment=("NO_UPFRONT", "FIVE_YEARS")),
        amazon_order("sea-optics", "pulumi-93ec22b7ee31429050aab0ce076058c6b6b24818c13a49f4", "DELAYED",
                     "2026-06-08T14:00:00Z", optics),
        amazon_order("sea-pdus", "pulumi-4be1c0d97a3f2e6158b0c4d2a9e7f1b3c5d8e0a2f4b6c8d0", "SHIPPED",
                     "2026-06-16T09:00:00Z", pdus),
    ])
    contracts = [contract("op-0123456789abcdef0", "2029-06-30", today),
                 contract("op-0a1b2c3d4e5f60718", "2026-07-10", today)]
    return [stack("prod", state, contracts)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images" / "status-page.png")
    parser.add_argument("--html", type=Path, help="also keep the page here")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "provider"))
    from pulumi_outposts_orders.status.contracts import DEFAULT_MARGIN_BUSINESS_DAYS
    from pulumi_outposts_orders.status.page import render_html

    page = render_html(example_stacks(), DEFAULT_MARGIN_BUSINESS_DAYS, NOW)
    with tempfile.TemporaryDirectory() as work:
        path = args.html or Path(work) / "status.html"
        path.write_text(page, encoding="utf-8")
        with chromium(width=1280, height=800) as (_, tab):
            tab.goto(path.resolve().as_uri())
            args.out.parent.mkdir(parents=True, exist_ok=True)
            # The page down to the first table: the header, what is late, the timelines and the orders.
            bottom = tab.locator(".table-wrap").first.bounding_box()
            size = tab.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
            height = size[1] if bottom is None else bottom["y"] + bottom["height"] + 16
            tab.screenshot(path=str(args.out), full_page=True,
                           clip={"x": 0, "y": 0, "width": size[0], "height": min(height, size[1])})
    print(f"{args.out} ({args.out.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
