"""Where AWS calls go (region/profile resolution), the client cache, and actionable AWS errors."""

from __future__ import annotations

import botocore.exceptions
import pytest

from pulumi_outposts_orders import _aws
from pulumi_outposts_orders._errors import describe, refused_before_placing
from pulumi_outposts_orders.emulator.testing import boto3_env

STACK = _aws.StackAwsConfig(region="eu-west-3", profile=None)


@pytest.fixture(autouse=True)
def emulator_like_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A clean AWS environment (region us-east-1, no profiles) and no cached clients."""
    for key, value in boto3_env("http://127.0.0.1:9", base={}).items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    _aws.clear_clients()


def test_region_input_wins_then_stack_config_then_environment() -> None:
    assert _aws.resolve_target("us-west-2", None, STACK).region == "us-west-2"
    assert _aws.resolve_target(None, None, STACK).region == "eu-west-3"
    assert _aws.resolve_target(None, None, _aws.StackAwsConfig()).region == "us-east-1"


def test_no_region_anywhere_is_an_error_saying_where_to_set_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    with pytest.raises(_aws.AwsConfigError, match="aws:region"):
        _aws.resolve_target(None, None, _aws.StackAwsConfig())


def test_profile_input_wins_over_stack_config_and_unknown_profiles_are_named() -> None:
    stack = _aws.StackAwsConfig(profile="from-config")
    assert _aws.resolve_profile("from-input", stack) == "from-input"
    assert _aws.resolve_profile(None, stack) == "from-config"
    assert _aws.resolve_profile(None, _aws.StackAwsConfig()) is None
    with pytest.raises(_aws.AwsConfigError, match="'from-config' is not configured"):
        _aws.client(_aws.resolve_target("us-west-2", None, stack))


def test_stack_config_reads_only_the_two_keys() -> None:
    config = {"aws:region": "ap-south-1", "aws:profile": "", "aws:secretKey": "not-read"}
    assert _aws.StackAwsConfig.from_config(config.get) == _aws.StackAwsConfig(region="ap-south-1", profile=None)


def test_one_client_per_configuration_and_create_order_is_sent_once() -> None:
    target = _aws.Target("us-east-1", None)
    reads = _aws.client(target)
    assert _aws.client(target) is reads
    assert _aws.client(_aws.Target("us-west-2", None)) is not reads
    place = _aws.client(target, _aws.Calls.SEND_ONCE)
    assert place is not reads
    assert place.meta.config.retries["total_max_attempts"] == 1
    assert reads.meta.config.retries["total_max_attempts"] > 1


def test_aws_errors_name_the_call_the_subject_and_what_aws_said() -> None:
    error = botocore.exceptions.ClientError(
        {
            "Error": {"Code": "ConflictException", "Message": "Order is IN_PROGRESS"},
            "ResponseMetadata": {"HTTPStatusCode": 409},
        },
        "CancelOrder",
    )
    message = str(describe(error, "CancelOrder", "order oo-0123456789abcdef0", _aws.Target("us-east-1", "ops")))
    assert message.startswith("CancelOrder for order oo-0123456789abcdef0 failed (region us-east-1, profile ops)")
    assert "AWS said ConflictException (HTTP 409): Order is IN_PROGRESS" in message
    assert refused_before_placing(error)


def test_only_a_4xx_answer_proves_create_order_placed_nothing() -> None:
    server = botocore.exceptions.ClientError(
        {"Error": {"Code": "InternalServerException"}, "ResponseMetadata": {"HTTPStatusCode": 500}}, "CreateOrder"
    )
    assert not refused_before_placing(server)
    assert not refused_before_placing(botocore.exceptions.ReadTimeoutError(endpoint_url="http://x"))
    assert refused_before_placing(botocore.exceptions.EndpointConnectionError(endpoint_url="http://x"))
