"""The spending-rules policy pack through the real engine: `pulumi preview/up --policy-pack`.

The pack runs from its own virtualenv (`outposts-orders policy-pack-path`; the project's environment has no
pulumi_policy). Every rule is broken by one resource of one program and kept by another; a mandatory rule
fails the preview and `up` with nothing ordered in the emulator; an advisory one only warns; the policy
config changes a limit; removing retain_on_delete from a live order fails the preview; `outposts-orders
review` puts the engine's policy violations at the top of the comment.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e_project import EXAMPLES, Project, live_orders, new_project, outposts_client

from pulumi_outposts_orders.emulator import amazon_business as ab
from pulumi_outposts_orders.emulator.outposts.seed import (
    ACCOUNT_ID,
    QUOTE_ID,
    QUOTE_OPTION_IDS,
    RACK_CATALOG_ITEM_ID,
    RACK_OUTPOST_ID,
    REGION,
    SECOND_RACK_CATALOG_ITEM_ID,
    SERVER_OUTPOST_ID,
)
from pulumi_outposts_orders.emulator.testing import RunningEmulator

pytestmark = pytest.mark.e2e
OUTPOST_ARN = f"arn:aws:outposts:{REGION}:{ACCOUNT_ID}:outpost/{RACK_OUTPOST_ID}"
HEAD = """
import pulumi
from pulumi_outposts_orders import (AmazonBusinessLineItemArgs, AmazonBusinessOrder, ExpectedPriceArgs, LineItemArgs,
                                    MoneyArgs, OutpostOrder, OutpostRenewal, ShippingAddressArgs)
KEEP = pulumi.ResourceOptions(retain_on_delete=True)
ADDRESS = ShippingAddressArgs(full_name="Site Ops", address_line1="410 Terry Ave N", city="Seattle",
                              postal_code="98109", country_code="US", state_or_region="WA")
"""


@pytest.fixture(scope="module")
def pack() -> Path:
    """The pack's directory with its virtualenv, as a user gets it."""
    made = subprocess.run([str(Path(sys.executable).with_name("outposts-orders")), "policy-pack-path"],
                          capture_output=True, text=True, timeout=600, check=True)
    return Path(made.stdout.strip())


@pytest.fixture
def emulator() -> Iterator[RunningEmulator]:
    with RunningEmulator() as running:
        yield running


def quote_price(emulator: RunningEmulator, option: str, payment_option: str, term: str) -> dict[str, float]:
    """The seeded quote's price for one option, payment option and term (GetQuote, as a user reads it)."""
    client = outposts_client(emulator)
    quote = client.get_quote(QuoteIdentifier=QUOTE_ID)["Quote"]
    chosen = next(o for o in quote["QuoteOptions"] if o["QuoteOptionIdentifier"] == option)
    price = next(p["SubscriptionPricingDetails"] for p in chosen["PricingOptions"]
                 if p["SubscriptionPricingDetails"]["PaymentOption"] == payment_option
                 and p["SubscriptionPricingDetails"]["PaymentTerm"] == term)
    return {"upfront": float(price["UpfrontPrice"]), "monthly": float(price["MonthlyRecurringPrice"])}


def project_with(tmp_path: Path, emulator: RunningEmulator, program: str) -> Project:
    project = new_project(tmp_path, emulator, name="policy-e2e")
    project.env.update(AMAZON_BUSINESS_ENDPOINT=emulator.endpoint, AMAZON_BUSINESS_LWA_CLIENT_ID=ab.LWA_CLIENT_ID,
                       AMAZON_BUSINESS_LWA_CLIENT_SECRET=ab.LWA_CLIENT_SECRET,
                       AMAZON_BUSINESS_LWA_REFRESH_TOKEN=ab.LWA_REFRESH_TOKEN,
                       PULUMI_DEBUG_COMMANDS="true")  # `--event-log`
    (project.work_dir / "__main__.py").write_text(HEAD + program)
    assert project.run("pulumi", "stack", "init", "site-a").returncode == 0
    return project


def with_pack(project: Project, pack: Path, command: str, config: dict[str, Any],
              *extra: str) -> subprocess.CompletedProcess[str]:
    """``pulumi <command>`` with the pack and ``config`` as its policy config file."""
    config_file = project.work_dir / "policy-config.json"
    config_file.write_text(json.dumps(config))
    yes = ("--yes",) if command == "up" else ()
    return project.run("pulumi", command, *yes, "--non-interactive", "--policy-pack", str(pack),
                       "--policy-pack-config", str(config_file), *extra)


