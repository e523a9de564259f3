"""STS's operations on callers: GetCallerIdentity, and AssumeRole, which issues temporary credentials.

Roles follow the conventions of ``accounts``: any ``arn:aws:iam::<12-digit account>:role/[<path>/]<name>``
exists and trusts every caller, except names ending in DENIED_ROLE_SUFFIX (nobody) or in
EXTERNAL_ID_ROLE_SUFFIX (only with ``ExternalId=EXTERNAL_ID``). The credentials are stored under
``identity.CREDENTIAL`` (so they survive restarts), where SigV4 (``auth``, ``identity``) finds them;
they act for the role's account until their Expiration on the simulated clock.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
from typing import Any

from pulumi_outposts_orders.emulator import accounts
from pulumi_outposts_orders.emulator.domain import Context, Params
from pulumi_outposts_orders.emulator.errors import ApiError, validation
from pulumi_outposts_orders.emulator.identity import CREDENTIAL, Identity, unique_id

_ROLE_ARN = re.compile(r"arn:aws:iam::(?P<account>\d{12}):role/(?P<path>(?:[\w+=,.@-]+/)*)(?P<name>[\w+=,.@-]{1,64})")


def get_caller_identity(caller: Identity) -> Params:
    """GetCallerIdentity."""
    return {"UserId": caller.user_id, "Account": caller.account, "Arn": caller.arn}


def assume_role(ctx: Context, caller: Identity, params: Params) -> Params:
    """AssumeRole: checks the role's ARN, policy, trust and duration, then issues and stores credentials."""
    role = _ROLE_ARN.fullmatch(params["RoleArn"])
    if role is None:
        raise validation(f"RoleArn {params['RoleArn']} is not an IAM role ARN "
                         "(arn:aws:iam::<12-digit account>:role/[<path>/]<name>)")
    if "Policy" in params:
        _check_policy(params["Policy"])
    name, external_id = role["name"], params.get("ExternalId")
    if name.endswith(accounts.DENIED_ROLE_SUFFIX) or (
        name.endswith(accounts.EXTERNAL_ID_ROLE_SUFFIX) and external_id != accounts.EXTERNAL_ID
    ):
        raise ApiError("AccessDenied", f"User: {caller.arn} is not authorized to perform: sts:AssumeRole on "
                       f"resource: {params['RoleArn']}")
    duration = params.get("DurationSeconds", accounts.MAX_SESSION_SECONDS)
    if duration > accounts.MAX_SESSION_SECONDS:
        raise validation("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by"
                         " role chaining." if caller.role_arn else
                         "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
    session = params["RoleSessionName"]
    account = role["account"]
    role_arn = f"arn:aws:iam::{account}:role/{role['path']}{name}"
    assumed = {"AssumedRoleId": f"{unique_id('AROA', role_arn)}:{session}",
               "Arn": f"arn:aws:sts::{account}:assumed-role/{name}/{session}"}
    credentials = {"AccessKeyId": accounts.TEMPORARY_KEY_PREFIX + _random_upper(16),
                   "SecretAccessKey": base64.b64encode(secrets.token_bytes(30)).decode(),
                   "SessionToken": base64.b64encode(secrets.token_bytes(300)).decode(),
                   "Expiration": ctx.now + duration}
    stored: Params = {**credentials, **assumed, "Account": account, "RoleArn": role_arn, "RoleSessionName": session,
                      "IssuedAt": ctx.now, "IssuedTo": caller.arn}
    stored.update({k: params[k] for k in ("SourceIdentity", "Tags", "TransitiveTagKeys") if k in params})
    ctx.tx.put(CREDENTIAL, credentials["AccessKeyId"], stored, parent=account)
    result: Params = {"Credentials": credentials, "AssumedRoleUser": assumed}
    if "SourceIdentity" in params:
        result["SourceIdentity"] = params["SourceIdentity"]
    return result


def _check_policy(policy: str) -> None:
    try:
        document: Any = json.loads(policy)
    except ValueError:
        document = None
    if not isinstance(document, dict):
        raise ApiError("MalformedPolicyDocument", "The policy is not in the valid JSON format.")


def _random_upper(length: int) -> str:
    return base64.b32encode(secrets.token_bytes(length)).decode()[:length]
