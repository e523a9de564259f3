"""How the resource classes read their constructor call: the ``*Args`` form or the keyword form.

pulumi-aws's convention: ``Resource(name, args, opts=None)`` or ``Resource(name, opts=None, **inputs)``;
the keyword names are the resource schema's ``parameters``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Collection, Mapping
from typing import Any, cast

import pulumi
from pulumi import Input, Output, ResourceOptions


def resource_inputs(
    resource: str, args_type: type[Any], parameters: Collection[str], args: tuple[Any, ...], kwargs: Mapping[str, Any]
) -> tuple[dict[str, Any], ResourceOptions | None]:
    """Every parameter's value (``None`` when not given) and the resource options of one constructor call.

    ``TypeError`` for an unknown keyword, too many positional arguments, or an ``*Args`` object together
    with keyword inputs."""
    given = dict(kwargs)
    positional = list(args)
    found = given.pop("args", None)
    if positional and (isinstance(positional[0], args_type) or positional[0] is None):
        found = positional.pop(0) if found is None else found  # ``Resource(name, args, opts)``, args may be None
    opts = given.pop("opts", None)
    if positional and (isinstance(positional[0], ResourceOptions) or positional[0] is None):
        opts = positional.pop(0)
    if positional:
        raise TypeError(f"{resource}: unexpected positional argument(s); give inputs as keywords or as one args object")
    unknown = sorted(set(given) - set(parameters))
    if unknown:
        raise TypeError(f"{resource}: unknown argument(s) {', '.join(unknown)}")
    if found is not None and not isinstance(found, args_type):
        raise TypeError(f"{resource}: args must be a {args_type.__name__} (got {type(found).__name__})")
    if found is not None and any(value is not None for value in given.values()):
        raise TypeError(f"{resource}: give either args or keyword arguments, not both")
    if found is not None:
        return {f.name: getattr(found, f.name) for f in dataclasses.fields(found)}, opts
    return {name: given.get(name) for name in parameters}, opts


def resource_key(resource_name: str, resource_type: str, opts: ResourceOptions | None) -> Input[str]:
    """A resource's name, unique in its organization and stable across runs and machines.

    At top level ``organization/project/stack/name`` (no part before the name can hold a ``/``); inside a
    component ``organization/`` and the resource's own URN, built from its parent's URN. The URN is the
    engine's unique name (types joined by ``$``, parts by ``::``), so no two resources share a key however
    their names are spelled. The parent's URN is read without depending on the parent: an input that
    depends on an ancestor component would be a dependency cycle (the component waits for its children)."""
    parent = opts.parent if opts is not None else None
    organization = pulumi.get_organization()
    if parent is None:
        return f"{organization}/{pulumi.get_project()}/{pulumi.get_stack()}/{resource_name}"
    parent_urn = parent.urn
    urn_value = cast("Awaitable[str]", parent_urn.future())
    independent: Output[str] = Output(set(), urn_value, parent_urn.is_known(), parent_urn.is_secret())
    return independent.apply(lambda urn: f"{organization}/{child_urn(urn, resource_type, resource_name)}")


def child_urn(parent_urn: str, resource_type: str, resource_name: str) -> str:
    """The URN the engine gives a resource of ``resource_type`` named ``resource_name`` under ``parent_urn``."""
    stack, project, qualified_type, _parent_name = parent_urn.split("::", 3)  # urn:pulumi:STACK, PROJECT, TYPES, NAME
    parent_types = qualified_type.split("$")
    if parent_types == ["pulumi:pulumi:Stack"]:  # the stack is every top-level resource's parent: not in URNs
        parent_types = []
    return f"{stack}::{project}::{'$'.join([*parent_types, resource_type])}::{resource_name}"
