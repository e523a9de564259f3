"""One cached boto3 client per process and target, the retry rule of each kind of call, and the account.

Role credentials (``aws:assumeRoles``) live in this process only (cached, refreshed before they expire) and
never reach the state, the pickle or a message. The AWS account the credentials act for is one STS
GetCallerIdentity per process and credential set (cached). Clients live in module-level caches so the
pickled provider stays stateless and small.
"""

from __future__ import annotations

import datetime
import enum
import os
import threading
from collections.abc import Callable
from typing import Any

import boto3
import botocore.config
import botocore.credentials
import botocore.exceptions
import botocore.session

from pulumi_outposts_orders.aws.settings import AssumeRole, AwsConfigError, Target, clear_sessions, profile_session

_LOCK = threading.RLock()


SERVICE = "outposts"


USER_AGENT = "pulumi-outposts-orders/0.1.0"


class Calls(enum.Enum):
    """How a client may retry.

    ``RETRYABLE`` is for calls that are safe to repeat (reads, lists, CancelOrder): botocore's
    standard retry mode, bounded. ``SEND_ONCE`` is for calls that create something without an
    idempotency token (CreateOrder, CreateQuote): botocore sends them exactly once; the caller
    decides what happens after a failure (``outposts.placement`` re-sends only when AWS proves it
    refused, and reconciles when the outcome is unknown).
    """

    RETRYABLE = "retryable"
    SEND_ONCE = "send-once"
    LOOKUP = "lookup"  # a reviewer's read-only look-ups: short timeouts and two attempts, so the wait is bounded


READ_ATTEMPTS = 10  # botocore standard mode, exponential backoff; AWS_MAX_ATTEMPTS overrides it


_RETRIES: dict[Calls, dict[str, Any]] = {
    Calls.RETRYABLE: {"mode": "standard", "total_max_attempts": READ_ATTEMPTS},
    Calls.SEND_ONCE: {"mode": "standard", "total_max_attempts": 1},
    Calls.LOOKUP: {"mode": "standard", "total_max_attempts": 2},
}


# Seconds to connect and to wait for an answer; the providers wait long, a review look-up does not.
TIMEOUTS: dict[Calls, tuple[int, int]] = {Calls.LOOKUP: (3, 5)}


DEFAULT_TIMEOUTS = (10, 60)


class WrongAccountError(Exception):
    """The credentials act for another AWS account than the one an order or quote lives in."""


def client(target: Target, calls: Calls = Calls.RETRYABLE) -> Any:
    """The process-wide Outposts client for ``target`` and retry behaviour ``calls`` (created once)."""
    key = (target, calls)
    found = _CLIENTS.get(key)
    if found is not None:
        return found
    with _LOCK:
        found = _CLIENTS.get(key)
        if found is None:
            connect_timeout, read_timeout = TIMEOUTS.get(calls, DEFAULT_TIMEOUTS)
            config = botocore.config.Config(
                retries=_retries(calls),
                connect_timeout=connect_timeout,
                read_timeout=read_timeout,
                user_agent_extra=USER_AGENT,
            )
            found = _credentials_session(target).client(
                SERVICE, region_name=target.region, config=config, endpoint_url=target.endpoint(SERVICE))
            _CLIENTS[key] = found
        return found


def s3_client(target: Target) -> Any:
    """An S3 client for ``target``'s credentials and region (the shared claim store). With an endpoint override
    (``aws:endpoints`` ``s3``, ``AWS_ENDPOINT_URL_S3``, ``AWS_ENDPOINT_URL``), path-style addressing, which every
    S3-compatible server understands."""
    endpoint = target.endpoint("s3")
    custom = endpoint or os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    key = (target, custom)
    with _LOCK:
        found = _S3_CLIENTS.get(key)
        if found is None:
            config = botocore.config.Config(
                retries={"mode": "standard", "total_max_attempts": 5}, connect_timeout=5, read_timeout=20,
                user_agent_extra=USER_AGENT, s3={"addressing_style": "path"} if custom else None)
            found = _credentials_session(target).client("s3", region_name=target.region, config=config,
                                                        endpoint_url=endpoint)
            _S3_CLIENTS[key] = found
        return found