def ab_line(product: ab.SeedProduct, quantity: int, priced: bool = True) -> str:
    price = f", expected_unit_price=MoneyArgs(currency='USD', amount={product.price})" if priced else ""
    return (f"AmazonBusinessLineItemArgs(asin={product.asin!r}, buying_option_id={product.buying_option_id!r}, "
            f"quantity={quantity}{price})")


def ab_order(name: str, *lines: str) -> str:
    return (f"AmazonBusinessOrder({name!r}, line_items=[{', '.join(lines)}], shipping_address=ADDRESS, "
            "buyer_email='buyer@example.com', marketplace='US', opts=KEEP)\n")


QSFP, PDU = ab.SEED_PRODUCTS[0], ab.SEED_PRODUCTS[2]
LIMITS: dict[str, dict[str, Any]] = {
    "order-price-cap": {"max_upfront": 200000},
    "stack-price-cap": {"max_total": 400000, "allow_unpriced": True},
    "allowed-payment": {"payment_options": ["ALL_UPFRONT", "PARTIAL_UPFRONT"], "payment_terms": ["THREE_YEARS"]},
    "allowed-outposts": {"outposts": [RACK_OUTPOST_ID]},
    "allowed-items": {"catalog_items": [RACK_CATALOG_ITEM_ID], "asins": [QSFP.asin, PDU.asin]},
    "amazon-business-expectations": {"max_total": 1000},
}


def quote_order(name: str, price: dict[str, float] | None, option: str = QUOTE_OPTION_IDS[0],
                outpost: str = RACK_OUTPOST_ID) -> str:
    expected = "" if price is None else f", expected_price=ExpectedPriceArgs(currency='USD', upfront_price={price['upfront']}, monthly_recurring_price={price['monthly']})"  # noqa: E501
    return (f"OutpostOrder({name!r}, outpost_identifier={outpost!r}, quote_identifier={QUOTE_ID!r}, "
            f"quote_option_identifier={option!r}, payment_option='PARTIAL_UPFRONT', payment_term='THREE_YEARS'"
            f"{expected}, opts=KEEP)\n")


def item_order(name: str, item: str = RACK_CATALOG_ITEM_ID, outpost: str = RACK_OUTPOST_ID,
               payment_option: str = "ALL_UPFRONT", term: str = "THREE_YEARS", keep: bool = True) -> str:
    return (f"OutpostOrder({name!r}, outpost_identifier={outpost!r}, line_items=[LineItemArgs(catalog_item_id="
            f"{item!r}, quantity=1)], payment_option={payment_option!r}, payment_term={term!r}"
            f"{', opts=KEEP' if keep else ''})\n")


