"""AWS configuration like pulumi-aws, through the real engine: region sources and their precedence,
profiles named with their source, ``aws:assumeRoles`` into another account, the account check,
``aws:endpoints``.

The emulator resolves an Outpost ARN only in the caller's region and account, so an order placed
for ``arn_in(region)`` proves where CreateOrder went.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import botocore.exceptions
import pytest
from pulumi import automation as auto

from pulumi_outposts_orders.emulator.outposts.seed import RACK_OUTPOST_ID
from pulumi_outposts_orders.emulator.testing import (
    ACCOUNT_ID,
    EXTERNAL_ID,
    EXTERNAL_ID_ROLE_NAME,
    ROLE_NAME,
    SECOND_ACCESS_KEY_ID,
    SECOND_ACCOUNT_CREDENTIALS,
    SECOND_ACCOUNT_ID,
    TEST_ACCESS_KEY_ID,
    TEST_SECRET_ACCESS_KEY,
    RunningEmulator,
    boto3_env,
    role_arn,
)

from .conftest import StackHarness
from .programs import OUTPOST_ARN, aws_client, orders, rack

pytestmark = pytest.mark.e2e
Stacks = Callable[..., StackHarness]

REGION_VARIABLES = ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_CONFIG_FILE")
DEAD_ENDPOINT = "http://127.0.0.1:9"  # the discard port: nothing answers


def arn_in(region: str) -> str:
    """The seeded rack Outpost's ARN in ``region`` (it resolves only for calls made there)."""
    return OUTPOST_ARN.replace("us-east-1", region)


@pytest.fixture
def no_region(monkeypatch: pytest.MonkeyPatch) -> None:
    """Neither this process nor its stacks inherit a region or profile from the developer's shell."""
    for name in REGION_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def stack_with(stacks: Stacks, emulator: RunningEmulator, env: dict[str, str], config: dict[str, str] | None = None,
               ) -> StackHarness:
    """A stack whose only AWS settings besides the emulator's endpoints and keys are ``env`` and ``config``."""
    harness = stacks(emulator, config=config)
    harness.project.env.pop("AWS_DEFAULT_REGION")
    harness.project.env.update(env)  # the workspace reads this same mapping at every command
    return harness


def profile_file(tmp_path: Path, region: str) -> str:
    """An AWS config file with profile ``ops`` (a named profile brings its own keys, as on a laptop)."""
    path = tmp_path / "aws-config"
    path.write_text(f"[profile ops]\nregion = {region}\n"
                    f"aws_access_key_id = {TEST_ACCESS_KEY_ID}\naws_secret_access_key = {TEST_SECRET_ACCESS_KEY}\n")
    return str(path)


# --- region ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("source", ["input", "aws:region", "AWS_REGION", "AWS_DEFAULT_REGION", "profile"])
def test_each_region_source_alone_places_the_order_in_its_region(
    stacks: Stacks, outposts_emulator: RunningEmulator, no_region: None, tmp_path: Path, source: str
) -> None:
    region = {"input": "eu-west-1", "aws:region": "eu-west-2", "AWS_REGION": "eu-west-3",
              "AWS_DEFAULT_REGION": "eu-central-1", "profile": "eu-north-1"}[source]
    env = {source: region} if source.startswith("AWS_") else {}
    if source == "profile":
        env = {"AWS_CONFIG_FILE": profile_file(tmp_path, region), "AWS_PROFILE": "ops"}
    stack = stack_with(stacks, outposts_emulator, env, {"aws:region": region} if source == "aws:region" else None)
    region_input: dict[str, Any] = {"region": region} if source == "input" else {}
    inputs = rack(outpost_identifier=arn_in(region), **region_input)
    up = stack.up(orders(rack=inputs))
    order = up.outputs["rack"].value
    assert (order["region"], order["account_id"]) == (region, ACCOUNT_ID)
    assert stack.calls() == {"ListOrders": 1, "CreateOrder": 1}
    assert stack.sts_calls == {"GetCallerIdentity": 1}


def test_precedence_is_input_config_aws_region_aws_default_region_then_profile(
    stacks: Stacks, outposts_emulator: RunningEmulator, no_region: None, tmp_path: Path
) -> None:
    env = {"AWS_REGION": "eu-west-3", "AWS_DEFAULT_REGION": "eu-central-1",
           "AWS_CONFIG_FILE": profile_file(tmp_path, "eu-north-1"), "AWS_PROFILE": "ops"}
    stack = stack_with(stacks, outposts_emulator, env, {"aws:region": "eu-west-2"})
    declared = {"input": rack(outpost_identifier=arn_in("eu-west-1"), region="eu-west-1"),
                "config": rack(outpost_identifier=arn_in("eu-west-2"))}
    regions = {name: order.value["region"] for name, order in stack.up(orders(**declared)).outputs.items()}
    assert regions == {"input": "eu-west-1", "config": "eu-west-2"}
    # Take the winning source away each time: a new order goes to the next one; placed orders stay put.
    stack.stack.remove_config("aws:region")
    for removed, name, region in ((None, "aws_region", "eu-west-3"), ("AWS_REGION", "default", "eu-central-1"),
                                  ("AWS_DEFAULT_REGION", "profile", "eu-north-1")):
        if removed:
            stack.project.env.pop(removed)
        declared[name] = rack(outpost_identifier=arn_in(region))
        up = stack.up(orders(**declared))
        assert up.outputs[name].value["region"] == region
        assert up.summary.resource_changes == {"create": 1, "same": len(declared)}  # the stack and the others


