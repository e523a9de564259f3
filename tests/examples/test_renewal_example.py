"""examples/renewal: the review prices the renewal; `pulumi up` renews once, at the approved price only."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest
from e2e_project import new_project, resources
from pulumi import automation as auto

from pulumi_outposts_orders._tokens import RENEWAL_TYPE
from pulumi_outposts_orders.emulator.testing import RunningEmulator

pytestmark = pytest.mark.e2e
OUTPOST = "op-0123456789abcdef0"


def test_review_then_renew_at_the_approved_price(tmp_path: Path, emulator: RunningEmulator) -> None:
    project = new_project(tmp_path, emulator, example="renewal")
    stack = project.stack()
    stack.set_config("aws:region", auto.ConfigValue("us-west-2"))
    outposts = boto3.client("outposts", region_name="us-west-2", endpoint_url=emulator.endpoint,
                            aws_access_key_id="test", aws_secret_access_key="test")
    [price] = [o["SubscriptionPricingDetails"] for o in outposts.get_renewal_pricing(OutpostIdentifier=OUTPOST)[
        "PricingOptions"] if o["SubscriptionPricingDetails"]["PaymentOption"] == "ALL_UPFRONT"
        and o["SubscriptionPricingDetails"]["PaymentTerm"] == "THREE_YEARS"]

    review = project.outposts_orders("review", stdin=stack.preview(json=True).stdout)
    assert "**RENEWAL: irreversible; upfront charged now**" in review.stdout, review.stdout
    assert f"${price['UpfrontPrice']:,.2f}" in review.stdout
    stack.set_config("expected_upfront_price", auto.ConfigValue(str(price["UpfrontPrice"] + 1)))  # stale approval
    with pytest.raises(auto.CommandError, match="not at the approved price"):
        stack.up()
    assert emulator.admin.calls().get("CreateRenewal", 0) == 0
    stack.set_config("expected_upfront_price", auto.ConfigValue(str(price["UpfrontPrice"])))
    renewed = stack.up().outputs["renewal"].value
    assert renewed["status"] == "PENDING" and renewed["upfront"] == price["UpfrontPrice"]
    [state] = resources(stack, RENEWAL_TYPE)
    assert state["id"] == renewed["subscription"]
    stack.up()
    assert emulator.admin.calls().get("CreateRenewal") == 1
