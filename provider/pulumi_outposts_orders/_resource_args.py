"""How the resource classes read their constructor call: the ``*Args`` form or the keyword form.

pulumi-aws's convention: ``Resource(name, args, opts=None)`` or ``Resource(name, opts=None, **inputs)``;
the keyword names are the resource schema's ``parameters``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping
from typing import Any

import pulumi
from pulumi import Input, ResourceOptions


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


def resource_key(resource_name: str, opts: ResourceOptions | None) -> Input[str]:
    """A resource's name unique in its stack and stable across runs and machines (its parent's URN, or the stack's)."""
    parent = opts.parent if opts is not None else None
    if parent is not None:
        return parent.urn.apply(lambda urn: f"{urn}/{resource_name}")
    return f"{pulumi.get_organization()}/{pulumi.get_project()}/{pulumi.get_stack()}/{resource_name}"
