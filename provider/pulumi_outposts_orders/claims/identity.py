"""A resource's identity: the name its journal records and its Amazon Business ``externalId`` derive from.

The constructor declares the resource's name now (``_resource_args.resource_key``); ``check`` keeps the
name the resource was first placed under, carried forward in its inputs, because the engine passes
the old inputs to every check of a resource it already holds (updates, replacements, targeted
replacements, aliases). Nothing the engine renames changes it.
"""

from __future__ import annotations

from typing import Any

from pulumi_outposts_orders._dynamic import text, warn
from pulumi_outposts_orders._unknowns import is_unknown
from pulumi_outposts_orders.claims import store
from pulumi_outposts_orders.claims.journal import JournalError


def identity(carried: Any, declared: Any) -> Any:
    """The resource's name in the attempt journal: fixed at first placement, carried forward from the old
    inputs (``carried``, absent for a new resource) whatever the engine calls the resource now
    (``declared``: an alias, a stack or project rename, a move into a component). A rename is recorded as
    an alias of the new name, so a resource declared again under it (after `pulumi state delete`, or in
    the check the engine repeats without old inputs for a replacement) is still known as the one that
    placed its order."""
    carried = text(carried)
    if not isinstance(declared, str) or is_unknown(declared) or not declared:
        return carried or declared
    journal = store.journal()
    if carried is None:
        return journal.identity_of(declared) or declared
    if carried != declared:
        try:
            journal.alias(declared, carried)
        except JournalError as exc:
            warn(f"the rename of {carried} to {declared} could not be recorded: {exc}")
    return carried
