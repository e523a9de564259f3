"""Who a caller is (account, ARN), by long-term key or by temporary credentials; shared by every service's SigV4.

Long-term keys belong to the account ``accounts.SEEDED_KEYS`` gives them (else the seed account).
AssumeRole (``sts.models``) stores temporary credentials (document kind CREDENTIAL, so they survive
restarts); they act for the role's account until their Expiration on the simulated clock.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass

from pulumi_outposts_orders.emulator import accounts
from pulumi_outposts_orders.emulator.domain import Params, Service
from pulumi_outposts_orders.emulator.errors import ApiError

CREDENTIAL = "sts_credential"
"""Kind of the stored temporary credentials, by access key ID."""

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
    return Identity(account, f"arn:aws:iam::{account}:user/{user}", unique_id("AIDA", access_key))


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


def unique_id(prefix: str, seed: str) -> str:
    """A stable IAM unique ID (AIDA... for users, AROA... for roles) derived from ``seed``."""
    digest = base64.b32encode(hashlib.sha256(seed.encode()).digest()).decode()
    return prefix + digest[:17]
