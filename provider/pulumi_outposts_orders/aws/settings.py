"""Where AWS calls go and as whom: the stack's aws config, and one resolution of region, profile, roles, endpoints.

The same for every operation and every entry point (the providers, ``review``, ``import``; pulumi-aws's order):

- region: the resource's ``region``, the stack's ``aws:region``, ``AWS_REGION``,
  ``AWS_DEFAULT_REGION``, the ``region`` of the profile in use;
- profile: the resource's ``profile``, the stack's ``aws:profile``, ``AWS_PROFILE``, else boto3's
  default credential chain;
- roles: the stack's ``aws:assumeRoles`` (pulumi-aws 7's keys), assumed in order by ``aws.clients``;
- endpoints: the stack's ``aws:endpoints`` entries ``outposts``, ``sts`` and ``s3``, else boto3's own
  ``AWS_ENDPOINT_URL_OUTPOSTS`` / ``_STS`` / ``_S3`` / ``AWS_ENDPOINT_URL``, else AWS.

Every error names the value and where it came from (:class:`AwsConfigError`). A command's ``--region`` /
``--profile`` stand in for the stack's through :meth:`StackAwsConfig.overridden`.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import threading
from dataclasses import dataclass, field
from typing import Any

import boto3
import botocore.exceptions

from pulumi_outposts_orders._unknowns import is_unknown


class AwsConfigError(Exception):
    """The AWS configuration cannot be used (no region, unknown profile, a role that cannot be assumed).

    ``setting`` is the resource input it concerns (``region`` or ``profile``), for check failures."""

    def __init__(self, message: str, setting: str = "region") -> None:
        super().__init__(message)
        self.setting = setting


# Where each setting came from, as messages name it.
REGION_INPUT = "the resource's `region`"


PROFILE_INPUT = "the resource's `profile` input"


ENDPOINT_SERVICES = ("outposts", "sts", "s3")  # s3: the shared claim store (``claims.store``)


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
    """The ``outposts``, ``sts`` and ``s3`` URLs of ``aws:endpoints`` (a list of objects keyed by service);
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
        region = _text(profile_session(profile, profile_source)._session.get_scoped_config().get("region"))
        source = f"the `region` of {named}"
    if not region:
        raise AwsConfigError(
            "no AWS region for `region`: set the resource's `region` input, the stack config "
            "(`pulumi config set aws:region us-west-2`), AWS_REGION or AWS_DEFAULT_REGION in the environment, "
            f"or a region in {named}"
        )
    return Target(region=region, profile=profile, roles=stack.assume_roles, endpoints=stack.endpoints,
                  region_source=source, profile_source=profile_source)


def check_target(region: Any, profile: Any, stack: StackAwsConfig) -> AwsConfigError | None:
    """Why no usable region or profile resolves for these inputs (``None``: fine or not yet known).

    Local only: no API call (check runs at preview)."""
    if any(is_unknown(value) or not (value is None or isinstance(value, str)) for value in (region, profile)):
        return None  # an unknown (computed) input: judged when it is known
    try:
        target = resolve_target(region or None, profile or None, stack)
        profile_session(target.profile, target.profile_source)  # the profile exists (reads local files only)
    except AwsConfigError as exc:
        return exc
    return None


_LOCK = threading.RLock()


_SESSIONS: dict[str | None, boto3.session.Session] = {}


def profile_session(profile: str | None, source: str = "") -> boto3.session.Session:
    """The boto3 session of ``profile`` (``None``: the default chain), created once per process;
    :class:`AwsConfigError` naming the profile and ``source`` when this machine does not have it."""
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


def clear_sessions() -> None:
    """Forget every profile session (tests; a changed environment)."""
    with _LOCK:
        _SESSIONS.clear()

