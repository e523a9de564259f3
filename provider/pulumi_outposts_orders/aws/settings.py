"""AWS access for the providers: where to call, as whom, and one cached boto3 client each.

One resolution, the same for every operation and for ``outposts-orders review`` (pulumi-aws's order):

- region: the resource's ``region``, the stack's ``aws:region``, ``AWS_REGION``,
  ``AWS_DEFAULT_REGION``, the ``region`` of the profile in use;
- profile: the resource's ``profile``, the stack's ``aws:profile``, ``AWS_PROFILE``, else boto3's
  default credential chain;
- roles: the stack's ``aws:assumeRoles`` (pulumi-aws 7's keys), assumed in order, each with the
  credentials of the one before; the temporary credentials live in this process only (cached,
  refreshed before they expire) and never reach the state, the pickle or a message;
- endpoints: the stack's ``aws:endpoints`` entries ``outposts`` and ``sts``, else boto3's own
  ``AWS_ENDPOINT_URL_OUTPOSTS`` / ``AWS_ENDPOINT_URL_STS`` / ``AWS_ENDPOINT_URL``, else AWS.

Every error names the value and where it came from. The AWS account the credentials act for is one
STS GetCallerIdentity per process and credential set (cached).

Clients live in a module-level cache (one per process and configuration) so the pickled
provider stays stateless and small.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import json
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3
import botocore.config
import botocore.credentials
import botocore.exceptions
import botocore.session

from pulumi_outposts_orders._unknowns import is_unknown

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
    """The AWS configuration cannot be used (no region, unknown profile, a role that cannot be assumed).

    ``setting`` is the resource input it concerns (``region`` or ``profile``), for check failures."""

    def __init__(self, message: str, setting: str = "region") -> None:
        super().__init__(message)
        self.setting = setting


class WrongAccountError(Exception):
    """The credentials act for another AWS account than the one an order or quote lives in."""


# Where each setting came from, as messages name it.
REGION_INPUT = "the resource's `region`"
PROFILE_INPUT = "the resource's `profile` input"
ENDPOINT_SERVICES = ("outposts", "sts")
CONFIG_KEYS = ("aws:region", "aws:profile", "aws:assumeRoles", "aws:endpoints")
"""Every stack config key of the aws namespace that the providers read (all others are ignored)."""


@dataclass(frozen=True)
class AssumeRole:
    """One entry of ``aws:assumeRoles`` (pulumi-aws 7's keys), ready for STS AssumeRole."""

    role_arn: str
    session_name: str = "pulumi-outposts-orders"
    external_id: str | None = None
    duration_seconds: int | None = None
    policy: str | None = None
    policy_arns: tuple[str, ...] = ()
    tags: tuple[tuple[str, str], ...] = ()
    transitive_tag_keys: tuple[str, ...] = ()
    source_identity: str | None = None

    def request(self) -> dict[str, Any]:
        """The AssumeRole parameters."""
        params: dict[str, Any] = {"RoleArn": self.role_arn, "RoleSessionName": self.session_name}
        optional: dict[str, Any] = {
            "ExternalId": self.external_id,
            "DurationSeconds": self.duration_seconds,
            "Policy": self.policy,
            "PolicyArns": [{"arn": arn} for arn in self.policy_arns] or None,
            "Tags": [{"Key": k, "Value": v} for k, v in self.tags] or None,
            "TransitiveTagKeys": list(self.transitive_tag_keys) or None,
            "SourceIdentity": self.source_identity,
        }
        params.update({key: value for key, value in optional.items() if value is not None})
        return params


@dataclass(frozen=True)
class StackAwsConfig:
    """The stack's aws config as the engine passed it to the provider (see ``CONFIG_KEYS``).

    ``region_source`` / ``profile_source`` name where ``region`` / ``profile`` came from in
    messages (``outposts-orders review`` passes its command-line options)."""

    region: str | None = None
    profile: str | None = None
    assume_roles: tuple[AssumeRole, ...] = ()
    endpoints: tuple[tuple[str, str], ...] = ()
    region_source: str = field(default="aws:region", compare=False)
    profile_source: str = field(default="aws:profile", compare=False)

    @classmethod
    def from_config(cls, get: Any) -> StackAwsConfig:
        """Read ``CONFIG_KEYS`` through a ``Config.get``-like callable (values are strings or JSON)."""
        return cls(
            region=_text(get("aws:region")),
            profile=_text(get("aws:profile")),
            assume_roles=parse_assume_roles(get("aws:assumeRoles")),
            endpoints=parse_endpoints(get("aws:endpoints")),
        )

    def overridden(self, region: str | None, profile: str | None) -> StackAwsConfig:
        """This config with a command's ``--region`` / ``--profile`` standing in for aws:region / aws:profile."""
        return dataclasses.replace(
            self, region=region or self.region, profile=profile or self.profile,
            region_source="--region" if region else self.region_source,
            profile_source="--profile" if profile else self.profile_source)


def parse_assume_roles(value: Any) -> tuple[AssumeRole, ...]:
    """``aws:assumeRoles``: a list of objects with ``roleArn``, ``sessionName``, ``externalId``,
    ``duration`` (a Go duration such as ``15m``), ``policy``, ``policyArns``, ``tags``,
    ``transitiveTagKeys`` and ``sourceIdentity``; entries without ``roleArn`` are skipped, as
    pulumi-aws does."""
    roles: list[AssumeRole] = []
    for index, entry in enumerate(_json_list(value, "aws:assumeRoles")):
        where = f"aws:assumeRoles[{index}]"
        if not isinstance(entry, dict):
            raise AwsConfigError(f"{where} must be an object with a roleArn (got {entry!r})")
        arn = _text(entry.get("roleArn"))
        if arn is None:
            continue
        duration = _text(entry.get("duration"))
        tags = entry.get("tags") or {}
        if not isinstance(tags, dict):
            raise AwsConfigError(f"{where}.tags must be an object of tag names to values (got {tags!r})")
        roles.append(AssumeRole(
            role_arn=arn,
            session_name=_text(entry.get("sessionName")) or AssumeRole.session_name,
            external_id=_text(entry.get("externalId")),
            duration_seconds=None if duration is None else go_duration_seconds(duration, f"{where}.duration"),
            policy=_text(entry.get("policy")),
            policy_arns=tuple(str(arn) for arn in entry.get("policyArns") or ()),
            tags=tuple(sorted((str(k), str(v)) for k, v in tags.items())),
            transitive_tag_keys=tuple(str(k) for k in entry.get("transitiveTagKeys") or ()),
            source_identity=_text(entry.get("sourceIdentity")),
        ))
    return tuple(roles)


def parse_endpoints(value: Any) -> tuple[tuple[str, str], ...]:
    """The ``outposts`` and ``sts`` URLs of ``aws:endpoints`` (a list of objects keyed by service);
    the last entry naming a service wins, other services are ignored."""
    found: dict[str, str] = {}
    for index, entry in enumerate(_json_list(value, "aws:endpoints")):
        if not isinstance(entry, dict):
            raise AwsConfigError(f"aws:endpoints[{index}] must be an object keyed by service (got {entry!r})")
        for service in ENDPOINT_SERVICES:
            url = _text(entry.get(service))
            if url is not None:
                found[service] = url
    return tuple(sorted(found.items()))


_GO_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_GO_DURATION = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")


def go_duration_seconds(text: str, where: str) -> int:
    """Whole seconds of a Go duration string (``1h30m``, ``15m``, ``900s``), as pulumi-aws reads them."""
    parts = _GO_DURATION.findall(text)
    if not parts or "".join(number + unit for number, unit in parts) != text:
        raise AwsConfigError(f"{where} must be a duration such as 15m or 1h (got {text!r})")
    return int(sum(float(number) * _GO_UNITS[unit] for number, unit in parts))


@dataclass(frozen=True)
class Target:
    """Where calls go and as whom: a region, a named profile (``None``: the default chain), the roles
    to assume in order and endpoint overrides. The ``*_source`` fields only name origins in messages."""

    region: str
    profile: str | None
    roles: tuple[AssumeRole, ...] = ()
    endpoints: tuple[tuple[str, str], ...] = ()
    region_source: str = field(default="", compare=False)
    profile_source: str = field(default="", compare=False)

    def endpoint(self, service: str) -> str | None:
        """The ``aws:endpoints`` URL of ``service``, if configured (it wins over the environment)."""
        return dict(self.endpoints).get(service)

    def where(self) -> str:
        """``region R`` or ``region R, profile P``: where calls go, for messages (the one way it is written)."""
        return f"region {self.region}" + (f", profile {self.profile}" if self.profile else "")

    def credentials(self) -> str:
        """Whose credentials these are, for messages (never a secret)."""
        who = (f"profile {self.profile!r} (from {self.profile_source or 'the configuration'})"
               if self.profile else "the default credential chain")
        if self.roles:
            who += " then role " + " then role ".join(role.role_arn for role in self.roles) + " (aws:assumeRoles)"
        return who


def resolve_profile(declared: str | None, stack: StackAwsConfig) -> tuple[str | None, str]:
    """The profile to use and where it came from: the resource's input, the stack config,
    ``AWS_PROFILE``, else ``None`` (boto3's default chain)."""
    for value, source in ((declared, PROFILE_INPUT), (stack.profile, stack.profile_source),
                          (os.environ.get("AWS_PROFILE"), "AWS_PROFILE")):
        if value:
            return value, source
    return None, "the default credential chain"


def resolve_target(
    declared_region: str | None, declared_profile: str | None, stack: StackAwsConfig,
    region_source: str = REGION_INPUT,
) -> Target:
    """The region, profile, roles and endpoints to use, in the order of this module's docstring."""
    profile, profile_source = resolve_profile(declared_profile, stack)
    candidates = ((declared_region, region_source), (stack.region, stack.region_source),
                  (os.environ.get("AWS_REGION"), "AWS_REGION"),
                  (os.environ.get("AWS_DEFAULT_REGION"), "AWS_DEFAULT_REGION"))
    region, source = next(((value, where) for value, where in candidates if value), (None, ""))
    named = f"AWS profile {profile!r} (from {profile_source})" if profile else "the default AWS profile"
    if not region:
        region = _text(_session(profile, profile_source)._session.get_scoped_config().get("region"))
        source = f"the `region` of {named}"
    if not region:
        raise AwsConfigError(
            "no AWS region for `region`: set the resource's `region` input, the stack config "
            "(`pulumi config set aws:region us-west-2`), AWS_REGION or AWS_DEFAULT_REGION in the environment, "
            f"or a region in {named}"
        )
    return Target(region=region, profile=profile, roles=stack.assume_roles, endpoints=stack.endpoints,
                  region_source=source, profile_source=profile_source)


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


def check_target(region: Any, profile: Any, stack: StackAwsConfig) -> AwsConfigError | None:
    """Why no usable region or profile resolves for these inputs (``None``: fine or not yet known).

    Local only: no API call (check runs at preview)."""
    if any(is_unknown(value) or not (value is None or isinstance(value, str)) for value in (region, profile)):
        return None  # an unknown (computed) input: judged when it is known
    try:
        target = resolve_target(region or None, profile or None, stack)
        _session(target.profile, target.profile_source)  # the profile exists (reads local files only)
    except AwsConfigError as exc:
        return exc
    return None


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
    base = _session(target.profile, target.profile_source)
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
    with _LOCK:
        _CLIENTS.clear()
        _SESSIONS.clear()
        _ROLE_SESSIONS.clear()
        _ACCOUNTS.clear()


_LOCK = threading.RLock()
_CLIENTS: dict[tuple[Target, Calls], Any] = {}
_SESSIONS: dict[str | None, boto3.session.Session] = {}
_ROLE_SESSIONS: dict[tuple[Any, ...], boto3.session.Session] = {}
_ACCOUNTS: dict[tuple[Any, ...], str] = {}
_ASKING: dict[tuple[Any, ...], threading.Lock] = {}


def _session(profile: str | None, source: str = "") -> boto3.session.Session:
    # boto3 sessions are not thread-safe to create; the provider serves requests on a thread pool.
    with _LOCK:
        session = _SESSIONS.get(profile)
        if session is None:
            try:
                session = boto3.session.Session(profile_name=profile)
            except botocore.exceptions.ProfileNotFound as exc:
                raise AwsConfigError(
                    f"AWS profile {profile!r} (from {source or 'the configuration'}) is not configured on this "
                    "machine: add it to the AWS config or credentials file, or fix the setting", "profile"
                ) from exc
            _SESSIONS[profile] = session
        return session


def _json_list(value: Any, key: str) -> list[Any]:
    """A list-valued config key: the engine passes objects as JSON text."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise AwsConfigError(f"{key} must be a list of objects (got {value!r}: {exc})") from exc
    if isinstance(value, dict):
        value = [value]  # one object where a list is expected: read it as a list of one
    if not isinstance(value, list):
        raise AwsConfigError(f"{key} must be a list of objects (got {value!r})")
    return value


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
