"""Each resource's properties are listed in exactly one place: its schema table. No other tuple, list, set or
dict literal in the services or the tools around them names two or more of a resource's properties (a second
list is how a property gets checked in one place and forgotten in another). The table's own module may relate
properties in a rule; the claim journal and the emulator have their own vocabularies."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import pulumi_outposts_orders
from pulumi_outposts_orders._schema import Schema
from pulumi_outposts_orders.amazon_business import inputs as amazon_business_inputs
from pulumi_outposts_orders.outposts import order_inputs, quote_inputs

PACKAGE = Path(pulumi_outposts_orders.__file__).parent
SCANNED = ("outposts", "amazon_business", "review", "status", "importer.py", "_tokens.py", "__init__.py")
TABLES = {
    "OutpostOrder": (order_inputs.ORDER_SCHEMA, Path(order_inputs.__file__)),
    "OutpostQuote": (quote_inputs.QUOTE_SCHEMA, Path(quote_inputs.__file__)),
    "AmazonBusinessOrder": (amazon_business_inputs.AMAZON_BUSINESS_SCHEMA, Path(amazon_business_inputs.__file__)),
}


def modules() -> list[Path]:
    found: list[Path] = []
    for name in SCANNED:
        path = PACKAGE / name
        found += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return found


def property_lists(path: Path, names: set[str]) -> list[str]:
    """``file:line: [names]`` for each literal collection in ``path`` naming two or more of ``names``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Dict):
            elements: list[ast.expr | None] = list(node.keys)
        elif isinstance(node, ast.Tuple | ast.List | ast.Set):
            elements = list(node.elts)
        else:
            continue
        strings = {e.value for e in elements if isinstance(e, ast.Constant) and isinstance(e.value, str)}
        if len(strings & names) >= 2:
            found.append(f"{path.name}:{node.lineno}: {sorted(strings & names)}")
    return found


@pytest.mark.parametrize("resource", list(TABLES))
def test_no_module_writes_out_a_second_list_of_a_resources_properties(resource: str) -> None:
    schema, table_module = TABLES[resource]
    names = {f.name for f in schema.fields} | set(schema.aliases)
    assert modules(), "nothing scanned"
    found = [hit for path in modules() if path != table_module for hit in property_lists(path, names)]
    assert found == []


def test_the_scan_sees_a_list_when_there_is_one(tmp_path: Path) -> None:
    written = tmp_path / "second_list.py"
    written.write_text('KEYS = ("outpost_identifier", "payment_option")\n')
    schema: Schema = order_inputs.ORDER_SCHEMA
    assert property_lists(written, {f.name for f in schema.fields}) == ["second_list.py:1: ['outpost_identifier', 'payment_option']"]
