"""Where AWS calls go (region/profile/roles/endpoints resolution), the client cache, and actionable AWS errors."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import botocore.exceptions
import pytest

from pulumi_outposts_orders.aws import clients as _clients
from pulumi_outposts_orders.aws import settings as _aws
from pulumi_outposts_orders.aws.errors import explain, refused_before_placing
from pulumi_outposts_orders.emulator.testing import ROLE_NAME, RunningEmulator, boto3_env, role_arn

STACK = _aws.StackAwsConfig(region="eu-west-3", profile=None)


@pytest.fixture(autouse=True)
def emulator_like_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A clean AWS environment (region us-east-1, no profiles) and no cached clients."""
    for key, value in boto3_env("http://127.0.0.1:9", base={}).items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    _clients.clear_clients()


def test_region_order_is_input_config_aws_region_aws_default_region_then_profile(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "config").write_text("[profile ops]\nregion = sa-east-1\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_PROFILE", "ops")
    monkeypatch.setenv("AWS_REGION", "ap-south-1")  # and AWS_DEFAULT_REGION=us-east-1

    def where(declared: str | None, stack: _aws.StackAwsConfig) -> tuple[str, str]:
        target = _aws.resolve_target(declared, None, stack)
        return target.region, target.region_source

    assert where("us-west-2", STACK) == ("us-west-2", "the resource's `region`")
    assert where(None, STACK) == ("eu-west-3", "aws:region")
    assert where(None, _aws.StackAwsConfig()) == ("ap-south-1", "AWS_REGION")
    monkeypatch.delenv("AWS_REGION")
    assert where(None, _aws.StackAwsConfig()) == ("us-east-1", "AWS_DEFAULT_REGION")
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    assert where(None, _aws.StackAwsConfig()) == ("sa-east-1", "the `region` of AWS profile 'ops' (from AWS_PROFILE)")


