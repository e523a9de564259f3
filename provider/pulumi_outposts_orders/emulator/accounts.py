"""Accounts and seeded access keys, which every service's callers act with, and the role conventions of ``sts``.

Standard library only: ``testing`` re-exports these for clients (tests, benchmarks) that do not
import the emulator's server side.

- Long-term keys: SEEDED_KEYS maps each seeded access key ID to its secret, account and IAM user.
  Any other key (outside strict mode) acts as the user ``emulator-user`` of ACCOUNT_ID.
- Roles: ``arn:aws:iam::<any 12-digit account>:role/[<path>/]<name>`` exists for every account and
  trusts every caller, except a name ending in DENIED_ROLE_SUFFIX (trusts nobody: AccessDenied) or in
  EXTERNAL_ID_ROLE_SUFFIX (needs ``ExternalId=EXTERNAL_ID``: AccessDenied without it or with another).
- Sessions last at most MAX_SESSION_SECONDS (IAM's default MaxSessionDuration, and the limit of
  role chaining).
"""

from __future__ import annotations

from typing import NamedTuple

ACCOUNT_ID = "123456789012"
"""The seed account: TEST_ACCESS_KEY_ID, unknown keys, seeding and the admin API act for it."""
SECOND_ACCOUNT_ID = "210987654321"
"""A second account with a long-term key of its own (SECOND_ACCESS_KEY_ID)."""

TEST_ACCESS_KEY_ID = "EMULATOR-TEST-ACCESS-KEY-ID"
TEST_SECRET_ACCESS_KEY = "emulator-test-secret-access-key"
SECOND_ACCESS_KEY_ID = "EMULATOR-SECOND-ACCESS-KEY-ID"
SECOND_SECRET_ACCESS_KEY = "emulator-second-secret-access-key"

DEFAULT_USER = "emulator-user"
"""The IAM user name of keys that are not seeded."""

ROLE_NAME = "outposts-orders"
"""A role name any caller may assume, in any account."""
EXTERNAL_ID_ROLE_SUFFIX = "-external-id"
EXTERNAL_ID_ROLE_NAME = ROLE_NAME + EXTERNAL_ID_ROLE_SUFFIX
"""A role name that needs ``ExternalId=EXTERNAL_ID``."""
EXTERNAL_ID = "emulator-external-id"
DENIED_ROLE_SUFFIX = "-denied"
DENIED_ROLE_NAME = ROLE_NAME + DENIED_ROLE_SUFFIX
"""A role name nobody may assume."""

MAX_SESSION_SECONDS = 3600
TEMPORARY_KEY_PREFIX = "ASIA"
"""Access key IDs of temporary credentials start with this (as on AWS)."""


class SeededKey(NamedTuple):
    """A long-term access key: its secret, account and IAM user name."""

    secret: str
    account: str
    user: str


SEEDED_KEYS: dict[str, SeededKey] = {
    TEST_ACCESS_KEY_ID: SeededKey(TEST_SECRET_ACCESS_KEY, ACCOUNT_ID, "emulator-test"),
    SECOND_ACCESS_KEY_ID: SeededKey(SECOND_SECRET_ACCESS_KEY, SECOND_ACCOUNT_ID, "emulator-second"),
}


def role_arn(name: str = ROLE_NAME, account: str = ACCOUNT_ID) -> str:
    """The ARN of role ``name`` (which may include a path, ``team/orders``) in ``account``."""
    return f"arn:aws:iam::{account}:role/{name}"
