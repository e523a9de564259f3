"""STS on the emulator's port, through unmodified boto3 (AWS_ENDPOINT_URL_STS) and the AWS CLI."""

from __future__ import annotations

import datetime
import math
import os
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ConnectionClosedError
from botocore.retries.standard import RetryContext, ThrottledRetryableChecker

from pulumi_outposts_orders.emulator import testing
from pulumi_outposts_orders.emulator.outposts import seed
from pulumi_outposts_orders.emulator.testing import RunningEmulator, boto3_env, role_arn

from .conftest import client_of
from .helpers import error_of
from .test_cli import aws

ROLE = role_arn(account=testing.SECOND_ACCOUNT_ID)
NS = "https://sts.amazonaws.com/doc/2011-06-15/"


def sts_of(emulator: RunningEmulator, credentials: dict[str, str] | None = None, config: Config | None = None) -> Any:
    """An STS client: the seed account's test key, or ``credentials`` as AssumeRole returns them."""
    return client_of(emulator, config or Config(retries={"total_max_attempts": 1}), "sts", **_session(credentials))


def outposts_of(emulator: RunningEmulator, credentials: dict[str, str]) -> Any:
    """An Outposts client signing with AssumeRole's ``credentials``."""
    return client_of(emulator, **_session(credentials))


def assume(sts: Any, arn: str = ROLE, **params: Any) -> dict[str, Any]:
    """AssumeRole's whole response."""
    response: dict[str, Any] = sts.assume_role(RoleArn=arn, RoleSessionName=params.pop("session", "tests"), **params)
    return response


def _session(credentials: dict[str, str] | None) -> dict[str, str]:
    if credentials is None:
        return {}
    return {"aws_access_key_id": credentials["AccessKeyId"], "aws_secret_access_key": credentials["SecretAccessKey"],
            "aws_session_token": credentials["SessionToken"]}


def test_each_access_key_is_a_user_of_its_account(live: RunningEmulator) -> None:
    seed_user = sts_of(live).get_caller_identity()
    assert (seed_user["Account"], seed_user["Arn"]) == (testing.ACCOUNT_ID,
                                                        f"arn:aws:iam::{testing.ACCOUNT_ID}:user/emulator-test")
    assert seed_user["UserId"].startswith("AIDA")
    second = client_of(live, service="sts", aws_access_key_id=testing.SECOND_ACCESS_KEY_ID,
                       aws_secret_access_key=testing.SECOND_SECRET_ACCESS_KEY).get_caller_identity()
    assert (second["Account"], second["Arn"]) == (testing.SECOND_ACCOUNT_ID,
                                                  f"arn:aws:iam::{testing.SECOND_ACCOUNT_ID}:user/emulator-second")
    other = client_of(live, service="sts", aws_access_key_id="AKIAUNSEEDED", aws_secret_access_key="x")
    assert other.get_caller_identity()["Arn"] == f"arn:aws:iam::{testing.ACCOUNT_ID}:user/emulator-user"


def test_assumed_role_credentials_act_for_the_roles_account(live: RunningEmulator) -> None:
    before = live.admin.now()
    response = assume(sts_of(live), session="deploy", DurationSeconds=900)
    after = live.admin.now()
    credentials, user = response["Credentials"], response["AssumedRoleUser"]
    assert credentials["AccessKeyId"].startswith("ASIA") and len(credentials["AccessKeyId"]) == 20
    assert credentials["SecretAccessKey"] and len(credentials["SessionToken"]) > 100
    expires = credentials["Expiration"].timestamp()
    assert math.floor(before) + 900 <= expires <= after + 900
    arn = f"arn:aws:sts::{testing.SECOND_ACCOUNT_ID}:assumed-role/{testing.ROLE_NAME}/deploy"
    assert user["Arn"] == arn and user["AssumedRoleId"].startswith("AROA") and user["AssumedRoleId"].endswith(":deploy")
    me = sts_of(live, credentials).get_caller_identity()
    assert (me["Account"], me["Arn"], me["UserId"]) == (testing.SECOND_ACCOUNT_ID, arn, user["AssumedRoleId"])
    outpost = outposts_of(live, credentials).get_outpost(OutpostId=seed.RACK_OUTPOST_ID)["Outpost"]
    assert outpost["OwnerId"] == testing.SECOND_ACCOUNT_ID
    assert outpost["OutpostArn"] == (f"arn:aws:outposts:us-east-1:{testing.SECOND_ACCOUNT_ID}:outpost/"
                                     f"{seed.RACK_OUTPOST_ID}")


