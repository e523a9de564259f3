"""OutpostRenewal's rules, checked locally (no call): inputs against CreateRenewal's shape, the price guard, the
generation rule, the ClientToken, and what a change does."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from pulumi.runtime.rpc import UNKNOWN

from pulumi_outposts_orders.outposts import renewal_inputs as inputs
from pulumi_outposts_orders.outposts.billing import Billing, business_days_left
from pulumi_outposts_orders.outposts.renewal_provider import OutpostRenewalProvider

OUTPOST = "op-0123456789abcdef0"
GOOD: dict[str, Any] = {"outpost_identifier": OUTPOST, "payment_option": "ALL_UPFRONT", "payment_term": "THREE_YEARS",
                        "renewal_key": "organization/site/dev/renewal"}


def failures(props: dict[str, Any]) -> dict[str, str]:
    return {f.property: f.reason for f in inputs.check_inputs(props)}


def test_a_valid_renewal_passes_and_unknowns_pass() -> None:
    assert failures(GOOD) == {}
    assert failures({**GOOD, "outpost_identifier": UNKNOWN, "payment_term": UNKNOWN}) == {}
    arn = f"arn:aws:outposts:us-west-2:111122223333:outpost/{OUTPOST}"
    assert failures({**GOOD, "outpost_identifier": arn, "expected_price": {"currency": "USD", "upfront_price": 1.5}}) \
        == {}


@pytest.mark.parametrize(("change", "named", "says"), [
    ({"payment_option": "MONTHLY"}, "payment_option", "ALL_UPFRONT"),
    ({"payment_term": "TEN_YEARS"}, "payment_term", "FIVE_YEARS"),
    ({"outpost_identifier": "op-123"}, "outpost_identifier", "an Outpost ID such as op-"),
    ({"payment_term": None}, "payment_term", "required"),
    ({"expected_price": {"currency": "USD"}}, "expected_price", "upfront_price and/or monthly_recurring_price"),
    ({"expected_price": {"currency": "EUR", "upfront_price": 1.0}}, "expected_price.currency", "USD"),
    ({"expected_price": {"currency": "USD", "upfront_price": -1}}, "expected_price.upfront_price", ">= 0"),
    ({"expected_price": {"currency": "USD", "upfrnt_price": 1}}, "expected_price.upfrnt_price", "unknown key"),
    ({"generation": 0}, "generation", ">= 1"),
    ({"region": "Oregon"}, "region", "AWS region name"),
])
def test_each_bad_input_is_named_with_its_rule(change: dict[str, Any], named: str, says: str) -> None:
    found = failures({**GOOD, **change})
    assert named in found and says in found[named], found


def test_the_client_token_is_stable_per_resource_and_generation_and_fits_the_model() -> None:
    token = inputs.client_token(GOOD["renewal_key"], 1)
    assert token == inputs.client_token(GOOD["renewal_key"], 1)  # any machine, any retry
    assert token != inputs.client_token(GOOD["renewal_key"], 2)
    assert token != inputs.client_token("organization/site/prod/renewal", 1)  # another stack
    assert 1 <= len(token) <= 64
    assert inputs.create_params(GOOD, token)["ClientToken"] == token


def test_a_placed_renewal_changes_only_with_a_raised_generation() -> None:
    provider = OutpostRenewalProvider()
    placed = provider.check({}, dict(GOOD)).inputs
    assert placed["renewal_generation"] == 1
    moved = provider.check(placed, {**GOOD, "payment_term": "FIVE_YEARS"})
    assert [f.property for f in moved.failures] == ["payment_term"]
    assert "raise `generation`" in moved.failures[0].reason
    raised = provider.check(placed, {**GOOD, "payment_term": "FIVE_YEARS", "generation": 2})
    assert raised.failures == []
    diff = provider.diff("sub-1", placed, raised.inputs)
    assert set(diff.replaces or []) == {"payment_term", "generation"} and diff.delete_before_replace is False
    priced = provider.check(placed, {**GOOD, "expected_price": {"currency": "USD", "upfront_price": 10.0}})
    assert priced.failures == []
    in_place = provider.diff("sub-1", placed, priced.inputs)
    assert in_place.changes and not in_place.replaces  # the price guard changes in place, no call


def test_business_days_count_weekdays_only() -> None:
    friday = datetime.date(2026, 12, 4)
    assert business_days_left(friday, friday) == 0
    assert business_days_left(friday, datetime.date(2026, 12, 7)) == 1  # the Monday after
    assert business_days_left(friday, datetime.date(2026, 12, 11)) == 5
    assert business_days_left(friday, datetime.date(2026, 12, 25)) == 15
    assert business_days_left(datetime.date(2026, 12, 11), friday) == -5


def test_a_renewal_pending_is_the_one_that_begins_last() -> None:
    subscriptions = [{"SubscriptionType": "ORIGINAL", "SubscriptionStatus": "ACTIVE"},
                     {"SubscriptionType": "RENEWAL", "SubscriptionStatus": "PENDING", "BeginDate": "2027-01-01"}]
    assert Billing(OUTPOST, "2027-01-01", None, None, subscriptions).renewal() == subscriptions[1]
    assert Billing(OUTPOST, "2027-01-01", None, None, subscriptions[:1]).renewal() is None
    assert Billing(OUTPOST, "2027-01-01", None, None).end() == datetime.date(2027, 1, 1)


def test_a_region_left_out_keeps_the_region_the_renewal_was_placed_in() -> None:
    provider = OutpostRenewalProvider()
    state = {**provider.check({}, dict(GOOD)).inputs, "region": "us-west-2", "subscription_id": "sub-1"}
    assert provider.diff("sub-1", state, provider.check(state, dict(GOOD)).inputs).changes is False
    moved = provider.diff("sub-1", state, {**GOOD, "region": "eu-west-1"})
    assert moved.replaces == ["region"]


def test_the_resource_class_and_the_api_members_follow_the_schema() -> None:
    import dataclasses
    import inspect
    import typing

    from botocore.model import StructureShape

    from pulumi_outposts_orders.aws.model import service_model
    from pulumi_outposts_orders.outposts.renewal import OutpostRenewal, OutpostRenewalArgs

    schema = inputs.RENEWAL_SCHEMA
    [keyword_form] = [o for o in typing.get_overloads(OutpostRenewal.__init__)
                      if "args" not in inspect.signature(o).parameters]
    keywords = [p.name for p in inspect.signature(keyword_form).parameters.values()
                if p.kind is inspect.Parameter.KEYWORD_ONLY]
    assert sorted(keywords) == sorted(schema.parameters)
    assert sorted(f.name for f in dataclasses.fields(OutpostRenewalArgs)) == sorted(schema.parameters)
    assert set(schema.outputs) <= set(inspect.get_annotations(OutpostRenewal))
    model = service_model()
    request = model.operation_model("CreateRenewal").input_shape
    assert isinstance(request, StructureShape)
    # Every CreateRenewal member is declared, but the ClientToken: the provider's own, never the user's.
    assert {m for m in schema.inputs.values() if m} == set(request.members) - {"ClientToken"}
    answered = set(model.operation_model("CreateRenewal").output_shape.members)
    billing = model.operation_model("GetOutpostBillingInformation").output_shape
    assert isinstance(billing, StructureShape)
    subscription = billing.members["Subscriptions"].member
    known = answered | set(billing.members) | set(subscription.members)
    assert {schema.field(name).api for name in schema.outputs} - {None} <= known