def test_each_rule_broken_fails_preview_and_up_and_nothing_is_ordered(
        tmp_path: Path, emulator: RunningEmulator, pack: Path) -> None:
    one_rack = quote_price(emulator, QUOTE_OPTION_IDS[0], "PARTIAL_UPFRONT", "THREE_YEARS")
    two_racks = quote_price(emulator, QUOTE_OPTION_IDS[1], "PARTIAL_UPFRONT", "THREE_YEARS")
    assert two_racks["upfront"] > LIMITS["order-price-cap"]["max_upfront"] > one_rack["upfront"]
    program = "".join([
        quote_order("no-price", None),
        quote_order("too-dear", two_racks, QUOTE_OPTION_IDS[1]),
        item_order("by-arn-ok", outpost=OUTPOST_ARN),
        item_order("wrong-term", term="FIVE_YEARS"),
        item_order("wrong-option", payment_option="NO_UPFRONT"),
        item_order("wrong-outpost", outpost=SERVER_OUTPOST_ID),
        item_order("wrong-item", item=SECOND_RACK_CATALOG_ITEM_ID),
        item_order("unkept", keep=False),
        f"OutpostRenewal('renewal', outpost_identifier={RACK_OUTPOST_ID!r}, payment_option='ALL_UPFRONT', "
        "payment_term='THREE_YEARS', opts=KEEP)\n",
        ab_order("optics-unpriced", ab_line(QSFP, 2, priced=False)),
        ab_order("optics-too-many", ab_line(QSFP, 10)),
        ab_order("cables-not-allowed", ab_line(ab.SEED_PRODUCTS[1], 1)),
    ])
    project = project_with(tmp_path, emulator, program)
    preview = with_pack(project, pack, "preview", LIMITS)
    assert preview.returncode != 0, preview.stdout
    out = preview.stdout
    expected = [
        ("expected-price-required", "OutpostOrder 'no-price' states no expected_price"),
        ("expected-price-required", "OutpostRenewal 'renewal' states no expected_price"),
        ("order-price-cap", f"OutpostOrder 'too-dear' costs {two_racks['upfront']:,.2f} USD upfront, above the "
                            "cap max_upfront 200,000.00 USD"),
        ("allowed-payment", "OutpostOrder 'wrong-term' has payment_term 'FIVE_YEARS', which is not allowed: "
                            "payment_terms is THREE_YEARS"),
        ("allowed-payment", "OutpostOrder 'wrong-option' has payment_option 'NO_UPFRONT', which is not allowed"),
        ("allowed-outposts", f"OutpostOrder 'wrong-outpost' is for Outpost '{SERVER_OUTPOST_ID}', which is not "
                             f"allowed: outposts is {RACK_OUTPOST_ID}"),
        ("allowed-items", f"OutpostOrder 'wrong-item' line_items[0].catalog_item_id is "
                          f"'{SECOND_RACK_CATALOG_ITEM_ID}', which is not allowed"),
        ("allowed-items", f"AmazonBusinessOrder 'cables-not-allowed' line_items[0].asin is "
                          f"'{ab.SEED_PRODUCTS[1].asin}', which is not allowed"),
        ("retain-on-delete-kept", "OutpostOrder 'unkept' is declared without the resource option retain_on_delete"),
        ("amazon-business-expectations", f"AmazonBusinessOrder 'optics-unpriced' line_items[0] ({QSFP.asin}) "
                                         "states no expected price"),
        ("amazon-business-expectations", f"AmazonBusinessOrder 'optics-too-many' costs {QSFP.price * 10:,.2f} USD "
                                         "in total, above the cap max_total 1,000.00 USD"),
        ("stack-price-cap", "stack 'site-a' commits"),
    ]
    for policy, message in expected:
        assert f"[mandatory]  {policy}" in out, policy
        assert message in out, message
    assert "'by-arn-ok'" not in out  # the allowed Outpost by its ARN

    up = with_pack(project, pack, "up", LIMITS)
    assert up.returncode != 0
    assert "[mandatory]  expected-price-required" in up.stdout
    assert live_orders(emulator) == []
    calls = emulator.admin.calls()
    assert [op for op in ("CreateOrder", "CreateRenewal", "placeOrder") if calls.get(op)] == [], calls
    assert emulator.admin.amazon_business_orders() == []


def compliant_program(emulator: RunningEmulator) -> str:
    one_rack = quote_price(emulator, QUOTE_OPTION_IDS[0], "PARTIAL_UPFRONT", "THREE_YEARS")
    return "".join([quote_order("rack-quote", one_rack), item_order("rack-items", outpost=OUTPOST_ARN),
                    ab_order("optics", ab_line(QSFP, 2), ab_line(PDU, 1))])


def test_each_rule_kept_lets_up_place_each_order_once(tmp_path: Path, emulator: RunningEmulator, pack: Path) -> None:
    project = project_with(tmp_path, emulator, compliant_program(emulator))
    config = {**LIMITS, "stack-price-cap": {"max_total": 10_000_000, "allow_unpriced": True},
              "amazon-business-expectations": {"max_total": QSFP.price * 2 + PDU.price}}
    preview = with_pack(project, pack, "preview", config)
    assert preview.returncode == 0, preview.stdout + preview.stderr
    assert "✅ outposts-orders@v" in preview.stdout
    up = with_pack(project, pack, "up", config)
    assert up.returncode == 0, up.stdout + up.stderr
    assert len(live_orders(emulator)) == 2
    again = with_pack(project, pack, "up", config)
    assert again.returncode == 0 and len(live_orders(emulator)) == 2
    # The GitOps example's policy config is one the engine accepts, and these orders keep its rules.
    example = json.loads((EXAMPLES / "gitops" / "infra" / "policy-config.json").read_text())
    checked = with_pack(project, pack, "preview", example)
    assert checked.returncode == 0 and "✅ outposts-orders@v" in checked.stdout, checked.stdout + checked.stderr


def test_an_advisory_rule_warns_and_orders(tmp_path: Path, emulator: RunningEmulator, pack: Path) -> None:
    project = project_with(tmp_path, emulator, item_order("rack", term="FIVE_YEARS"))
    config = {"allowed-payment": {"enforcementLevel": "advisory", "payment_terms": ["THREE_YEARS"]}}
    up = with_pack(project, pack, "up", config)
    assert up.returncode == 0, up.stdout + up.stderr
    assert "[advisory]  allowed-payment" in up.stdout
    assert "has payment_term 'FIVE_YEARS', which is not allowed" in up.stdout
    assert len(live_orders(emulator)) == 1
    disabled = with_pack(project, pack, "preview", {"allowed-payment": {"enforcementLevel": "disabled",
                                                                        "payment_terms": ["THREE_YEARS"]}})
    assert disabled.returncode == 0 and "allowed-payment" not in disabled.stdout