def test_a_role_path_is_kept_in_its_arn_but_not_in_the_session_arn(live: RunningEmulator) -> None:
    user = assume(sts_of(live), role_arn("team/ordering/orders", "111122223333"), session="s1")["AssumedRoleUser"]
    assert user["Arn"] == "arn:aws:sts::111122223333:assumed-role/orders/s1"


def test_a_role_that_needs_an_external_id_refuses_a_missing_or_wrong_one(live: RunningEmulator) -> None:
    sts = sts_of(live)
    arn = role_arn(testing.EXTERNAL_ID_ROLE_NAME, testing.SECOND_ACCOUNT_ID)
    for wrong in ({}, {"ExternalId": "not-the-external-id"}):
        error = error_of(assume, sts=sts, arn=arn, **wrong)
        assert (error["Code"], error["HTTPStatusCode"], error["Type"]) == ("AccessDenied", 403, "Sender")
        assert error["Message"] == (f"User: arn:aws:iam::{testing.ACCOUNT_ID}:user/emulator-test is not authorized to "
                                    f"perform: sts:AssumeRole on resource: {arn}")
    credentials = assume(sts, arn, ExternalId=testing.EXTERNAL_ID)["Credentials"]
    assert sts_of(live, credentials).get_caller_identity()["Account"] == testing.SECOND_ACCOUNT_ID
    assert assume(sts, ROLE, ExternalId="ignored-when-not-required")["Credentials"]["AccessKeyId"].startswith("ASIA")
    denied = error_of(assume, sts=sts, arn=role_arn(testing.DENIED_ROLE_NAME, testing.SECOND_ACCOUNT_ID))
    assert denied["Code"] == "AccessDenied"


@pytest.mark.parametrize(("params", "code", "words"), [
    ({"session": "has space"}, "ValidationError", "RoleSessionName must be a session name of letters"),
    ({"arn": "arn:aws:iam::123456789012:user/someone"}, "ValidationError", "is not an IAM role ARN"),
    ({"arn": "arn:aws:iam::12345:role/short-account"}, "ValidationError", "is not an IAM role ARN"),
    ({"DurationSeconds": 43201}, "ValidationError", "DurationSeconds must be <= 43200"),
    ({"DurationSeconds": 7200}, "ValidationError", "exceeds the MaxSessionDuration set for this role"),
    ({"ExternalId": "has space"}, "ValidationError", "ExternalId must be an external ID of letters"),
    ({"Tags": [{"Key": "bad*key", "Value": "v"}]}, "ValidationError", "Tags[0].Key must be a tag key of letters"),
    ({"Tags": [{"Key": f"k{n}", "Value": "v"} for n in range(51)]}, "ValidationError", "at most 50 items"),
    ({"Policy": "{not json"}, "MalformedPolicyDocument", "not in the valid JSON format"),
])
def test_invalid_assume_role_requests_are_refused_naming_the_problem(
    live: RunningEmulator, params: dict[str, Any], code: str, words: str
) -> None:
    error = error_of(assume, sts=sts_of(live), **params)
    assert (error["Code"], error["HTTPStatusCode"]) == (code, 400)
    assert words in error["Message"]
    assert live.admin.calls() == {"AssumeRole": 1}


