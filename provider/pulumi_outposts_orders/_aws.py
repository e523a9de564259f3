"""AWS access for the providers: where to call (region, profile) and one cached boto3 client each.

Resolution order, the same for every operation:

- region: the resource's ``region`` input, else the stack's ``aws:region`` config (the key
  pulumi-aws reads), else the boto3 environment (``AWS_REGION``, ``AWS_DEFAULT_REGION``, the
  profile's ``region``);
- profile: the resource's ``profile`` input, else the stack's ``aws:profile`` config, else the
  boto3 environment (``AWS_PROFILE``, then the default credential chain).

The endpoint is never configured here: boto3 reads ``AWS_ENDPOINT_URL_OUTPOSTS`` (or
``AWS_ENDPOINT_URL``) itself, so the same code talks to AWS and to the local emulator.
Credentials are resolved by boto3 inside this process and never leave it.

Clients live in a module-level cache (one per process and configuration) so the pickled
provider stays stateless and small.
"""

from __future__ import annotations

import enum
import os
import threading
from dataclasses import dataclass
from typing import Any

import boto3
import botocore.config
import botocore.exceptions

SERVICE = "outposts"
USER_AGENT = "pulumi-outposts-orders/0.1.0"


class Calls(enum.Enum):
    """How a client may retry.

    ``RETRYABLE`` is for calls that are safe to repeat (reads, lists, CancelOrder): botocore's
    standard retry mode, bounded. ``SEND_ONCE`` is for calls that create something without an
    idempotency token (CreateOrder, CreateQuote): botocore sends them exactly once; the caller
    decides what happens after a failure (``_provider.placement`` re-sends only when AWS proves it
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


class AwsConfigError(Exception):
    """The AWS configuration cannot be used (no region, unknown profile)."""


@dataclass(frozen=True)
class StackAwsConfig:
    """The stack's ``aws:region`` / ``aws:profile`` config, as the engine passed it to the provider."""

    region: str | None = None
    profile: str | None = None

    @classmethod
    def from_config(cls, get: Any) -> StackAwsConfig:
        """Read the two keys through a ``Config.get``-like callable (other keys are never read)."""
        return cls(region=_text(get("aws:region")), profile=_text(get("aws:profile")))


@dataclass(frozen=True)
class Target:
    """Where calls go: a region and an optional named profile (``None``: the default chain)."""

    region: str
    profile: str | None


def resolve_profile(declared: str | None, stack: StackAwsConfig) -> str | None:
    """The profile to use: the resource's input, else ``aws:profile``, else ``None`` (environment)."""
    return declared or stack.profile or None


def resolve_target(
    declared_region: str | None, declared_profile: str | None, stack: StackAwsConfig
) -> Target:
    """The region and profile to call, following the order in this module's docstring."""
    profile = resolve_profile(declared_profile, stack)
    region = declared_region or stack.region or _session(profile).region_name
    if not region:
        raise AwsConfigError(
            "no AWS region: set the resource's `region` input, the stack config "
            "(`pulumi config set aws:region us-west-2`), or AWS_REGION in the environment"
        )
    return Target(region=region, profile=profile)


def client(target: Target, calls: Calls = Calls.RETRYABLE) -> Any:
    """The process-wide Outposts client for ``target`` and retry behaviour ``calls`` (created once)."""
    key = (target.region, target.profile, calls)
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
            found = _session(target.profile).client(SERVICE, region_name=target.region, config=config)
            _CLIENTS[key] = found
        return found


def describe_caller(target: Target) -> str:
    """``region R, account A, endpoint E`` of ``target``, for messages about orders that cannot be found.

    The account comes from one STS GetCallerIdentity (cached per process and configuration); when it
    cannot be had, the message says so instead of failing."""
    endpoint = client(target).meta.endpoint_url
    return f"region {target.region}, account {caller_account(target) or 'unknown'}, endpoint {endpoint}" + (
        f", profile {target.profile}" if target.profile else "")


def caller_account(target: Target) -> str | None:
    """The AWS account ID that ``target``'s credentials act for (STS GetCallerIdentity), or ``None``."""
    key = (target.region, target.profile)
    if key not in _ACCOUNTS:
        try:
            sts = _session(target.profile).client("sts", region_name=target.region, config=botocore.config.Config(
                retries={"mode": "standard", "total_max_attempts": 2}, connect_timeout=5, read_timeout=10))
            _ACCOUNTS[key] = str(sts.get_caller_identity()["Account"])
        except Exception:
            return None
    return _ACCOUNTS[key]


def _retries(calls: Calls) -> dict[str, Any]:
    retries = dict(_RETRIES[calls])
    configured = os.environ.get("AWS_MAX_ATTEMPTS", "")
    if calls is Calls.RETRYABLE and configured.isdigit() and int(configured) > 0:
        retries["total_max_attempts"] = int(configured)  # the standard setting, as botocore names it
    return retries


def clear_clients() -> None:
    """Forget every cached client and session (tests; a changed environment)."""
    with _LOCK:
        _CLIENTS.clear()
        _SESSIONS.clear()
        _ACCOUNTS.clear()


_LOCK = threading.RLock()
_CLIENTS: dict[tuple[str, str | None, Calls], Any] = {}
_SESSIONS: dict[str | None, boto3.session.Session] = {}
_ACCOUNTS: dict[tuple[str, str | None], str] = {}


def _session(profile: str | None) -> boto3.session.Session:
    # boto3 sessions are not thread-safe to create; the provider serves requests on a thread pool.
    with _LOCK:
        session = _SESSIONS.get(profile)
        if session is None:
            try:
                session = boto3.session.Session(profile_name=profile)
            except botocore.exceptions.ProfileNotFound as exc:
                raise AwsConfigError(
                    f"AWS profile {profile!r} is not configured on this machine "
                    "(set by the resource's `profile` input or the stack's `aws:profile` config)"
                ) from exc
            _SESSIONS[profile] = session
        return session


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