def test_aws_region_alone_is_enough(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.setenv("AWS_REGION", "eu-north-1")
    assert _aws.resolve_target(None, None, _aws.StackAwsConfig()).region == "eu-north-1"


def test_no_region_anywhere_is_an_error_naming_region_and_where_to_set_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    with pytest.raises(_aws.AwsConfigError, match=r"no AWS region for `region`.*aws:region.*AWS_REGION") as raised:
        _aws.resolve_target(None, None, _aws.StackAwsConfig())
    assert raised.value.setting == "region"
    assert _aws.check_target(None, None, _aws.StackAwsConfig()) is not None
    assert _aws.check_target("us-west-2", None, _aws.StackAwsConfig()) is None


def test_a_profile_this_machine_does_not_have_fails_the_preview_naming_it_and_its_source(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_PROFILE", "no-such-profile")
    _clients.clear_clients()
    failure = _aws.check_target("us-west-2", None, _aws.StackAwsConfig())
    assert failure is not None and failure.setting == "profile"
    assert str(failure).startswith("AWS profile 'no-such-profile' (from AWS_PROFILE) is not configured")


def test_profile_order_is_input_config_aws_profile_then_default_chain(monkeypatch: pytest.MonkeyPatch) -> None:
    stack = _aws.StackAwsConfig(profile="from-config")
    monkeypatch.setenv("AWS_PROFILE", "from-env")
    assert _aws.resolve_profile("from-input", stack) == ("from-input", "the resource's `profile` input")
    assert _aws.resolve_profile(None, stack) == ("from-config", "aws:profile")
    assert _aws.resolve_profile(None, _aws.StackAwsConfig()) == ("from-env", "AWS_PROFILE")
    monkeypatch.delenv("AWS_PROFILE")
    assert _aws.resolve_profile(None, _aws.StackAwsConfig())[0] is None


@pytest.mark.parametrize(("declared", "stack", "env", "source"), [
    ("typo", _aws.StackAwsConfig(), None, "the resource's `profile` input"),
    (None, _aws.StackAwsConfig(profile="typo"), None, "aws:profile"),
    (None, _aws.StackAwsConfig(), "typo", "AWS_PROFILE"),
    (None, _aws.StackAwsConfig(profile="typo", profile_source="--profile"), None, "--profile"),
])
def test_an_unknown_profile_is_named_with_its_source(
    monkeypatch: pytest.MonkeyPatch, declared: str | None, stack: _aws.StackAwsConfig, env: str | None, source: str
) -> None:
    if env:
        monkeypatch.setenv("AWS_PROFILE", env)
    with pytest.raises(_aws.AwsConfigError) as raised:
        _clients.client(_aws.resolve_target("us-west-2", declared, stack))
    assert str(raised.value).startswith(f"AWS profile 'typo' (from {source}) is not configured")
    assert raised.value.setting == "profile"


def test_stack_config_reads_region_profile_roles_and_the_two_endpoints() -> None:
    config = {
        "aws:region": "ap-south-1", "aws:profile": "", "aws:secretKey": "not-read",
        "aws:assumeRoles": json.dumps([
            {"roleArn": "arn:aws:iam::111122223333:role/a", "sessionName": "ci", "duration": "1h30m",
             "externalId": "x", "policyArns": ["arn:aws:iam::aws:policy/ReadOnly"], "tags": {"team": "hw"},
             "transitiveTagKeys": ["team"], "sourceIdentity": "me"},
            {"roleArn": "arn:aws:iam::444455556666:role/b"},
            {"sessionName": "no role: skipped as pulumi-aws does"},
        ]),
        "aws:endpoints": json.dumps([{"outposts": "http://a"}, {"ec2": "http://ignored", "sts": "http://b"}]),
    }
    stack = _aws.StackAwsConfig.from_config(config.get)
    assert (stack.region, stack.profile) == ("ap-south-1", None)
    assert [role.role_arn for role in stack.assume_roles] == [
        "arn:aws:iam::111122223333:role/a", "arn:aws:iam::444455556666:role/b"]
    assert stack.assume_roles[0].request() == {
        "RoleArn": "arn:aws:iam::111122223333:role/a", "RoleSessionName": "ci", "ExternalId": "x",
        "DurationSeconds": 5400, "PolicyArns": [{"arn": "arn:aws:iam::aws:policy/ReadOnly"}],
        "Tags": [{"Key": "team", "Value": "hw"}], "TransitiveTagKeys": ["team"], "SourceIdentity": "me"}
    assert stack.assume_roles[1].request() == {
        "RoleArn": "arn:aws:iam::444455556666:role/b", "RoleSessionName": "pulumi-outposts-orders"}
    assert dict(stack.endpoints) == {"outposts": "http://a", "sts": "http://b"}


@pytest.mark.parametrize(("key", "value", "message"), [
    ("aws:assumeRoles", '[{"roleArn": "arn:aws:iam::111122223333:role/a", "duration": "15 minutes"}]',
     r"aws:assumeRoles\[0\].duration must be a duration such as 15m"),
    ("aws:assumeRoles", "not json", "aws:assumeRoles must be a list of objects"),
    ("aws:endpoints", '["http://a"]', r"aws:endpoints\[0\] must be an object keyed by service"),
])
def test_malformed_config_is_named(key: str, value: str, message: str) -> None:
    with pytest.raises(_aws.AwsConfigError, match=message):
        _aws.StackAwsConfig.from_config({key: value}.get)


def test_aws_endpoints_win_over_the_environment_variables() -> None:
    stack = _aws.StackAwsConfig(endpoints=(("outposts", "http://127.0.0.1:7"),))
    assert _clients.client(_aws.resolve_target(None, None, stack)).meta.endpoint_url == "http://127.0.0.1:7"
    assert _clients.client(_aws.resolve_target(None, None, _aws.StackAwsConfig())).meta.endpoint_url == "http://127.0.0.1:9"


def test_assumed_role_credentials_are_fetched_once_and_refreshed_before_they_expire(
    emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in boto3_env(emulator.endpoint, base={}).items():
        monkeypatch.setenv(key, value)
    role = _aws.AssumeRole(role_arn(ROLE_NAME, "111122223333"), duration_seconds=900)
    target = _aws.resolve_target(None, None, _aws.StackAwsConfig(assume_roles=(role,)))
    start = datetime.datetime.now(datetime.UTC)
    later = [datetime.timedelta(0)]
    monkeypatch.setattr(_clients, "_now", lambda: start + later[0])
    emulator.admin.reset_calls()
    for _ in range(3):
        _clients.client(target).list_orders()
    assert _clients.account(target) == _clients.account(target) == "111122223333"
    assert emulator.admin.calls() == {"AssumeRole": 1, "ListOrders": 3, "GetCallerIdentity": 1}
    later[0] = datetime.timedelta(minutes=5)  # 10 of 15 minutes left: still good
    _clients.client(target).list_orders()
    assert emulator.admin.calls().get("AssumeRole") == 1
    later[0] = datetime.timedelta(minutes=14)  # 1 minute left: renewed before the call
    _clients.client(target).list_orders()
    assert emulator.admin.calls().get("AssumeRole") == 2


def test_one_client_per_configuration_and_create_order_is_sent_once() -> None:
    target = _aws.Target("us-east-1", None)
    reads = _clients.client(target)
    assert _clients.client(target) is reads
    assert _clients.client(_aws.Target("us-west-2", None)) is not reads
    place = _clients.client(target, _clients.Calls.SEND_ONCE)
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
    message = str(explain(error, "CancelOrder", "order oo-0123456789abcdef0", _aws.Target("us-east-1", "ops")))
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
