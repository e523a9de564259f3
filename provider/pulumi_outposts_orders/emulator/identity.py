"""Who a caller is (account, ARN), temporary credentials, and the STS operations on them.

Long-term keys belong to the account ``accounts.SEEDED_KEYS`` gives them (else the seed account).
AssumeRole stores temporary credentials (document kind CREDENTIAL, so they survive restarts);
they act for the role's account until their Expiration on the simulated clock.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

from pulumi_outposts_orders.emulator import accounts
from pulumi_outposts_orders.emulator.domain import Context, Params, Service
from pulumi_outposts_orders.emulator.errors import ApiError, validation

CREDENTIAL = "sts_credential"
"""Kind of the stored temporary credentials, by access key ID."""

_ROLE_ARN = re.compile(r"arn:aws:iam::(?P<account>\d{12}):role/(?P<path>(?:[\w+=,.@-]+/)*)(?P<name>[\w+=,.@-]{1,64})")
_INVALID_TOKEN = "The security token included in the request is invalid."


@dataclass(frozen=True)
class Identity:
    """A caller: account, ARN and user ID as GetCallerIdentity reports them.

    ``secret`` is known for temporary credentials (their signatures are always verified);
    ``role_arn`` is set for assumed-role sessions.
    """

    account: str
    arn: str
    user_id: str
    secret: str | None = None
    role_arn: str | None = None


def long_term(access_key: str) -> Identity:
    """The IAM user a long-term access key belongs to."""
    seeded = accounts.SEEDED_KEYS.get(access_key)
    account, user = (seeded.account, seeded.user) if seeded else (accounts.ACCOUNT_ID, accounts.DEFAULT_USER)
    return Identity(account, f"arn:aws:iam::{account}:user/{user}", _unique_id("AIDA", access_key))


class Identities:
    """Looks temporary credentials up in the service's store, at its simulated now."""

    def __init__(self, service: Service) -> None:
        self._service = service

    def temporary(self, access_key: str, token: str | None) -> Identity | None:
        """The session of a temporary key; None for a long-term key (one without the ASIA prefix).

        Raises UnrecognizedClientException for an unknown key or a wrong token, and
        ExpiredTokenException once the credentials expired.
        """
        if not access_key.startswith(accounts.TEMPORARY_KEY_PREFIX):
            return None
        found = self._service.run(lambda ctx, _: {"doc": ctx.tx.get(CREDENTIAL, access_key), "now": ctx.now}, {})
        stored: Params | None = found["doc"]
        if stored is None or token is None or not secrets.compare_digest(stored["SessionToken"], token):
            raise ApiError("UnrecognizedClientException", _INVALID_TOKEN)
        if found["now"] >= stored["Expiration"]:
            raise ApiError("ExpiredTokenException", "The security token included in the request is expired")
        return Identity(stored["Account"], stored["Arn"], stored["AssumedRoleId"], stored["SecretAccessKey"],
                        stored["RoleArn"])


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
    assumed = {"AssumedRoleId": f"{_unique_id('AROA', role_arn)}:{session}",
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


def _unique_id(prefix: str, seed: str) -> str:
    """A stable IAM unique ID (AIDA... for users, AROA... for roles) derived from ``seed``."""
    digest = base64.b32encode(hashlib.sha256(seed.encode()).digest()).decode()
    return prefix + digest[:17]


def _random_upper(length: int) -> str:
    return base64.b32encode(secrets.token_bytes(length)).decode()[:length]