def test_no_region_fails_at_preview_naming_region_without_any_call(
    stacks: Stacks, outposts_emulator: RunningEmulator, no_region: None
) -> None:
    stack = stack_with(stacks, outposts_emulator, {})
    with pytest.raises(auto.CommandError) as failed:
        stack.preview(orders(rack=rack()))
    assert "has a problem: region: no AWS region for `region`" in str(failed.value)
    assert "<nil>" not in str(failed.value)
    assert "aws:region" in str(failed.value) and "AWS_REGION" in str(failed.value)
    assert stack.calls() == {} and stack.sts_calls == {}
    # The engine configures the provider before it checks: the stack config is seen at preview.
    stack.stack.set_config("aws:region", auto.ConfigValue("us-east-1"))
    assert stack.preview(orders(rack=rack())).change_summary == {"create": 2}
    assert stack.calls() == {} and stack.sts_calls == {}


def test_aws_region_alone_works(stacks: Stacks, outposts_emulator: RunningEmulator, no_region: None) -> None:
    stack = stack_with(stacks, outposts_emulator, {"AWS_REGION": "us-east-1"})
    order = stack.up(orders(rack=rack())).outputs["rack"].value
    assert order["region"] == "us-east-1" and order["status"] == "PREPARING"


# --- profile ---------------------------------------------------------------------------------------
def test_an_unknown_profile_is_named_with_its_source_and_the_order_stays(
    stacks: Stacks, outposts_emulator: RunningEmulator, no_region: None
) -> None:
    stack = stack_with(stacks, outposts_emulator, {"AWS_REGION": "us-east-1"})
    order_id = stack.up(orders(rack=rack())).outputs["rack"].value["order_id"]
    stack.project.env["AWS_PROFILE"] = "typo"
    with pytest.raises(auto.CommandError) as failed:
        stack.refresh(orders(rack=rack()))
    assert "AWS profile 'typo' (from AWS_PROFILE) is not configured" in str(failed.value)
    stack.project.env.pop("AWS_PROFILE")
    stack.stack.set_config("aws:profile", auto.ConfigValue("typo"))
    with pytest.raises(auto.CommandError) as failed:
        stack.refresh(orders(rack=rack()))
    assert "AWS profile 'typo' (from aws:profile) is not configured" in str(failed.value)
    assert [o["id"] for o in stack.orders()] == [order_id]


# --- assumed roles and the account -----------------------------------------------------------------
FIRST_HOP, ROLE_ACCOUNT = "111122223333", "444455556666"


def test_an_order_through_assumed_roles_lands_in_the_roles_account_and_no_credential_is_stored(
    stacks: Stacks, outposts_emulator: RunningEmulator
) -> None:
    roles = [{"roleArn": role_arn(ROLE_NAME, FIRST_HOP), "sessionName": "ci"},
             {"roleArn": role_arn(EXTERNAL_ID_ROLE_NAME, ROLE_ACCOUNT), "externalId": EXTERNAL_ID, "duration": "15m"}]
    stack = stacks(outposts_emulator, config={"aws:assumeRoles": json.dumps(roles)})
    program = orders(a=rack(), b=rack(quantity=2), c=rack(quantity=3))
    up = stack.up(program)
    assert {order.value["account_id"] for order in up.outputs.values()} == {ROLE_ACCOUNT}
    stack.placed(3)
    assert stack.sts_calls == {"AssumeRole": 2, "GetCallerIdentity": 1}  # per process, not per order
    order_id = up.outputs["a"].value["order_id"]

    in_role_account = role_client(outposts_emulator)
    assert in_role_account.get_order(OrderId=order_id)["Order"]["Status"] == "PREPARING"
    with pytest.raises(botocore.exceptions.ClientError, match="NotFoundException"):
        aws_client(outposts_emulator).get_order(OrderId=order_id)  # the base account does not have it
    stack.calls()

    state = json.dumps(stack.stack.export_stack().deployment)
    issued = issued_credentials(outposts_emulator)
    assert len(issued) >= 2
    for secret in [TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY, *(v for c in issued for v in c)]:
        assert secret not in state
    assert stack.refresh(program).summary.resource_changes == {"same": 4}
    assert stack.calls() == {"GetOrder": 3}
    assert stack.sts_calls == {"AssumeRole": 2, "GetCallerIdentity": 1}
    stack.destroy()
    assert in_role_account.get_order(OrderId=order_id)["Order"]["Status"] == "CANCELLED"


