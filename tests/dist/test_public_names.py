"""Every resource, its args (both forms) and its typed nested outputs are importable from the package top, as
pulumi-aws exports them: a user's editor completes and type-checks them without knowing the module layout."""

from __future__ import annotations

import inspect
from types import ModuleType

import pulumi_outposts_orders
from pulumi_outposts_orders.amazon_business import outputs as amazon_business_outputs
from pulumi_outposts_orders.amazon_business import resource as amazon_business_resource
from pulumi_outposts_orders.outposts import order, quote
from pulumi_outposts_orders.outposts import outputs as outposts_outputs


def public_classes(module: ModuleType) -> set[str]:
    return {name for name, value in vars(module).items()
            if inspect.isclass(value) and value.__module__ == module.__name__ and not name.startswith("_")}


def test_resources_args_and_outputs_are_exported_from_the_package() -> None:
    expected = set().union(*(public_classes(m) for m in (order, quote, amazon_business_resource, outposts_outputs,
                                                          amazon_business_outputs)))
    assert {"OutpostOrder", "OutpostQuote", "AmazonBusinessOrder", "OrderLineItem", "QuoteOption"} <= expected
    assert expected <= set(pulumi_outposts_orders.__all__)
    for name in pulumi_outposts_orders.__all__:
        assert getattr(pulumi_outposts_orders, name).__name__ == name
