"""Derive JSON Schemas from Amazon's published Swagger 2.0 models of the Amazon Business APIs.

    python scripts/derive_ab_schemas.py PATH/TO/Ordering_API.json > tests/amazon_business/published/ordering.json
    python scripts/derive_ab_schemas.py PATH/TO/PackageTracking_API.json \
        > tests/amazon_business/published/package_tracking.json
    python scripts/derive_ab_schemas.py PATH/TO/Reporting_API_v2025_06_09.json \
        > tests/amazon_business/published/reporting.json

Which model it is (so its roots and the source named) is told by the model's ``info.title`` (``MODELS``);
``--roots A,B`` names other roots (of any model). The Ordering model's licence is not stated and the Package
Tracking model's is the Amazon Software License, so the repository keeps neither document, only what the
conformance tests need, derived: one JSON Schema (draft 2020-12) per definition reachable from the roots, with
Swagger's ``discriminator`` made explicit (a base type is ``oneOf`` its subtypes, each flattened over its
``allOf`` chain with its discriminator value as a ``const``) and objects closed (``additionalProperties:
false``), so a member the model does not define fails; a string whose description lists its ``**Possible
values:**`` gets them as its ``enum`` (the Reporting model states its enums only so); a base type whose subtypes
the model does not define (``ProductReference``, ``UserReference``, …) only needs its discriminator.
Descriptions are left out. The output names its source and the source's SHA-256.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOTS = ("PlaceOrderRequest", "PlaceOrderResult", "OrderDetailsResult", "ErrorList")
"""The Ordering model's roots: the request and result shapes."""
TRACKING_ROOTS = ("GetPackageTrackingDetailsResponse", "ErrorList")
"""The Package Tracking model's roots: getPackageTrackingDetails's answers."""
KEEP = ("const", "type", "enum", "format", "minLength", "maxLength", "minItems", "maxItems", "minimum", "maximum",
        "pattern")
SOURCE = ("Amazon Business Ordering API model (Swagger 2.0), as published; public copy: github.com/"
          "abuzuhri/Amazon-Business-API-CSharp, Source/CSharpAmazonBusinessAPI/OpenAPIs/Ordering_API.json")
TRACKING_SOURCE = ("Amazon Business API for Package Tracking Details (Swagger 2.0, version 2025-07-02), as published "
                   "under the Amazon Software License (so only this derivation is kept); public copy: github.com/"
                   "abuzuhri/Amazon-Business-API-CSharp at commit eecd13a40a5300ec369bbaf45ab4f96f508d35d5, "
                   "Source/CSharpAmazonBusinessAPI/OpenAPIs/PackageTracking_API.json")
REPORTING_ROOTS = ("GetOrderReportsResponse", "GetOrderReportsByPurchaseOrderNumberResponse", "ErrorList")
"""The Reporting model's roots: the order reports' answers (the line-item and shipment reports are not used)."""
REPORTING_SOURCE = ("Amazon Business API for Order and Shipment Reporting (Swagger 2.0, version 2025-06-09), as "
                    "published under the Amazon Software License (so only this derivation is kept); public copy: "
                    "github.com/abuzuhri/Amazon-Business-API-CSharp at commit "
                    "2b64aa2b11867574da695f1c38fe515fff62b27b, Source/CSharpAmazonBusinessAPI/OpenAPIs/"
                    "Reporting_API_v2025_06_09.json")
MODELS = {
    "Amazon Business Ordering API Model": (ROOTS, SOURCE),
    "Amazon Business API for Package Tracking Details": (TRACKING_ROOTS, TRACKING_SOURCE),
    "Amazon Business API for Order and Shipment Reporting": (REPORTING_ROOTS, REPORTING_SOURCE),
}
"""Each published model, by its ``info.title``: its roots and the source to name."""


def known(model: dict[str, Any]) -> tuple[tuple[str, ...], str]:
    """The roots and the source of ``model``, told by its title (ValueError for a model not in ``MODELS``)."""
    title = model.get("info", {}).get("title")
    if title not in MODELS:
        raise ValueError(f"unknown model {title!r}: name its roots with --roots, or add it to MODELS "
                         f"({', '.join(map(repr, MODELS))})")
    return MODELS[title]


def derive(model: dict[str, Any], roots: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The JSON Schema document: ``$defs`` for every definition reachable from ``roots`` (by default the
    model's, told by its title: ``MODELS``)."""
    title = model.get("info", {}).get("title")
    if roots is None:
        roots, source = known(model)
    else:
        source = MODELS[title][1] if title in MODELS else f"{title} (Swagger 2.0)"
    definitions: dict[str, Any] = model["definitions"]
    subtypes: dict[str, list[str]] = {}
    for name, definition in definitions.items():
        for part in definition.get("allOf", []):
            if "$ref" in part:
                subtypes.setdefault(part["$ref"].rsplit("/", 1)[1], []).append(name)
    defs: dict[str, Any] = {}
    missing = [root for root in roots if root not in definitions]
    if missing:
        raise ValueError(f"the model has no definition {', '.join(missing)}")
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in defs:
            continue
        defs[name] = _definition(name, definitions, subtypes, defs, todo)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$comment": source, "$defs": dict(sorted(
        defs.items()))}