def test_the_policy_config_moves_a_limit(tmp_path: Path, emulator: RunningEmulator, pack: Path) -> None:
    price = quote_price(emulator, QUOTE_OPTION_IDS[0], "PARTIAL_UPFRONT", "THREE_YEARS")
    total = price["upfront"] + 36 * price["monthly"]
    project = project_with(tmp_path, emulator, quote_order("rack", price))
    below = with_pack(project, pack, "preview", {"order-price-cap": {"max_total": total - 1}})
    assert below.returncode != 0
    assert f"costs {total:,.2f} USD total over the term, above the cap max_total {total - 1:,.2f} USD" in below.stdout
    above = with_pack(project, pack, "preview", {"order-price-cap": {"max_total": total}})
    assert above.returncode == 0, above.stdout
    stack_cap = with_pack(project, pack, "preview", {"stack-price-cap": {"max_upfront": price["upfront"] - 1}})
    assert stack_cap.returncode != 0
    assert f"stack 'site-a' commits {price['upfront']:,.2f} USD upfront over 1 orders" in stack_cap.stdout
    bad = with_pack(project, pack, "preview", {"order-price-cap": {"max_total": "lots"}})
    assert bad.returncode != 0 and "max_total" in bad.stdout + bad.stderr


def test_removing_retain_on_delete_from_a_live_order_fails_the_preview(
        tmp_path: Path, emulator: RunningEmulator, pack: Path) -> None:
    project = project_with(tmp_path, emulator, item_order("rack"))
    assert with_pack(project, pack, "up", {}).returncode == 0
    (project.work_dir / "__main__.py").write_text(HEAD + item_order("rack", keep=False))
    preview = with_pack(project, pack, "preview", {})
    assert preview.returncode != 0
    assert "[mandatory]  retain-on-delete-kept" in preview.stdout
    removed = with_pack(project, pack, "up", {})
    assert removed.returncode != 0
    assert len(live_orders(emulator)) == 1


def test_the_pack_runs_from_its_own_virtualenv_with_the_stacks_settings(
        tmp_path: Path, emulator: RunningEmulator) -> None:
    assert subprocess.run([sys.executable, "-c", "import pulumi_policy"], capture_output=True).returncode != 0
    copied = tmp_path / "repo-policy"
    made = subprocess.run([str(Path(sys.executable).with_name("outposts-orders")), "policy-pack-path",
                           "--copy-to", str(copied)], capture_output=True, text=True, check=True)
    assert made.stdout.strip() == str(copied)
    project = project_with(tmp_path, emulator, quote_order("rack", None))
    # The project's venv lacks pulumi_policy, so the pack can run only in its own.
    missing = with_pack(project, copied, "preview", {})
    assert missing.returncode != 0
    assert f"run `pulumi install` in {copied}" in missing.stdout + missing.stderr
    installed = subprocess.run(["pulumi", "install"], cwd=copied, env=project.env, capture_output=True, text=True,
                               timeout=600)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert (copied / "venv" / "bin" / "python").exists()
    preview = with_pack(project, copied, "preview", {"stack-price-cap": {"max_total": 1}})
    assert "[mandatory]  expected-price-required" in preview.stdout
    # The stack's name reached the pack (ConfigureStack → PULUMI_STACK), so the stack rule names it.
    assert "stack 'site-a':" in preview.stdout


def test_review_puts_the_policy_violations_first(tmp_path: Path, emulator: RunningEmulator, pack: Path) -> None:
    project = project_with(tmp_path, emulator, quote_order("rack", None) + item_order("spare", term="FIVE_YEARS"))
    events = tmp_path / "events.jsonl"
    config = {"allowed-payment": {"enforcementLevel": "advisory", "payment_terms": ["THREE_YEARS"]}}
    preview = with_pack(project, pack, "preview", config, "--json", "--event-log", str(events))
    assert preview.returncode != 0
    (tmp_path / "preview.json").write_text(preview.stdout)
    review = project.outposts_orders("review", str(tmp_path / "preview.json"), "--policy-events", str(events))
    assert review.returncode == 5, review.stdout + review.stderr
    lines = review.stdout.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("🛑 **Policy violations: 1 mandatory**")))
    # The policies alone stopped the preview: its changes are still reviewed in full, below them.
    table = lines.index(next(line for line in lines if line.startswith("| Change")))
    assert start < table and "The preview failed" not in review.stdout
    body = "\n".join(lines[start:table])
    assert "**mandatory** `expected-price-required` on `rack`" in body
    assert "OutpostOrder 'rack' states no expected_price" in body
    assert "advisory `allowed-payment` on `spare`" in body
    assert any("order `rack`" in line and "not set" in line for line in lines[table:]), review.stdout
    assert "mandatory policies are broken: expected-price-required (rack)" in review.stderr


