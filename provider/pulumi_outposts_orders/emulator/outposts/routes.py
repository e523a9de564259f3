"""Which operation a request is: the HTTP method and requestUri of every operation in the model."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import unquote

from botocore.model import OperationModel

from pulumi_outposts_orders.aws.model import service_model
from pulumi_outposts_orders.emulator.errors import ApiError


@dataclass(frozen=True)
class Route:
    """An operation's method and compiled requestUri (labels become named groups)."""

    method: str
    pattern: re.Pattern[str]
    operation: OperationModel


@cache
def routes() -> tuple[Route, ...]:
    """Routes of every operation of the service model, the most literal first."""
    model = service_model()
    found = []
    for name in model.operation_names:
        operation = model.operation_model(name)
        template = operation.http["requestUri"].split("?", 1)[0]
        found.append(Route(operation.http["method"], _compile(template), operation))
    return tuple(sorted(found, key=lambda route: route.pattern.pattern.count("(?P<")))


def match(method: str, raw_path: str) -> tuple[OperationModel, dict[str, str]]:
    """The operation for ``method`` and the still-encoded ``raw_path``, with its decoded URI labels."""
    for route in routes():
        found = route.pattern.fullmatch(raw_path)
        if found and route.method == method:
            return route.operation, {k: unquote(v) for k, v in found.groupdict().items()}
    raise ApiError("UnknownOperationException", f"No Outposts operation is {method} {raw_path}")


def _compile(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)(\+?)\}", template)
    regex = ""
    for index in range(0, len(parts), 3):
        regex += re.escape(parts[index])
        if index + 1 < len(parts):
            label, greedy = parts[index + 1], parts[index + 2]
            regex += f"(?P<{label}>.+)" if greedy else f"(?P<{label}>[^/]+)"
    return re.compile(regex)
