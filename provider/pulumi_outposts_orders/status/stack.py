"""Finding a stack as ``pulumi`` finds it, and exporting its state (the automation API)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pulumi_outposts_orders.status.amazon_business import AmazonOrder, amazon_orders
from pulumi_outposts_orders.status.deployment import Order, as_of, orders

if TYPE_CHECKING:  # the contracts (and boto3) are imported only when they are read
    from pulumi_outposts_orders.status.contracts import Contract


@dataclass(frozen=True)
class Stack:
    """A stack's orders as of its last checkpoint (the last ``pulumi up`` or ``refresh``)."""

    name: str
    orders: list[Order]
    as_of: str | None
    amazon_orders: list[AmazonOrder] = field(default_factory=list)
    contracts: list[Contract] | None = None
    """Each Outpost's contract (``--contracts``; ``None``: not asked)."""


class StatusError(Exception):
    """The stack cannot be read (no project, no such stack, no backend access)."""


PROJECT_FILES = ("Pulumi.yaml", "Pulumi.yml")
ENGINE_MISSING = (
    "the Pulumi engine (`pulumi`) is not on PATH. In a clone of this repository, put it there with "
    '`export PATH="$(make -s engine | tail -n1):$PATH"`; elsewhere, install the Pulumi CLI (3.259 or later).'
)

PASSPHRASE_MISSING = (
    "stack {stack} in {root} keeps its secrets with a passphrase, and reading its state needs it: set "
    "PULUMI_CONFIG_PASSPHRASE (the stacks of `make demo` use outposts-orders-demo, the Makefile's default)."
)


def project_root(cwd: str) -> Path:
    """The directory of the Pulumi project that ``pulumi`` would use from ``cwd``: the nearest one
    at or above it holding ``Pulumi.yaml``."""
    start = Path(cwd).resolve()
    for directory in (start, *start.parents):
        if any((directory / name).is_file() for name in PROJECT_FILES):
            return directory
    raise StatusError(f"no Pulumi project in {start} or above it (no Pulumi.yaml): pass --cwd PROJECT_DIR")


def read_stack(stack_name: str | None, cwd: str, contracts: bool = False) -> Stack:
    """The stack and its orders, through the automation API (``pulumi stack export``); with ``contracts``,
    each Outpost's contract too (``status.contracts``: the stack's aws config from ``pulumi config``).

    The project and stack are found as ``pulumi`` finds them: the nearest ``Pulumi.yaml`` at or above
    ``cwd``, the backend from ``PULUMI_BACKEND_URL``, else the project's ``backend.url``, else the login;
    the selected stack, else the only stack there is.
    """
    if shutil.which("pulumi") is None:
        raise StatusError(ENGINE_MISSING)
    from pulumi import automation as auto  # the automation API is only needed here


    root = project_root(cwd)
    try:
        workspace = auto.LocalWorkspace(work_dir=str(root))
        if stack_name is None:
            stack_name = _selected_stack(workspace, root)
        deployment = workspace.export_stack(stack_name).deployment
        config = {key: value.value for key, value in workspace.get_all_config(stack_name).items()} \
            if contracts else {}
    except auto.CommandError as exc:
        if "PULUMI_CONFIG_PASSPHRASE" in str(exc):
            raise StatusError(PASSPHRASE_MISSING.format(stack=stack_name, root=root)) from exc
        raise StatusError(f"cannot read stack {stack_name or '(current)'} in {root}: {_first_error(exc)}") from exc
    except FileNotFoundError as exc:
        raise StatusError(ENGINE_MISSING if exc.filename == "pulumi" else f"cannot read {root}: {exc}") from exc
    found = Stack(stack_name, orders(deployment or {}), as_of(deployment or {}), amazon_orders(deployment or {}))
    if contracts:
        from pulumi_outposts_orders.status import contracts as _contracts

        found = Stack(found.name, found.orders, found.as_of, found.amazon_orders,
                      _contracts.read(_contracts.outposts(deployment or {}), config.get))
    return found


def _selected_stack(workspace: Any, root: Path) -> str:
    """The selected stack; without a selection, the backend's only stack of the project."""
    current = workspace.stack()
    if current is not None:
        return str(current.name)
    names = [str(summary.name) for summary in workspace.list_stacks()]
    if len(names) == 1:
        return names[0]
    if not names:
        raise StatusError(f"the project in {root} has no stack in this backend "
                          "(check PULUMI_BACKEND_URL or the project's backend.url)")
    raise StatusError(f"no stack is selected in {root}: pass --stack NAME (one of {', '.join(sorted(names))})")


def _first_error(exc: Exception) -> str:
    text = str(exc)
    for line in text.splitlines():
        if line.strip().startswith("error:"):
            return line.strip()
    return text.strip().splitlines()[-1] if text.strip() else type(exc).__name__
