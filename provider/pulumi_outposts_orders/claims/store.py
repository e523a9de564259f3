"""Which journal the providers use: this machine's (the default) or a claim store every runner shares.

The shared store is an S3 location, from the stack config ``outposts-orders:claims`` (``s3://BUCKET/PREFIX``),
else the environment variable ``PULUMI_OUTPOSTS_ORDERS_CLAIMS``. It is reached like every other AWS call of
the provider (``aws.settings``: ``aws:region``, ``aws:profile``, ``aws:assumeRoles``, the ``s3`` entry of
``aws:endpoints`` or ``AWS_ENDPOINT_URL_S3``). A setting that cannot be used fails closed, naming itself.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass

from pulumi_outposts_orders.aws import clients as _clients
from pulumi_outposts_orders.aws import settings as _aws
from pulumi_outposts_orders.claims.journal import Journal, JournalError
from pulumi_outposts_orders.claims.s3 import Location, S3Claims
from pulumi_outposts_orders.claims.shared import SharedJournal

CONFIG_KEY = "outposts-orders:claims"
ENVIRONMENT = "PULUMI_OUTPOSTS_ORDERS_CLAIMS"


@dataclass(frozen=True)
class ClaimsSetting:
    """The claim store a process uses: ``url`` (``None``: this machine's journal) and where it was set."""

    url: str | None
    source: str
    aws: _aws.StackAwsConfig

    @classmethod
    def of(cls, configured: str | None, aws: _aws.StackAwsConfig) -> ClaimsSetting:
        """The stack's ``outposts-orders:claims`` (``configured``), else the environment, else none."""
        if configured:
            return cls(configured, f"the stack config {CONFIG_KEY}", aws)
        from_env = os.environ.get(ENVIRONMENT)
        return cls(from_env or None, ENVIRONMENT if from_env else "", aws)

    def location(self) -> Location | None:
        """The S3 location; ``JournalError`` naming the setting when it is not one."""
        if self.url is None:
            return None
        try:
            return Location.parse(self.url)
        except ValueError as exc:
            raise JournalError(f"{self.source}: {exc}; nothing was ordered") from exc

    def journal(self, scope: str | None = None) -> Journal:
        """The journal for ``scope``: shared when a store is set, else this machine's."""
        location = self.location()
        if location is None:
            return Journal(scope=scope)
        try:
            target = _aws.resolve_target(None, None, self.aws, region_source="aws:region")
            client = _clients.s3_client(target)
        except _aws.AwsConfigError as exc:
            raise JournalError(f"the claim store {location} ({self.source}) cannot be reached: {exc}; nothing was "
                               "ordered") from exc
        return SharedJournal(S3Claims(location, client), scope)


_LOCK = threading.Lock()
_CONFIGURED: list[tuple[str | None, _aws.StackAwsConfig]] = [(None, _aws.StackAwsConfig())]


def configure(configured: str | None, aws: _aws.StackAwsConfig) -> None:
    """Remember the stack's claims setting for this provider process (the provider's ``configure``)."""
    with _LOCK:
        _CONFIGURED[0] = (configured, aws)


def current() -> ClaimsSetting:
    """This process's claims setting (the stack's, else the environment's)."""
    configured, aws = _CONFIGURED[0]
    return ClaimsSetting.of(configured, aws)


def journal(scope: str | None = None) -> Journal:
    """This process's journal for ``scope`` (see the module docstring)."""
    return current().journal(scope)