def _definition(name: str, definitions: dict[str, Any], subtypes: dict[str, list[str]], defs: dict[str, Any],
                todo: list[str]) -> dict[str, Any]:
    if definitions[name].get("type") not in (None, "object"):
        return _schema(definitions[name])  # a named scalar (an enum)
    base = _root_of(name, definitions)
    discriminator = definitions[base].get("discriminator") if base else None
    concrete = sorted(_descendants(name, subtypes))
    if discriminator and name == base and concrete:  # a base type: exactly one of its concrete subtypes
        todo.extend(concrete)
        return {"oneOf": [{"$ref": f"#/$defs/{sub}"} for sub in concrete]}
    if discriminator and name == base:  # subtypes named in the documentation only: the members cannot be checked
        return {"type": "object", "properties": {discriminator: {"type": "string", "minLength": 1}},
                "required": [discriminator], "$comment": "no subtype in the model"}
    properties, required = _flattened(name, definitions)
    if discriminator:
        properties[discriminator] = {"const": name}
        required.add(discriminator)
    for schema in properties.values():
        todo.extend(_refs(schema))
    return {"type": "object", "properties": {k: _schema(v) for k, v in sorted(properties.items())},
            "required": sorted(required), "additionalProperties": False}


def _root_of(name: str, definitions: dict[str, Any]) -> str | None:
    """The discriminated base type ``name`` descends from (itself if it is one), if any."""
    definition = definitions[name]
    if definition.get("discriminator"):
        return name
    for part in definition.get("allOf", []):
        if "$ref" in part:
            return _root_of(part["$ref"].rsplit("/", 1)[1], definitions)
    return None


def _descendants(name: str, subtypes: dict[str, list[str]]) -> set[str]:
    found: set[str] = set()
    for sub in subtypes.get(name, []):
        found |= {sub} | _descendants(sub, subtypes)
    return found


def _flattened(name: str, definitions: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """Properties and required members of ``name`` over its ``allOf`` chain."""
    definition = definitions[name]
    properties: dict[str, Any] = dict(definition.get("properties", {}))
    required: set[str] = set(definition.get("required", []))
    for part in definition.get("allOf", []):
        if "$ref" in part:
            inherited, needed = _flattened(part["$ref"].rsplit("/", 1)[1], definitions)
        else:
            inherited, needed = dict(part.get("properties", {})), set(part.get("required", []))
        properties.update(inherited)
        required |= needed
    return properties, required


def _schema(swagger: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in swagger:
        return {"$ref": "#/$defs/" + swagger["$ref"].rsplit("/", 1)[1]}
    schema = {key: swagger[key] for key in KEEP if key in swagger}
    documented = _possible_values(swagger)
    if documented and "enum" not in schema:
        schema["enum"] = documented
    if schema.get("format") == "date-time":
        del schema["format"]  # the model's own example ("2020-07-10 15:00:00.000") is not RFC 3339
    if "items" in swagger:
        schema["items"] = _schema(swagger["items"])
    if "properties" in swagger:
        schema["properties"] = {k: _schema(v) for k, v in sorted(swagger["properties"].items())}
        schema["required"] = sorted(swagger.get("required", []))
        schema["additionalProperties"] = False
    return schema


def _possible_values(swagger: dict[str, Any]) -> list[str]:
    """The values a string's description lists under ``**Possible values:**`` (``- `CLOSED` : …``): the
    Reporting model documents its enums (order status, charge type) this way only."""
    description = str(swagger.get("description") or "")
    if swagger.get("type") != "string" or "**Possible values:**" not in description:
        return []
    listed = description.split("**Possible values:**", 1)[1]
    return re.findall(r"^- `([A-Z_]+)`", listed, flags=re.MULTILINE)


def _refs(swagger: dict[str, Any]) -> list[str]:
    found = [swagger["$ref"].rsplit("/", 1)[1]] if "$ref" in swagger else []
    nested = [swagger["items"]] if "items" in swagger else []
    for schema in [*nested, *(swagger.get("properties") or {}).values()]:
        found += _refs(schema)
    return found


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog=Path(argv[0]).name, description=__doc__.split("\n", 1)[0])
    parser.add_argument("model", type=Path, help="the published model (Swagger 2.0 JSON)")
    parser.add_argument("--roots", help="comma-separated definitions to start from (default: by the model's title)")
    arguments = parser.parse_args(argv[1:])
    text = arguments.model.read_bytes()
    roots = tuple(r.strip() for r in arguments.roots.split(",") if r.strip()) if arguments.roots else None
    try:
        document = derive(json.loads(text), roots)
    except ValueError as error:
        parser.error(str(error))
    document["$comment"] += f"; sha256 {hashlib.sha256(text).hexdigest()}"
    print(json.dumps(document, indent=1, sort_keys=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
