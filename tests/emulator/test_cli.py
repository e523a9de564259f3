"""The ``outposts-orders emulator`` command, and the AWS CLI examples of the CreateOrder reference."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from pulumi_outposts_orders.emulator import amazon_business as ab
from pulumi_outposts_orders.emulator.app import amazon_business_lines, banner
from pulumi_outposts_orders.emulator.outposts import seed
from pulumi_outposts_orders.emulator.testing import RunningEmulator, boto3_env

from .conftest import client_of

AWS = str(Path(sys.executable).with_name("aws"))
CLI = [sys.executable, "-m", "pulumi_outposts_orders.cli", "emulator"]
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))
AB_VARIABLES = ("AMAZON_BUSINESS_ENDPOINT", "AMAZON_BUSINESS_LWA_CLIENT_ID", "AMAZON_BUSINESS_LWA_CLIENT_SECRET",
                "AMAZON_BUSINESS_LWA_REFRESH_TOKEN")


def aws(emulator: RunningEmulator, *args: str, **env: str) -> dict[str, Any]:
    """Run the AWS CLI against the emulator (endpoints from AWS_ENDPOINT_URL_*, ``env`` on top); parse its JSON."""
    done = subprocess.run([AWS, *args, "--output", "json"], env={**boto3_env(emulator.endpoint), **env},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    parsed: dict[str, Any] = json.loads(done.stdout)
    return parsed


def test_reference_example_1_order_from_a_quote(emulator: RunningEmulator) -> None:
    result = aws(emulator, "outposts", "create-order", "--outpost-identifier", seed.RACK_OUTPOST_ID,
                 "--quote-identifier", seed.QUOTE_ID, "--quote-option-identifier", seed.QUOTE_OPTION_IDS[0],
                 "--payment-option", "ALL_UPFRONT", "--payment-term", "THREE_YEARS")["Order"]
    assert (result["OutpostId"], result["QuoteIdentifier"]) == (seed.RACK_OUTPOST_ID, seed.QUOTE_ID)
    assert result["QuoteOptionIdentifier"] == seed.QUOTE_OPTION_IDS[0]
    assert (result["Status"], result["OrderType"]) == ("PREPARING", "OUTPOST")
    assert [(i["Quantity"], i["Status"]) for i in result["LineItems"]] == [(1, "PREPARING")]
    assert (result["PaymentOption"], result["PaymentTerm"]) == ("ALL_UPFRONT", "THREE_YEARS")
    assert "OrderSubmissionDate" in result


def test_reference_example_2_order_with_line_items(emulator: RunningEmulator) -> None:
    result = aws(emulator, "outposts", "create-order", "--outpost-identifier", seed.RACK_OUTPOST_ID,
                 "--line-items", f"CatalogItemId={seed.RACK_CATALOG_ITEM_ID},Quantity=1",
                 "--payment-option", "ALL_UPFRONT", "--payment-term", "THREE_YEARS")["Order"]
    assert result["Status"] == "PREPARING"
    (item,) = result["LineItems"]
    assert (item["CatalogItemId"], item["Quantity"], item["Status"]) == (seed.RACK_CATALOG_ITEM_ID, 1, "PREPARING")
    got = aws(emulator, "outposts", "get-order", "--order-id", result["OrderId"])["Order"]
    assert got["OrderId"] == result["OrderId"]


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_the_command_prints_its_address_first_and_stops_cleanly(stop_signal: signal.Signals) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "pulumi_outposts_orders.cli", "emulator", "--port", "0", "--db", ":memory:",
         "--no-seed"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line.startswith("Outposts emulator listening on http://127.0.0.1:")
    assert int(line.rsplit(":", 1)[1]) > 0
    process.send_signal(stop_signal)
    out = process.stdout.read()
    process.communicate(timeout=10)
    assert process.returncode == 0
    assert f"export AWS_ENDPOINT_URL_OUTPOSTS={line.split()[-1]}" in out
    assert "Seeded IDs" not in out  # --no-seed


def test_the_command_prints_exports_and_seeded_ids_and_its_admin_commands_work(tmp_path: Path) -> None:
    with RunningEmulator() as running:
        printed = running.log_text()
        exports = [line.strip() for line in printed.splitlines() if line.strip().startswith("export ")]
        # The export lines, run by a shell, are all a client needs: the AWS CLI finds the seeded Outpost.
        script = tmp_path / "exports.sh"
        script.write_text("\n".join([*exports, f"{AWS} outposts get-outpost --outpost-id {seed.RACK_OUTPOST_ID} "
                                      "--query Outpost.Name --output text"]) + "\n")
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull)
        shell = subprocess.run(["bash", str(script)], env=env, capture_output=True, text=True, timeout=60)
        assert shell.returncode == 0, shell.stderr
        assert shell.stdout.strip() == "seattle-rack"
        for seeded in (seed.RACK_OUTPOST_ID, seed.SERVER_OUTPOST_ID, seed.SITE_ID, seed.RACK_CATALOG_ITEM_ID,
                       seed.SERVER_CATALOG_ITEM_ID, seed.QUOTE_ID, *seed.QUOTE_OPTION_IDS):
            assert seeded in printed, seeded

        order_id = client_of(running).create_order(
            OutpostIdentifier=seed.RACK_OUTPOST_ID, PaymentOption="ALL_UPFRONT", PaymentTerm="THREE_YEARS",
            LineItems=[{"CatalogItemId": seed.RACK_CATALOG_ITEM_ID, "Quantity": 1}])["Order"]["OrderId"]
        admin_env = {**env, "AWS_ENDPOINT_URL_OUTPOSTS": running.endpoint}

        def admin(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run([sys.executable, "-m", "pulumi_outposts_orders.cli", "emulator", *args],
                                  env=admin_env, capture_output=True, text=True, timeout=60)

        before = running.admin.now()
        moved = admin("clock", "--advance-days", "7")
        assert moved.returncode == 0 and moved.stdout.startswith("simulated now: "), moved.stderr
        assert running.admin.now() - before >= 7 * 86400
        assert client_of(running).get_order(OrderId=order_id)["Order"]["LineItems"][0]["Status"] == "SHIPPED"
        forced = admin("set-status", order_id, "delivered")
        assert forced.returncode == 0 and forced.stdout == f"order {order_id} is now DELIVERED\n", forced.stderr
        assert client_of(running).get_order(OrderId=order_id)["Order"]["Status"] == "DELIVERED"
        refused = admin("set-status", order_id, "LOST")
        assert refused.returncode == 1 and "status must be one of" in refused.stderr


def test_no_seed_starts_empty() -> None:
    with RunningEmulator(args=["--no-seed"]) as running:
        client = client_of(running)
        assert client.list_outposts()["Outposts"] == [] and client.list_catalog_items()["CatalogItems"] == []


def shell_env() -> dict[str, str]:
    """The environment of a fresh shell: nothing of AWS or Amazon Business set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "AMAZON_BUSINESS_"))}
    return {**env, "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull}


def lwa_token(endpoint: str, client_id: str, secret: str, refresh_token: str) -> Any:
    """POST the LWA refresh-token grant to ``endpoint``; the (status, headers, JSON body) of its answer."""
    form = urllib.parse.urlencode({"grant_type": "refresh_token", "client_id": client_id, "client_secret": secret,
                                   "refresh_token": refresh_token}).encode()
    with DIRECT.open(urllib.request.Request(f"{endpoint}/auth/o2/token", data=form), timeout=10) as response:
        return json.loads(response.read())


def test_the_amazon_business_exports_in_the_banner_work_in_a_shell(tmp_path: Path) -> None:
    with RunningEmulator() as running:
        printed = running.log_text()
        exports = [line.strip() for line in printed.splitlines() if line.strip().startswith("export AMAZON_BUSINESS_")]
        assert [e.split("=", 1)[0] for e in exports] == [f"export {name}" for name in AB_VARIABLES]
        # Run by a shell (the refresh token holds a `|`), they give the client what it reads.
        script = tmp_path / "exports.sh"
        script.write_text("\n".join([*exports, *(f'printf "%s\\n" "${name}"' for name in AB_VARIABLES)]) + "\n")
        shell = subprocess.run(["bash", str(script)], env=shell_env(), capture_output=True, text=True, timeout=60)
        assert shell.returncode == 0, shell.stderr
        endpoint, *credentials = shell.stdout.splitlines()
        assert endpoint == running.endpoint
        assert credentials == [ab.LWA_CLIENT_ID, ab.LWA_CLIENT_SECRET, ab.LWA_REFRESH_TOKEN]
        assert lwa_token(endpoint, *credentials)["access_token"].startswith("Atza|")
        assert "  usage plan: 0.5 requests/s (0.5 x --ab-speedup 1), burst 10, for placeOrder and for " \
               "orderDetails each; over it: 429\n" in printed


def test_ab_speedup_sets_the_usage_plan_at_start() -> None:
    with RunningEmulator(args=["--ab-speedup", "10"]) as running:
        assert running.admin.usage_plan() == {"rate": 5.0, "burst": 10, "speedup": 10.0}
        assert "  usage plan: 5 requests/s (0.5 x --ab-speedup 10), burst 10" in running.log_text()
        token = lwa_token(running.endpoint, ab.LWA_CLIENT_ID, ab.LWA_CLIENT_SECRET, ab.LWA_REFRESH_TOKEN)
        request = urllib.request.Request(f"{running.endpoint}{ab.ORDERS_PATH}/no-such-order", headers={
            "x-amz-access-token": token["access_token"], "x-amz-user-email": "buyer@example.com"})
        with pytest.raises(urllib.error.HTTPError) as missing:  # the rate applied is on every ordering answer
            DIRECT.open(request, timeout=10)
        assert missing.value.code == 404 and missing.value.headers["x-amzn-RateLimit-Limit"] == "5"
        running.admin.advance_days(1)  # an admin call in between: the plan stays
        assert running.admin.usage_plan()["rate"] == 5.0


@pytest.mark.parametrize("factor", ["0", "-2", "nan", "inf", "fast"])
def test_ab_speedup_refuses_what_is_not_a_positive_number(factor: str) -> None:
    done = subprocess.run([*CLI, "--db", ":memory:", "--ab-speedup", factor], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2
    assert f"argument --ab-speedup: expected a number > 0, got '{factor}'" in done.stderr
    assert "listening" not in done.stdout


def test_help_says_what_ab_speedup_multiplies() -> None:
    done = subprocess.run([*CLI, "--help"], capture_output=True, text=True, timeout=60)
    shown = " ".join(done.stdout.split())  # as read, whatever the terminal's width
    assert "--ab-speedup FACTOR multiply the Amazon Business usage plan's rate (0.5 requests/s, burst 10) " \
           "by FACTOR, e.g. 10 for tests (default: 1, the real plan;" in shown


def product_lines() -> list[str]:
    return [f"{p.asin}  {p.buying_option_id}  {p.currency} {p.price:.2f}, {p.available} available: {p.title}"
            for p in ab.SEED_PRODUCTS]


def test_seeded_ids_list_the_amazon_business_products_in_banner_and_ids() -> None:
    with RunningEmulator() as running:
        printed = running.log_text()
        assert {p["asin"] for p in running.admin.amazon_business_products()} == {p.asin for p in ab.SEED_PRODUCTS}
    seeded = printed.split("Seeded IDs:\n", 1)[1].split("\n\n", 1)[0]
    assert "  Amazon Business products (ASIN, buying option, price, available):\n" in seeded
    assert [f"    {line}" for line in product_lines()] == seeded.splitlines()[-len(ab.SEED_PRODUCTS):]
    assert "    B07QSFP28A  bo-qsfp28-sr4  USD 129.00, 500 available: 100G QSFP28 SR4 optical transceiver" in seeded
    ids = subprocess.run([*CLI, "ids"], capture_output=True, text=True, timeout=60)
    assert ids.returncode == 0, ids.stderr
    assert ids.stdout.splitlines()[-len(ab.SEED_PRODUCTS):] == [f"  {line}" for line in product_lines()]
    assert seed.RACK_CATALOG_ITEM_ID in ids.stdout


def test_no_seed_leaves_the_amazon_business_products_out_like_the_catalog(tmp_path: Path) -> None:
    db = tmp_path / "emulator.db"
    with RunningEmulator(db=db, args=["--no-seed"]) as running:
        assert running.admin.amazon_business_products() == []
        assert client_of(running).list_catalog_items()["CatalogItems"] == []
        printed = running.log_text()
        assert "Amazon Business products" not in printed and ab.SEED_PRODUCTS[0].asin not in printed
        assert f"export AMAZON_BUSINESS_ENDPOINT={running.endpoint}" in printed  # the API is still served
    with RunningEmulator(db=db) as seeded:  # started again with seeding: the catalog and the products
        assert {p["asin"] for p in seeded.admin.amazon_business_products()} == {p.asin for p in ab.SEED_PRODUCTS}
        assert len(client_of(seeded).list_catalog_items()["CatalogItems"]) == len(seed.catalog())


def test_the_readme_shows_the_amazon_business_lines_as_the_banner_prints_them() -> None:
    readme = (Path(__file__).resolve().parents[2] / "docs" / "emulator.md").read_text()
    section = readme.split("- **Amazon Business in the emulator**", 1)[1]
    shown = section.split("```text\n", 1)[1].split("```", 1)[0]
    printed = banner("http://127.0.0.1:8788", seeded=True)
    assert [line.strip() for line in shown.strip().splitlines()] == amazon_business_lines("http://127.0.0.1:8788")
    for line in amazon_business_lines("http://127.0.0.1:8788"):
        assert f"\n  {line}\n" in printed