def describe_caller(target: Target) -> str:
    """``region R, account A, endpoint E`` of ``target``, for messages about orders that cannot be found.

    The account comes from one STS GetCallerIdentity (cached per process and credential set); when it
    cannot be had, the message says so instead of failing."""
    endpoint = client(target).meta.endpoint_url
    return f"region {target.region}, account {caller_account(target) or 'unknown'}, endpoint {endpoint}" + (
        f", profile {target.profile}" if target.profile else "")


def caller_account(target: Target) -> str | None:
    """The AWS account ID that ``target``'s credentials act for, or ``None`` when it cannot be had."""
    try:
        return account(target)
    except Exception:
        return None


def account(target: Target) -> str:
    """The AWS account ID that ``target``'s credentials act for: one STS GetCallerIdentity per process
    and credential set. :class:`AwsConfigError` when STS cannot tell (it names the endpoint and why)."""
    key = _credential_key(target)
    found = _ACCOUNTS.get(key)
    if found is not None:
        return found
    with _LOCK:
        asking = _ASKING.setdefault(key, threading.Lock())
    with asking:  # resources are served on a thread pool: one question per credential set, not one each
        found = _ACCOUNTS.get(key)
        if found is not None:
            return found
        sts = _sts_client(_credentials_session(target), target)
        try:
            found = str(sts.get_caller_identity()["Account"])
        except AwsConfigError:
            raise
        except Exception as exc:
            raise AwsConfigError(
                f"cannot tell which AWS account {target.credentials()} act for: STS GetCallerIdentity at "
                f"{sts.meta.endpoint_url} failed ({_reason(exc)}). Nothing was changed.", "profile") from exc
        _ACCOUNTS[key] = found
    return found


def require_account(target: Target, recorded: str | None, what: str) -> str:
    """The caller's account, after checking that it is ``recorded`` (the account ``what`` lives in).

    ``recorded`` is ``None`` for state written before accounts were recorded: accepted."""
    actual = account(target)
    if recorded and recorded != actual:
        raise WrongAccountError(
            f"{what} lives in AWS account {recorded}, but the credentials in use ({target.credentials()}) act "
            f"for account {actual}. Refused before any Outposts call: nothing was changed and it stays in the "
            f"stack. Use credentials of account {recorded} (the `profile` input, aws:profile, AWS_PROFILE or "
            "aws:assumeRoles) and run again."
        )
    return actual