def test_session_policies_tags_and_source_identity_are_accepted(live: RunningEmulator) -> None:
    policy = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "outposts:*", "Resource": "*"}]}'
    response = assume(sts_of(live), Policy=policy, SourceIdentity="alice", TransitiveTagKeys=["team"],
                      Tags=[{"Key": "team", "Value": "infra"}, {"Key": "cost centre", "Value": "42"}],
                      PolicyArns=[{"arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}])
    assert response["SourceIdentity"] == "alice"


def test_roles_chain_and_chained_sessions_are_limited_to_an_hour(live: RunningEmulator) -> None:
    first = assume(sts_of(live), session="hop1")["Credentials"]
    hop = sts_of(live, first)
    second = assume(hop, role_arn("orders", "111111111111"), session="hop2")["Credentials"]
    me = sts_of(live, second).get_caller_identity()
    assert me["Arn"] == "arn:aws:sts::111111111111:assumed-role/orders/hop2"
    error = error_of(assume, sts=hop, arn=role_arn("orders", "111111111111"), DurationSeconds=3601)
    assert error["Code"] == "ValidationError" and "1 hour session limit for roles assumed by role chaining" in error[
        "Message"]


def test_expired_credentials_are_refused_until_assumed_again(emulator: RunningEmulator) -> None:
    sts = sts_of(emulator)
    credentials = assume(sts, DurationSeconds=900)["Credentials"]
    sts_of(emulator, credentials).get_caller_identity()
    emulator.admin.advance_days(899 / 86_400)
    sts_of(emulator, credentials).get_caller_identity()  # one second left
    emulator.admin.advance_days(1 / 86_400)
    error = error_of(sts_of(emulator, credentials).get_caller_identity)
    assert (error["Code"], error["HTTPStatusCode"]) == ("ExpiredToken", 403)
    assert error["Message"] == "The security token included in the request is expired"
    error = error_of(outposts_of(emulator, credentials).list_orders)
    assert (error["Code"], error["HTTPStatusCode"]) == ("ExpiredTokenException", 403)
    renewed = assume(sts)["Credentials"]
    assert sts_of(emulator, renewed).get_caller_identity()["Account"] == testing.SECOND_ACCOUNT_ID


def test_temporary_credentials_need_their_token_and_secret(live: RunningEmulator) -> None:
    credentials = assume(sts_of(live))["Credentials"]
    forged_token = {**credentials, "SessionToken": credentials["SessionToken"][:-4] + "AAAA"}
    error = error_of(sts_of(live, forged_token).get_caller_identity)
    assert (error["Code"], error["HTTPStatusCode"]) == ("InvalidClientTokenId", 403)
    assert error_of(outposts_of(live, forged_token).list_sites)["Code"] == "UnrecognizedClientException"
    no_token = client_of(live, service="sts", aws_access_key_id=credentials["AccessKeyId"],
                         aws_secret_access_key=credentials["SecretAccessKey"])
    assert error_of(no_token.get_caller_identity)["Code"] == "InvalidClientTokenId"
    wrong_secret = {**credentials, "SecretAccessKey": "not-the-secret"}
    error = error_of(sts_of(live, wrong_secret).get_caller_identity)
    assert (error["Code"], error["HTTPStatusCode"]) == ("SignatureDoesNotMatch", 403)
    assert error_of(outposts_of(live, wrong_secret).list_sites)["Code"] == "InvalidSignatureException"


def test_strict_mode_accepts_the_temporary_credentials_it_issued() -> None:
    with RunningEmulator(args=["--credentials", "AKIASTRICT:right-secret"]) as running:
        sts = client_of(running, service="sts", aws_access_key_id="AKIASTRICT", aws_secret_access_key="right-secret")
        credentials = assume(sts)["Credentials"]
        assert sts_of(running, credentials).get_caller_identity()["Account"] == testing.SECOND_ACCOUNT_ID
        assert outposts_of(running, credentials).list_orders()["Orders"] == []
        other = client_of(running, service="sts", aws_access_key_id="AKIAOTHER", aws_secret_access_key="right-secret")
        assert error_of(other.get_caller_identity)["Code"] == "InvalidClientTokenId"


def test_sts_calls_are_counted_and_take_faults_by_name_only(live: RunningEmulator) -> None:
    sts = sts_of(live)
    sts.get_caller_identity()
    assume(sts)
    assert live.admin.calls() == {"GetCallerIdentity": 1, "AssumeRole": 1}
    live.admin.set_faults({"*": {"error_rate": 1.0}})
    sts.get_caller_identity()  # "*" is the Outposts operations
    live.admin.set_faults({"AssumeRole": {"throttle_rate": 1.0}, "GetCallerIdentity": {"error_rate": 1.0}})
    error = error_of(assume, sts=sts)
    assert (error["Code"], error["HTTPStatusCode"]) == ("Throttling", 400)
    assert ThrottledRetryableChecker().is_retryable(RetryContext(attempt_number=1, parsed_response={"Error": error}))
    error = error_of(sts.get_caller_identity)
    assert (error["Code"], error["HTTPStatusCode"]) == ("InternalFailure", 500)
    live.admin.set_faults({"AssumeRole": {"drop_response_after_commit": 1}})
    with pytest.raises(ConnectionClosedError):
        assume(sts)
    assert live.admin.calls() == {"GetCallerIdentity": 3, "AssumeRole": 3}


def test_the_wire_is_the_query_protocol_with_xml_errors(live: RunningEmulator) -> None:
    form = urllib.parse.urlencode({"Action": "GetCallerIdentity", "Version": "2011-06-15"}).encode()
    status, body = _raw_xml(live, form)
    assert status == 403 and _error_fields(body) == ("Sender", "MissingAuthenticationToken")
    status, body = _raw_xml(live, b"Action=NoSuchThing&Version=2011-06-15")
    assert status == 400 and _error_fields(body)[1] == "InvalidAction"
    assert body.find(f"{{{NS}}}RequestId") is not None
    error = error_of(sts_of(live).get_session_token)
    assert (error["Code"], error["HTTPStatusCode"]) == ("NotImplementedException", 501)
    assert live.admin.calls() == {"GetCallerIdentity": 1, "GetSessionToken": 1}


def test_the_aws_cli_gets_identities_and_assumes_roles(emulator: RunningEmulator) -> None:
    assert aws(emulator, "sts", "get-caller-identity")["Account"] == testing.ACCOUNT_ID
    arn = role_arn(testing.EXTERNAL_ID_ROLE_NAME, testing.SECOND_ACCOUNT_ID)
    assumed = aws(emulator, "sts", "assume-role", "--role-arn", arn, "--role-session-name", "cli",
                  "--external-id", testing.EXTERNAL_ID, "--duration-seconds", "1800")
    credentials = assumed["Credentials"]
    expires = datetime.datetime.fromisoformat(credentials["Expiration"]).timestamp()
    assert abs(expires - (emulator.admin.now() + 1800)) < 5
    role_env = {"AWS_ACCESS_KEY_ID": credentials["AccessKeyId"], "AWS_SESSION_TOKEN": credentials["SessionToken"],
                "AWS_SECRET_ACCESS_KEY": credentials["SecretAccessKey"]}
    me = aws(emulator, "sts", "get-caller-identity", **role_env)
    assert me["Arn"] == f"arn:aws:sts::{testing.SECOND_ACCOUNT_ID}:assumed-role/{testing.EXTERNAL_ID_ROLE_NAME}/cli"
    outpost = aws(emulator, "outposts", "get-outpost", "--outpost-id", seed.RACK_OUTPOST_ID, **role_env)["Outpost"]
    assert outpost["OwnerId"] == testing.SECOND_ACCOUNT_ID


def _raw_xml(emulator: RunningEmulator, form: bytes) -> tuple[int, ET.Element]:
    request = urllib.request.Request(emulator.endpoint + "/", data=form, method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, ET.fromstring(response.read())
    except urllib.error.HTTPError as error:
        return error.code, ET.fromstring(error.read())


def _error_fields(body: ET.Element) -> tuple[str | None, str | None]:
    assert body.tag == f"{{{NS}}}ErrorResponse"
    return body.findtext(f"{{{NS}}}Error/{{{NS}}}Type"), body.findtext(f"{{{NS}}}Error/{{{NS}}}Code")


def test_botocores_own_role_profiles_assume_roles_through_the_emulator(
    live: RunningEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config"
    config.write_text(f"""[profile base]
aws_access_key_id = {testing.SECOND_ACCESS_KEY_ID}
aws_secret_access_key = {testing.SECOND_SECRET_ACCESS_KEY}
[profile ordering]
role_arn = {role_arn(testing.EXTERNAL_ID_ROLE_NAME, "555555555555")}
source_profile = base
external_id = {testing.EXTERNAL_ID}
role_session_name = from-profile
""")
    env = {**boto3_env(live.endpoint), "AWS_CONFIG_FILE": str(config), "HOME": str(tmp_path)}  # CLI cache in HOME
    del env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]
    me = aws(live, "sts", "get-caller-identity", "--profile", "ordering", **env)
    assert me["Arn"] == f"arn:aws:sts::555555555555:assumed-role/{testing.EXTERNAL_ID_ROLE_NAME}/from-profile"
    for name in list(os.environ):
        monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)  # botocore assumes the role lazily, at the first call
    outposts = boto3.session.Session(profile_name="ordering").client("outposts")
    assert outposts.get_outpost(OutpostId=seed.RACK_OUTPOST_ID)["Outpost"]["OwnerId"] == "555555555555"
    assert live.admin.calls() == {"AssumeRole": 2, "GetCallerIdentity": 1, "GetOutpost": 1}
