"""examples/with_pulumi_aws under Pulumi's mocks (the pulumi-aws plugin cannot be downloaded here).

The mocks stand in for the engine and the AWS provider: they answer the two pulumi-aws look-ups
and record what the program asks the engine to create. The program itself is the example's file.
"""

from __future__ import annotations

import runpy
from typing import Any

import pulumi
import pytest
from e2e_project import EXAMPLES

from pulumi_outposts_orders._tokens import ORDER_TYPE

pytest.importorskip("pulumi_aws", reason="install the `aws` extra: pip install -e '.[aws]'")

OUTPOST_ID = "op-0123456789abcdef0"
OUTPOST_ARN = f"arn:aws:outposts:us-west-2:123456789012:outpost/{OUTPOST_ID}"


class Mocks(pulumi.runtime.Mocks):
    """pulumi-aws's Outposts look-ups, and a record of every resource registered."""

    def __init__(self, lifecycle_status: str = "ACTIVE") -> None:
        self.lifecycle_status = lifecycle_status
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.resources: list[pulumi.runtime.MockResourceArgs] = []

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        self.calls.append((args.token, dict(args.args)))
        if args.token == "aws:outposts/getOutpost:getOutpost":
            return {"id": OUTPOST_ID, "arn": OUTPOST_ARN, "name": args.args.get("name"),
                    "siteId": "os-0123456789abcdef0", "lifecycleStatus": self.lifecycle_status,
                    "supportedHardwareType": "RACK", "region": "us-west-2", "ownerId": "123456789012"}, []
        if args.token == "aws:outposts/getSite:getSite":
            return {"id": args.args.get("id"), "name": "Seattle lab", "accountId": "123456789012",
                    "region": "us-west-2"}, []
        raise AssertionError(f"unexpected call {args.token}")

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        self.resources.append(args)
        return "oo-0123456789abcdef0", {**args.inputs, "order_id": "oo-0123456789abcdef0", "status": "PREPARING"}


def run_example(mocks: Mocks) -> dict[str, Any]:
    pulumi.runtime.set_mocks(mocks, project="outposts-with-pulumi-aws", stack="test", preview=False)
    return runpy.run_path(str(EXAMPLES / "with_pulumi_aws" / "__main__.py"))


@pulumi.runtime.test
def test_the_order_goes_to_the_looked_up_outposts_arn_and_region() -> pulumi.Output[Any]:
    mocks = Mocks()
    program = run_example(mocks)

    def check(values: list[Any]) -> None:
        order_id, site = values
        assert order_id == "oo-0123456789abcdef0"
        assert site == "Seattle lab"
        [order] = [r for r in mocks.resources if r.typ == ORDER_TYPE]
        assert order.inputs["outpost_identifier"] == OUTPOST_ARN
        assert order.inputs["region"] == "us-west-2"
        assert order.inputs["line_items"] == [{"catalog_item_id": "OR-A1B2C3D", "quantity": 1}]
        tokens = [token for token, _ in mocks.calls]
        assert tokens == ["aws:outposts/getOutpost:getOutpost", "aws:outposts/getSite:getSite"]
        assert mocks.calls[0][1]["name"] == "seattle-rack"
        assert mocks.calls[1][1]["id"] == "os-0123456789abcdef0"  # the site of that Outpost

    return pulumi.Output.all(program["order"].order_id, program["site"].name).apply(check)


def test_an_outpost_that_is_not_active_stops_the_program() -> None:
    @pulumi.runtime.test
    def run() -> pulumi.Output[Any]:
        order = run_example(Mocks(lifecycle_status="RETIRED"))["order"]
        outpost_identifier: pulumi.Output[str] = order.outpost_identifier
        return outpost_identifier

    with pytest.raises(Exception, match="Outpost 'seattle-rack' is RETIRED; only ACTIVE Outposts take orders"):
        run()
