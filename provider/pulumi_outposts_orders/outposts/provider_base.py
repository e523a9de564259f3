"""What the order and quote providers share: the stack's AWS config, check results, targets, warnings.

Both providers are pickled by reference and hold no state; the stack's aws config lives here, at
module level, set once per provider process by :meth:`OutpostsProvider.configure`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi.dynamic import CheckResult, ConfigureRequest, ResourceProvider

from pulumi_outposts_orders._dynamic import Failure, check_failure, text, warn
from pulumi_outposts_orders.aws import settings as _aws
from pulumi_outposts_orders.claims import store as claims_store


class OutpostsProvider(ResourceProvider):
    """The base of both dynamic providers (stateless; the stack config is module-level, see ``stack_config``)."""

    serialize_as_secret_always = False  # nothing secret is ever captured: keep the pickle reviewable

    def configure(self, req: ConfigureRequest) -> None:
        """Remember the stack's aws config (``aws.settings.CONFIG_KEYS``) and claim store (``claims.store``) for
        this provider process."""
        _STACK[0] = _aws.StackAwsConfig.from_config(req.config.get)
        claims_store.configure(text(req.config.get(claims_store.CONFIG_KEY)), _STACK[0])

    @staticmethod
    def checked(olds: Mapping[str, Any], news: dict[str, Any], failures: list[Failure]) -> CheckResult:
        """The check result for ``news`` with ``failures``. A new resource (no ``olds``) whose inputs pass
        also needs a region and profile that resolve (``aws.settings.check_target``: local, no API call)."""
        shown = [check_failure(failure, news) for failure in failures]
        if not olds and not shown:
            unusable = _aws.check_target(news.get("region"), news.get("profile"), stack_config())
            if unusable is not None:
                shown.append(check_failure(Failure(unusable.setting, str(unusable)), news))
        return CheckResult(news, shown)


def stack_config() -> _aws.StackAwsConfig:
    """The stack's aws config as the engine passed it to this process (empty before ``configure``)."""
    return _STACK[0]


def target(props: Mapping[str, Any]) -> _aws.Target:
    """Where calls for the resource whose inputs or state are ``props`` go. ``region`` in state is where
    the order or quote lives: a later change of aws:region or of the environment never sends calls elsewhere."""
    return _aws.resolve_target(text(props.get("region")), text(props.get("profile")), stack_config())


def recorded_account(props: Mapping[str, Any]) -> str | None:
    """The AWS account recorded in state (``None`` for state from before accounts were recorded)."""
    return text(props.get("account_id"))


__all__ = ["Failure", "OutpostsProvider", "check_failure", "recorded_account", "stack_config", "target", "text",
           "warn"]

_STACK: list[_aws.StackAwsConfig] = [_aws.StackAwsConfig()]