def test_a_refresh_through_another_account_fails_naming_both_and_keeps_the_order(
    stacks: Stacks, outposts_emulator: RunningEmulator
) -> None:
    stack = stacks(outposts_emulator)
    program = orders(rack=rack())
    order_id = stack.up(program).outputs["rack"].value["order_id"]
    stack.calls()
    stack.project.env.update(boto3_env(outposts_emulator.endpoint, base=stack.project.env,
                                       credentials=SECOND_ACCOUNT_CREDENTIALS))
    for operation in (lambda: stack.refresh(program), stack.destroy):
        with pytest.raises(auto.CommandError) as refused:
            operation()
        message = str(refused.value)
        assert f"order {order_id}: the order lives in AWS account {ACCOUNT_ID}" in message
        assert f"act for account {SECOND_ACCOUNT_ID}" in message
        assert stack.calls() == {}  # refused before any Outposts call
        assert stack.sts_calls == {"GetCallerIdentity": 1}
    assert [o["id"] for o in stack.orders()] == [order_id]
    assert aws_client(outposts_emulator).get_order(OrderId=order_id)["Order"]["Status"] == "PREPARING"
    assert SECOND_ACCESS_KEY_ID not in json.dumps(stack.stack.export_stack().deployment)

    stack.project.env.update(boto3_env(outposts_emulator.endpoint, base=stack.project.env))
    assert stack.refresh(program).summary.resource_changes == {"same": 2}


# --- endpoints -------------------------------------------------------------------------------------
def test_aws_endpoints_win_over_the_endpoint_variables(stacks: Stacks, outposts_emulator: RunningEmulator) -> None:
    stack = stacks(outposts_emulator)
    # Set as pulumi-aws documents it: objects in a list, by path.
    for path in ("aws:endpoints[0].outposts", "aws:endpoints[1].sts"):
        stack.stack.set_config(path, auto.ConfigValue(outposts_emulator.endpoint), path=True)
    stack.project.env.update(AWS_ENDPOINT_URL_OUTPOSTS=DEAD_ENDPOINT, AWS_ENDPOINT_URL_STS=DEAD_ENDPOINT)
    order = stack.up(orders(rack=rack(outpost_identifier=RACK_OUTPOST_ID))).outputs["rack"].value
    assert order["status"] == "PREPARING" and order["account_id"] == ACCOUNT_ID
    assert stack.calls() == {"ListOrders": 1, "CreateOrder": 1}
    stack.stack.remove_config("aws:endpoints")  # now the variables count: nothing answers there
    with pytest.raises(auto.CommandError) as failed:
        stack.refresh(orders(rack=rack(outpost_identifier=RACK_OUTPOST_ID)))
    assert f"STS GetCallerIdentity at {DEAD_ENDPOINT} failed" in str(failed.value)


# --- helpers ---------------------------------------------------------------------------------------
def role_client(emulator: RunningEmulator) -> Any:
    """An Outposts client of the role account, reached as the provider does (two hops)."""
    env = boto3_env(emulator.endpoint)
    session = boto3.session.Session(aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
                                    aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"])
    for arn, extra in ((role_arn(ROLE_NAME, FIRST_HOP), {}),
                       (role_arn(EXTERNAL_ID_ROLE_NAME, ROLE_ACCOUNT), {"ExternalId": EXTERNAL_ID})):
        issued = session.client("sts", region_name="us-east-1", endpoint_url=emulator.endpoint).assume_role(
            RoleArn=arn, RoleSessionName="test", **extra)["Credentials"]
        session = boto3.session.Session(aws_access_key_id=issued["AccessKeyId"],
                                        aws_secret_access_key=issued["SecretAccessKey"],
                                        aws_session_token=issued["SessionToken"])
    return session.client("outposts", region_name="us-east-1", endpoint_url=emulator.endpoint)


def issued_credentials(emulator: RunningEmulator) -> list[tuple[str, str, str]]:
    """Every temporary credential the emulator's STS issued: (access key ID, secret, session token)."""
    with sqlite3.connect(f"file:{emulator.db}?mode=ro", uri=True) as db:
        bodies = [json.loads(row[0]) for row in db.execute("SELECT body FROM documents WHERE kind = 'sts_credential'")]
    return [(b["AccessKeyId"], b["SecretAccessKey"], b["SessionToken"]) for b in bodies]

