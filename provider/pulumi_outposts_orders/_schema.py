"""One declaration per resource property: its kind, its API member, its check (terraform's schema block).

Each resource's table (``order_inputs.ORDER_SCHEMA``, ``quote_inputs.QUOTE_SCHEMA``,
``amazon_business.inputs.AMAZON_BUSINESS_SCHEMA``) is the only place
its properties are listed. What diff, update, check, the outputs and the resource class need is derived
from it (``Schema.inputs``, ``Schema.named``, ``Schema.parameters``, ``Schema.outputs``), never written
out again; ``tests/orders/test_schema.py`` holds the resource classes to it.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pulumi_outposts_orders._dynamic import Failure
from pulumi_outposts_orders._unknowns import is_unknown

Check = Callable[[Any, Mapping[str, Any]], list[Failure]]
"""A provider-side rule for one input: ``(value, all inputs) -> failures``; called for known, set values only."""


class Kind(enum.Enum):
    """What a property is, and what a change of it does."""

    REPLACES = "replaces"  # an input: a change replaces the resource
    IN_PLACE = "in-place"  # an input: a change is an update
    CREATE_ONLY = "create-only"  # an input read at create only: a later change is no change (diff guards it)
    OUTPUT = "output"  # computed by the provider: never declared


@dataclass(frozen=True)
class Field:
    """One property of a resource.

    ``api`` is the request member an input is sent as (``None``: provider-only, never sent to AWS), or
    the response member an output is read from (``None``: computed by the provider). ``check`` is the
    provider's own rule; API members are also checked against botocore's model. ``declared``: a
    parameter of the resource's constructor (``False``: the resource class sets it). ``same_order``:
    part of "the same order" (``same_order.OrderSpec``). ``required``: a value must be given, so its
    ``check`` is called for an unset value too. ``aliases``: former names of the property, still read
    from programs and from state written before the rename (``Schema.renamed``)."""

    name: str
    kind: Kind
    api: str | None = None
    check: Check | None = None
    declared: bool = True
    same_order: bool = False
    required: bool = False
    aliases: tuple[str, ...] = ()

    @property
    def provider_only(self) -> bool:
        """An input the provider reads but never sends to AWS."""
        return self.kind is not Kind.OUTPUT and self.api is None


@dataclass(frozen=True)
class Schema:
    """A resource's properties, in declaration order."""

    fields: tuple[Field, ...]

    def __post_init__(self) -> None:
        names = [f.name for f in self.fields] + [alias for f in self.fields for alias in f.aliases]
        if len(names) != len(set(names)):
            raise ValueError(f"a property is declared twice: {names}")

    @property
    def inputs(self) -> dict[str, str | None]:
        """Every input (declared or set by the resource class) → its API member (``None``: provider-only)."""
        return {f.name: f.api for f in self.fields if f.kind is not Kind.OUTPUT}

    def named(self, *kinds: Kind) -> tuple[str, ...]:
        """The names of the properties of ``kinds``, in declaration order."""
        return tuple(f.name for f in self.fields if f.kind in kinds)

    @property
    def parameters(self) -> tuple[str, ...]:
        """The resource constructor's keyword parameters (and its ``*Args`` fields)."""
        return tuple(f.name for f in self.fields if f.kind is not Kind.OUTPUT and f.declared)

    @property
    def outputs(self) -> tuple[str, ...]:
        """The output-only properties (every input is an output too)."""
        return self.named(Kind.OUTPUT)

    @property
    def same_order(self) -> tuple[str, ...]:
        """The inputs that "the same order" (``OrderSpec``) compares."""
        return tuple(f.name for f in self.fields if f.same_order)

    @property
    def aliases(self) -> dict[str, str]:
        """Each former name of a property → its name now."""
        return {alias: f.name for f in self.fields for alias in f.aliases}

    def renamed(self, props: Mapping[str, Any]) -> dict[str, Any]:
        """``props`` with each value under a former name moved to the name now (a value already under the
        name now wins): how state written before a rename, and programs still using the old name, are read."""
        found = dict(props)
        for alias, name in self.aliases.items():
            if alias in found:
                value = found.pop(alias)
                if found.get(name) is None:
                    found[name] = value
        return found

    def field(self, name: str) -> Field:
        """The property ``name``."""
        return next(f for f in self.fields if f.name == name)

    def checks(self, props: Mapping[str, Any], provider_only: bool) -> list[Failure]:
        """The failures of the inputs' own checks (API members' or provider-only ones'), in table order;
        unknown values pass, and so do unset ones unless ``required``."""
        failures: list[Failure] = []
        for f in self.fields:
            value = props.get(f.name)
            if (f.check is None or f.provider_only is not provider_only or is_unknown(value)
                    or (value is None and not f.required)):
                continue
            failures += f.check(value, props)
        return failures
