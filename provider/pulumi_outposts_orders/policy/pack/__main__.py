"""The ``outposts-orders`` policy pack: spending rules for hardware orders, run by the engine.

``pulumi preview --policy-pack DIR [--policy-pack-config FILE]`` starts it as ``python DIR`` in the pack's own
virtualenv (``venv``, from ``requirements.txt``). The rules are in ``outposts_rules`` (standard library only);
this module declares them to ``pulumi_policy``: names, descriptions, enforcement levels and config schemas.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyPack,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy import policy as _policy_module

try:  # run by the engine as `python <pack directory>`: the directory is on sys.path
    import outposts_rules as rules
except ImportError:  # imported as part of pulumi_outposts_orders (type checks)
    from pulumi_outposts_orders.policy.pack import outposts_rules as rules

NAME = "outposts-orders"
MONEY = {"type": "number", "minimum": 0}
NAMES = {"type": "array", "items": {"type": "string"}, "minItems": 1}
CAPS = PolicyConfigSchema(properties={"max_upfront": MONEY, "max_total": MONEY, "currency": {"type": "string"}})
CAPS_OF_STACK = PolicyConfigSchema(properties={**CAPS.properties, "allow_unpriced": {"type": "boolean"}})
ResourceRule = Callable[[str, str, Mapping[str, Any], Mapping[str, Any]], list[str]]


def _configure_stack_environment() -> None:
    """Give the rules the stack's project, stack, dry-run flag, organization and config, as a program has them.

    The engine sends them to the pack in ConfigureStack once it has started (a plugin's start carries none);
    pulumi_policy 1.21 keeps only the tags from that call, and sets up ``pulumi.Config`` and the runtime
    settings from the PULUMI_* environment variables before each analysis. This puts them there.
    """
    servicer = _policy_module._PolicyAnalyzerServicer
    keep_tags = servicer.ConfigureStack

    def configure_stack(self: Any, request: Any, context: Any) -> Any:
        os.environ.update({
            "PULUMI_PROJECT": request.project,
            "PULUMI_STACK": request.stack,
            "PULUMI_ORGANIZATION": request.organization or "organization",
            "PULUMI_DRY_RUN": "true" if request.dry_run else "false",
            "PULUMI_CONFIG": json.dumps(dict(request.config)),
            "PULUMI_CONFIG_SECRET_KEYS": json.dumps(list(request.config_secret_keys)),
        })
        return keep_tags(self, request, context)

    servicer.ConfigureStack = configure_stack


def resource_policy(name: str, description: str, rule: ResourceRule,
                    schema: PolicyConfigSchema | None = None) -> ResourceValidationPolicy:
    """A policy reporting each violation ``rule`` finds in one resource's inputs (an unknown value at preview:
    pulumi_policy says the rule cannot run yet, and it runs again on the known value before the step)."""
    def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
        for message in rule(args.resource_type, args.name, args.props, args.get_config()):
            report(message, args.urn)

    return ResourceValidationPolicy(name=name, description=description, validate=validate,
                                    enforcement_level=EnforcementLevel.MANDATORY, config_schema=schema)


def _stack_resources(args: StackValidationArgs) -> list[rules.Resource]:
    # Plain values (unknowns stay as the engine's sentinel strings, which no rule takes for a price).
    return [rules.Resource(r.resource_type, r.name, r.props["__target"]) for r in args.resources]


def stack_price_cap(args: StackValidationArgs, report: ReportViolation) -> None:
    """The stack-wide caps."""
    for message in rules.stack_price_cap(_stack_resources(args), args.get_config(), os.environ.get("PULUMI_STACK")):
        report(message, None)


POLICIES = [
    resource_policy("expected-price-required",
                    "Quote-based orders and renewals state the approved price (expected_price).",
                    rules.expected_price_required),
    resource_policy("order-price-cap",
                    "Each order, renewal and Amazon Business order is within max_upfront and max_total.",
                    rules.order_price_cap, CAPS),
    StackValidationPolicy(name="stack-price-cap", enforcement_level=EnforcementLevel.MANDATORY,
                          description="The stack's orders and renewals together are within max_upfront and "
                          "max_total.", validate=stack_price_cap, config_schema=CAPS_OF_STACK),
    resource_policy("allowed-payment", "Payment options and terms are among the allowed ones.",
                    rules.allowed_payment,
                    PolicyConfigSchema(properties={"payment_options": NAMES, "payment_terms": NAMES})),
    resource_policy("allowed-outposts", "Orders and renewals are for allowed Outposts (IDs or ARNs).",
                    rules.allowed_outposts, PolicyConfigSchema(properties={"outposts": NAMES})),
    resource_policy("allowed-items", "Catalog items and Amazon Business ASINs are among the allowed ones.",
                    rules.allowed_items,
                    PolicyConfigSchema(properties={"catalog_items": NAMES, "asins": NAMES})),
    resource_policy("amazon-business-expectations",
                    "Every Amazon Business line states its price; an order is within max_total.",
                    rules.amazon_business_expectations,
                    PolicyConfigSchema(properties={"max_total": MONEY, "currency": {"type": "string"}})),
    resource_policy("retain-on-delete-kept", "Outposts orders keep the retain_on_delete resource option.",
                    rules.retain_on_delete_kept),
]

if __name__ == "__main__":
    _configure_stack_environment()
    PolicyPack(name=NAME, enforcement_level=EnforcementLevel.MANDATORY, policies=POLICIES,
               description="Spending rules for AWS Outposts and Amazon Business hardware orders.")