# --- sessions and credentials --------------------------------------------------------------------
class RoleCredentials(botocore.credentials.DeferredRefreshableCredentials):  # type: ignore[misc]
    """Temporary credentials of one assumed role: fetched on first use, refreshed before they expire.

    botocore refreshes within 15 minutes of expiry (at the latest 10); for sessions that short the
    margins shrink to a quarter and an eighth of the session, so a 15-minute session is not refreshed
    on every call."""

    def __init__(self, fetch: Callable[[], dict[str, str]], duration_seconds: int | None,
                 time_fetcher: Callable[[], datetime.datetime] = botocore.credentials._local_now) -> None:
        super().__init__(refresh_using=fetch, method="assume-role", time_fetcher=time_fetcher)
        duration = duration_seconds or 3600  # AWS's default for AssumeRole without DurationSeconds
        self._advisory_refresh_timeout = min(15 * 60, duration // 4)
        self._mandatory_refresh_timeout = min(10 * 60, duration // 8)


class _Fixed(botocore.credentials.CredentialProvider):  # type: ignore[misc]
    METHOD = "assume-role"
    CANONICAL_NAME = "pulumi-outposts-orders-assume-roles"

    def __init__(self, credentials: botocore.credentials.Credentials) -> None:
        super().__init__()
        self._credentials = credentials

    def load(self) -> botocore.credentials.Credentials:
        return self._credentials


def _assumed(source: boto3.session.Session, role: AssumeRole, position: int, target: Target) -> boto3.session.Session:
    """A session whose credentials are ``role`` assumed with ``source``'s credentials."""

    def fetch() -> dict[str, str]:
        sts = _sts_client(source, target)
        try:
            answer = sts.assume_role(**role.request())
        except AwsConfigError:
            raise
        except Exception as exc:
            raise AwsConfigError(
                f"cannot assume role {role.role_arn} (aws:assumeRoles[{position}]) at {sts.meta.endpoint_url}: "
                f"{_reason(exc)}. Nothing was changed.", "profile") from exc
        issued = answer["Credentials"]
        return {"access_key": issued["AccessKeyId"], "secret_key": issued["SecretAccessKey"],
                "token": issued["SessionToken"], "expiry_time": issued["Expiration"].isoformat()}

    credentials = RoleCredentials(fetch, role.duration_seconds, time_fetcher=lambda: _now())
    core = botocore.session.Session(profile=target.profile)
    core.register_component("credential_provider", botocore.credentials.CredentialResolver([_Fixed(credentials)]))
    return boto3.session.Session(botocore_session=core)


def _credentials_session(target: Target) -> boto3.session.Session:
    """The session of ``target``'s profile, with its roles assumed in order (one chain per process)."""
    base = profile_session(target.profile, target.profile_source)
    if not target.roles:
        return base
    key = _credential_key(target)
    with _LOCK:
        session = _ROLE_SESSIONS.get(key)
        if session is None:
            session = base
            for position, role in enumerate(target.roles):
                session = _assumed(session, role, position, target)
            _ROLE_SESSIONS[key] = session
        return session


def _sts_client(session: boto3.session.Session, target: Target) -> Any:
    config = botocore.config.Config(retries={"mode": "standard", "total_max_attempts": 3}, connect_timeout=5,
                                    read_timeout=20, user_agent_extra=USER_AGENT)
    return session.client("sts", region_name=target.region, config=config, endpoint_url=target.endpoint("sts"))


def _credential_key(target: Target) -> tuple[Any, ...]:
    return (target.profile, target.roles, target.endpoint("sts"))


def _reason(exc: BaseException) -> str:
    if isinstance(exc, botocore.exceptions.ClientError):
        error = exc.response.get("Error", {})
        return f"AWS said {error.get('Code', 'Unknown')}: {error.get('Message', 'no message')}"
    return f"{type(exc).__name__}: {exc}"


def _now() -> datetime.datetime:
    """Now, for credential expiry (a module function so a test can move it)."""
    now: datetime.datetime = botocore.credentials._local_now()
    return now


def _retries(calls: Calls) -> dict[str, Any]:
    retries = dict(_RETRIES[calls])
    configured = os.environ.get("AWS_MAX_ATTEMPTS", "")
    if calls is Calls.RETRYABLE and configured.isdigit() and int(configured) > 0:
        retries["total_max_attempts"] = int(configured)  # the standard setting, as botocore names it
    return retries


def clear_clients() -> None:
    """Forget every cached client, session, credential and account (tests; a changed environment)."""
    clear_sessions()
    with _LOCK:
        _CLIENTS.clear()
        _S3_CLIENTS.clear()
        _ROLE_SESSIONS.clear()
        _ACCOUNTS.clear()


_CLIENTS: dict[tuple[Target, Calls], Any] = {}
_S3_CLIENTS: dict[tuple[Target, str | None], Any] = {}


_ROLE_SESSIONS: dict[tuple[Any, ...], boto3.session.Session] = {}


_ACCOUNTS: dict[tuple[Any, ...], str] = {}


_ASKING: dict[tuple[Any, ...], threading.Lock] = {}