def test_review_applies_the_price_cap_to_a_price_only_it_reads(
        tmp_path: Path, emulator: RunningEmulator, pack: Path) -> None:
    price = quote_price(emulator, QUOTE_OPTION_IDS[0], "PARTIAL_UPFRONT", "THREE_YEARS")
    project = project_with(tmp_path, emulator, quote_order("rack", None))
    config = {"expected-price-required": "advisory", "order-price-cap": {"max_upfront": price["upfront"] - 1}}
    events = tmp_path / "events.jsonl"
    preview = with_pack(project, pack, "preview", config, "--json", "--event-log", str(events))
    assert preview.returncode == 0, preview.stdout + preview.stderr  # the engine cannot know this price
    (tmp_path / "preview.json").write_text(preview.stdout)
    (tmp_path / "policy.json").write_text(json.dumps(config))
    review = project.outposts_orders("review", str(tmp_path / "preview.json"), "--policy-events", str(events),
                                     "--policy-config", str(tmp_path / "policy.json"))
    assert review.returncode == 5, review.stdout + review.stderr
    assert (f"- **mandatory** `order-price-cap` on `rack` (outposts-orders, quoted price read by this review): "
            f"OutpostOrder 'rack' (quoted, no expected_price) costs {price['upfront']:,.2f} USD upfront, above the "
            f"cap max_upfront {price['upfront'] - 1:,.2f} USD") in review.stdout
    assert "advisory `expected-price-required` on `rack`" in review.stdout
    assert live_orders(emulator) == []


USER_PACK = '''
import os
import shutil
import sys
import pulumi
from pulumi_policy import EnforcementLevel, PolicyPack, StackValidationPolicy

def settings(args, report):
    report(f"project={pulumi.get_project()} stack={pulumi.get_stack()} dry_run={os.environ['PULUMI_DRY_RUN']} "
           f"organization={os.environ['PULUMI_ORGANIZATION']} site={pulumi.Config().get('site')} "
           f"prefix={sys.prefix} python-on-path={shutil.which('python')}")

PolicyPack(name="site-settings", enforcement_level=EnforcementLevel.ADVISORY,
           policies=[StackValidationPolicy(name="show-settings", description="Shows the stack's settings.",
                                           validate=settings)])
'''


def test_any_python_pack_sees_the_stacks_project_stack_and_config(
        tmp_path: Path, emulator: RunningEmulator, pack: Path) -> None:
    """A pack of the user's own (not ours) reads the stack's settings as a program does: `pulumi.Config()`,
    `pulumi.get_stack()`, PULUMI_DRY_RUN, PULUMI_ORGANIZATION."""
    own = tmp_path / "site-policy"
    own.mkdir()
    (own / "__main__.py").write_text(USER_PACK)
    # Its virtualenv: the shipped pack's (same requirements), named by an absolute path.
    (own / "PulumiPolicy.yaml").write_text(f"runtime:\n  name: python\n  options:\n    virtualenv: {pack / 'venv'}\n")
    project = project_with(tmp_path, emulator, item_order("rack"))
    assert project.run("pulumi", "config", "set", "site", "seattle").returncode == 0
    preview = project.run("pulumi", "preview", "--non-interactive", "--policy-pack", str(own))
    assert preview.returncode == 0, preview.stdout + preview.stderr
    assert ("project=policy-e2e stack=site-a dry_run=true organization=organization site=seattle"
            in preview.stdout), preview.stdout
    up = project.run("pulumi", "up", "--yes", "--skip-preview", "--non-interactive", "--policy-pack", str(own))
    assert up.returncode == 0 and "stack=site-a dry_run=false" in up.stdout, up.stdout + up.stderr
    # It ran in its own virtualenv, activated: a subprocess's `python` is that virtualenv's too.
    assert f"prefix={pack / 'venv'} python-on-path={pack / 'venv' / 'bin' / 'python'}" in preview.stdout
