"""OutpostQuote check and diff: local validation from the CreateQuote shape, updates in place."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.output import Unknown
from pulumi.runtime.rpc import UNKNOWN

from pulumi_outposts_orders.outposts.quote_inputs import update_params
from pulumi_outposts_orders.outposts.quote_provider import OutpostQuoteProvider

OUTPOST = "op-0123456789abcdef0"


pytestmark = pytest.mark.usefixtures("only_aws_region")


def valid(**changes: Any) -> dict[str, Any]:
    props: dict[str, Any] = {
        "country_code": "US",
        "requested_capacities": [{"quote_capacity_type": "EC2", "unit": "m5.24xlarge", "quantity": 4.0}],
        "requested_payment_options": ["ALL_UPFRONT"],
        "outpost_identifier": OUTPOST,
        "description": "Seattle lab expansion",
        "__provider": "serialized",
    }
    props.update(changes)
    return {k: v for k, v in props.items() if v is not None}


def failures(props: dict[str, Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    for failure in OutpostQuoteProvider().check({}, props).failures:
        path = failure.reason.split(" ", 1)[0].rstrip(":")  # each reason starts with the full path
        assert failure.property in ("", path.split("[", 1)[0].split(".", 1)[0]), failure
        found[path] = f"{found.get(path, '')}{failure.reason}\n"
    return found


def test_valid_quote_passes_and_inputs_are_kept() -> None:
    props = valid(requested_constraints=[{"quote_constraint_type": "RACK_MAX_POWER_KVA", "value": "15"}])
    result = OutpostQuoteProvider().check({}, props)
    assert result.failures == []
    assert result.inputs == props


@pytest.mark.parametrize(
    ("changes", "prop", "words"),
    [
        ({"country_code": None}, "country_code", "country_code is required"),
        ({"country_code": "usa"}, "country_code", "must be at most 2 characters"),
        ({"requested_capacities": None}, "requested_capacities", "requested_capacities is required"),
        (
            {"requested_capacities": [{"quote_capacity_type": "GPU", "quantity": 1.0}]},
            "requested_capacities[0].quote_capacity_type",
            "must be one of EC2, EBS, S3",
        ),
        (
            {"requested_capacities": [{"quote_capacity_type": "EC2", "quantity": 1e308}]},
            "requested_capacities[0].quantity",
            "requested_capacities[0].quantity must be <= 3.4028234663852886e+38: it travels as a 32-bit float",
        ),
        (
            {"requested_capacities": [{"quote_capacity_type": "EC2", "quantity": float("inf")}]},
            "requested_capacities[0].quantity",
            "must be a finite number",
        ),
        (
            {"requested_capacities": [{"quote_capacity_type": "EC2", "quantity": "four"}]},
            "requested_capacities[0].quantity",
            "must be a number",
        ),
        (
            {"requested_capacities": [{"quote_capacity_type": "EC2", "qty": 4.0}]},
            "requested_capacities[0].qty",
            "not a known member",
        ),
        ({"requested_payment_terms": ["TWO_YEARS"]}, "requested_payment_terms[0]", "must be one of"),
        ({"requested_payment_options": ["ALL_UPFRONT"] * 4}, "requested_payment_options", "at most 3 items"),
        ({"outpost_identifier": "op-123"}, "outpost_identifier", "must be an Outpost ID such as op-0123456789abcdef0"),
        ({"description": "x" * 1025}, "description", "at most 1024 characters"),
        (
            {"requested_constraints": [{"quote_constraint_type": "RACK_HEIGHT", "value": "1"}]},
            "requested_constraints[0].quote_constraint_type",
            "must be one of RACK_MAXIMUM",
        ),
        ({"region": "Oregon"}, "region", "AWS region name"),
    ],
)
def test_each_rule_names_the_property(changes: dict[str, Any], prop: str, words: str) -> None:
    found = failures(valid(**changes))
    assert prop in found, found
    assert words in found[prop]
    assert prop in found[prop] or prop == "region"


@pytest.mark.parametrize("unknown", [Unknown(), UNKNOWN], ids=["as check receives it", "wire form"])
def test_unknown_values_pass_at_preview(unknown: Any) -> None:
    props = valid(
        outpost_identifier=unknown,
        region=unknown,
        requested_capacities=[{"quote_capacity_type": "EC2", "unit": unknown, "quantity": unknown}],
    )
    assert failures(props) == {}


def test_an_unknown_value_is_a_change_at_preview() -> None:
    olds = {**valid(), "region": "us-east-1"}
    diff = OutpostQuoteProvider().diff("oq-0123456789abcdef0", olds, valid(outpost_identifier=Unknown()))
    assert diff.changes is True
    assert diff.replaces == []


def test_request_changes_update_in_place_and_region_replaces() -> None:
    provider = OutpostQuoteProvider()
    olds = {**valid(), "quote_id": "oq-0123456789abcdef0", "status": "CREATED", "region": "us-east-1"}

    same = provider.diff("oq-0123456789abcdef0", olds, valid())
    assert same.changes is False

    more = valid(requested_capacities=[{"quote_capacity_type": "EC2", "unit": "m5.24xlarge", "quantity": 8.0}])
    updated = provider.diff("oq-0123456789abcdef0", olds, more)
    assert updated.changes is True
    assert updated.replaces == []

    moved = provider.diff("oq-0123456789abcdef0", olds, valid(region="us-west-2"))
    assert moved.replaces == ["region"]


def test_whole_numbers_and_omitted_members_are_no_change() -> None:
    olds = {**valid(), "region": "us-east-1"}
    news = valid(requested_capacities=[{"quote_capacity_type": "EC2", "unit": "m5.24xlarge", "quantity": 4}])
    news["requested_capacities"][0]["unit"] = "m5.24xlarge"
    assert OutpostQuoteProvider().diff("oq-0123456789abcdef0", olds, news).changes is False


def test_update_sends_changed_members_and_clears_removed_ones() -> None:
    olds = {**valid(), "region": "us-east-1"}
    news = valid(description=None, requested_payment_options=["NO_UPFRONT"])
    assert update_params("oq-0123456789abcdef0", olds, news) == {
        "QuoteIdentifier": "oq-0123456789abcdef0",
        "RequestedPaymentOptions": ["NO_UPFRONT"],
        "Description": "",
    }


def test_a_new_quote_without_any_region_fails_naming_region(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_REGION")
    found = failures(valid())
    assert list(found) == ["region"] and "no AWS region for `region`" in found["region"]
    assert failures(valid(region="eu-west-1")) == {}
