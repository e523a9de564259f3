"""diff: a change to what was ordered replaces (cancel first); identifiers' form and outputs don't."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from pulumi.output import Unknown

from pulumi_outposts_orders.aws import clients as _clients
from pulumi_outposts_orders.aws import settings as _aws
from pulumi_outposts_orders.aws.errors import OrderError
from pulumi_outposts_orders.aws.settings import Target
from pulumi_outposts_orders.emulator.testing import (
    ACCOUNT_ID,
    SECOND_ACCOUNT_ID,
    TEST_ACCESS_KEY_ID,
    TEST_SECRET_ACCESS_KEY,
    RunningEmulator,
    boto3_env,
)
from pulumi_outposts_orders.outposts.order_provider import OutpostOrderProvider, _outputs

OUTPOST = "op-0123456789abcdef0"
OUTPOST_ARN = f"arn:aws:outposts:us-west-2:123456789012:outpost/{OUTPOST}"
ORDER_ID = "oo-0123456789abcdef0"


def declared(**changes: Any) -> dict[str, Any]:
    props: dict[str, Any] = {
        "outpost_identifier": OUTPOST,
        "line_items": [
            {"catalog_item_id": "OR-ABCDEFG", "quantity": 1.0},
            {"catalog_item_id": "OR-HIJKLMN", "quantity": 2.0},
        ],
        "payment_option": "ALL_UPFRONT",
        "__provider": "serialized",
    }
    props.update(changes)
    return {k: v for k, v in props.items() if v is not None}


def recorded(props: dict[str, Any], **order_changes: Any) -> dict[str, Any]:
    """State outputs after the order for ``props`` was placed (as the provider writes them)."""
    order: dict[str, Any] = {
        "OrderId": ORDER_ID,
        "OutpostId": OUTPOST,
        "Status": "PREPARING",
        "OrderType": "OUTPOST",
        "PaymentOption": props["payment_option"],
        "PaymentTerm": props.get("payment_term", "THREE_YEARS"),
        "OrderSubmissionDate": datetime.datetime(2026, 6, 15, 10, 30, tzinfo=datetime.UTC),
        "LineItems": [
            {
                "LineItemId": f"ooi-0123456789abcdef{i}",
                "CatalogItemId": li["catalog_item_id"],
                "Quantity": int(li["quantity"]),
                "Status": "PREPARING",
            }
            for i, li in enumerate(props.get("line_items", []))
        ],
    }
    order.update(order_changes)
    outs = _outputs(props, order, Target("us-west-2", None))
    outs["__provider"] = props["__provider"]
    return outs


def diff(olds: dict[str, Any], news: dict[str, Any]) -> tuple[bool | None, list[str]]:
    result = OutpostOrderProvider().diff(ORDER_ID, olds, news)
    assert result.delete_before_replace is True
    return result.changes, sorted(result.replaces or [])


def test_no_change_is_no_diff() -> None:
    assert diff(recorded(declared()), declared()) == (False, [])


def test_id_and_arn_of_the_same_outpost_are_the_same() -> None:
    assert diff(recorded(declared()), declared(outpost_identifier=OUTPOST_ARN)) == (False, [])
    assert diff(recorded(declared(outpost_identifier=OUTPOST_ARN)), declared()) == (False, [])


def test_line_item_order_of_declaration_is_not_a_change() -> None:
    items = declared()["line_items"]
    assert diff(recorded(declared()), declared(line_items=list(reversed(items)))) == (False, [])


def test_output_only_changes_are_not_a_diff() -> None:
    olds = recorded(
        declared(), Status="COMPLETED", OrderFulfilledDate=datetime.datetime(2026, 7, 6, tzinfo=datetime.UTC)
    )
    assert diff(olds, declared()) == (False, [])


@pytest.mark.parametrize(
    ("changes", "replaced"),
    [
        (
            {
                "line_items": [
                    {"catalog_item_id": "OR-ABCDEFG", "quantity": 2.0},
                    {"catalog_item_id": "OR-HIJKLMN", "quantity": 2.0},
                ]
            },
            ["line_items"],
        ),
        ({"line_items": [{"catalog_item_id": "OR-ABCDEFG", "quantity": 1.0}]}, ["line_items"]),
        ({"payment_option": "NO_UPFRONT"}, ["payment_option"]),
        ({"payment_term": "ONE_YEAR"}, ["payment_term"]),
        ({"outpost_identifier": "op-0123456789abcdef1"}, ["outpost_identifier"]),
        ({"region": "eu-west-3"}, ["region"]),
        (
            {
                "line_items": None,
                "quote_identifier": "oq-0123456789abcdef0",
                "quote_option_identifier": "oqo-0123456789abcdef0",
            },
            ["quote_identifier", "quote_option_identifier"],
        ),
    ],
)
def test_changes_to_what_was_ordered_replace_it(changes: dict[str, Any], replaced: list[str]) -> None:
    assert diff(recorded(declared()), declared(**changes)) == (True, replaced)


def test_declaring_what_aws_defaulted_is_not_a_change() -> None:
    # payment_term and region omitted at create: AWS chose THREE_YEARS, the provider recorded us-west-2.
    assert diff(recorded(declared()), declared(payment_term="THREE_YEARS", region="us-west-2")) == (False, [])


def test_unknown_values_count_as_a_replacement_at_preview() -> None:
    assert diff(recorded(declared()), declared(outpost_identifier=Unknown())) == (True, ["outpost_identifier"])
    items = [{"catalog_item_id": "OR-ABCDEFG", "quantity": Unknown()}]
    assert diff(recorded(declared()), declared(line_items=items)) == (True, ["line_items"])


def test_profile_is_an_update_not_a_replacement_and_must_reach_the_orders_account(
    emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for key, value in boto3_env(emulator.endpoint, base={}).items():
        monkeypatch.setenv(key, value)
    (tmp_path / "config").write_text(
        f"[profile ops]\naws_access_key_id = {TEST_ACCESS_KEY_ID}\naws_secret_access_key = {TEST_SECRET_ACCESS_KEY}\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    _clients.clear_clients()
    assert diff(recorded(declared()), declared(profile="ops")) == (True, [])
    outs = OutpostOrderProvider().update(ORDER_ID, recorded(declared()), declared(profile="ops")).outs
    assert outs is not None and outs["profile"] == "ops" and outs["order_id"] == ORDER_ID
    assert outs["account_id"] == ACCOUNT_ID  # recorded before accounts were: it gets the caller's
    elsewhere = {**recorded(declared()), "account_id": SECOND_ACCOUNT_ID}
    with pytest.raises(_clients.WrongAccountError,
                       match=f"lives in AWS account {SECOND_ACCOUNT_ID}.*account {ACCOUNT_ID}"):
        OutpostOrderProvider().update(ORDER_ID, elsewhere, declared(profile="ops"))
    assert {op: n for op, n in emulator.admin.calls().items() if n} == {"GetCallerIdentity": 1}


def test_adopt_order_id_points_at_another_order_only_once_the_tracked_one_is_history(
    emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in boto3_env(emulator.endpoint, base={}).items():
        monkeypatch.setenv(key, value)
    _clients.clear_clients()
    aws = _clients.client(_aws.resolve_target("us-east-1", None, _aws.StackAwsConfig()))
    placed = aws.create_order(OutpostIdentifier="op-0123456789abcdef0", PaymentOption="ALL_UPFRONT",
                              LineItems=[{"CatalogItemId": "OR-A1B2C3D", "Quantity": 1}])["Order"]["OrderId"]
    olds = {**recorded(declared(adopt_order_id=ORDER_ID)), "region": "us-east-1"}
    provider = OutpostOrderProvider()
    assert diff(olds, declared(adopt_order_id=ORDER_ID)) == (False, [])
    assert diff(olds, declared()) == (False, [])
    live = {**olds, "order_id": placed}
    with pytest.raises(OrderError, match=f"tracks order {placed}, which is not history"):
        provider.diff(placed, live, declared(adopt_order_id="oo-0123456789abcdef9"))
    aws.cancel_order(OrderId=placed)  # e.g. a replacement cancelled it, then failed: the state still says PREPARING
    result = provider.diff(placed, live, declared(adopt_order_id="oo-0123456789abcdef9"))
    assert result.replaces == ["adopt_order_id"] and result.delete_before_replace


@pytest.mark.parametrize("status", ["IN_PROGRESS", "DELIVERED", "AWAITING_SITE_SURVEY"])  # the last: a newer status
def test_replacing_an_order_that_can_no_longer_be_cancelled_fails_the_preview(status: str) -> None:
    more = [{"catalog_item_id": "OR-ABCDEFG", "quantity": 3.0}]
    with pytest.raises(OrderError, match=rf"would replace order {ORDER_ID} \({status}.*declare a new OutpostOrder"):
        diff(recorded(declared(), Status=status), declared(line_items=more))


def test_replacing_a_retained_order_fails_the_preview_and_recommends_no_double_order() -> None:
    more = [{"catalog_item_id": "OR-ABCDEFG", "quantity": 3.0}]
    with pytest.raises(OrderError, match="retain_on_delete") as failure:
        diff(recorded(declared(retain_on_delete=True)), declared(line_items=more, retain_on_delete=True))
    assert "declare a new OutpostOrder" in str(failure.value)
    assert "set the resource option" not in str(failure.value)


def test_an_order_that_is_history_can_be_replaced_by_a_new_one() -> None:
    more = [{"catalog_item_id": "OR-ABCDEFG", "quantity": 3.0}]
    for status in ("COMPLETED", "CANCELLED", "ERROR"):
        olds = recorded(declared(retain_on_delete=True), Status=status)
        assert diff(olds, declared(line_items=more, retain_on_delete=True)) == (True, ["line_items"])


def test_retain_on_delete_and_distinct_orders_change_in_place() -> None:
    assert diff(recorded(declared()), declared(retain_on_delete=True)) == (True, [])
    ids = ["oo-0123456789abcdef7"]
    assert diff(recorded(declared()), declared(distinct_from_order_ids=ids)) == (True, [])
