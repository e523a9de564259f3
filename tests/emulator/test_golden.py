"""Golden wire tests: the emulator against AWS's published examples, not against its own code.

``golden/create_order_examples.json`` holds the two CreateOrder examples of the AWS Outposts API
Reference as published (the AWS CLI command and its sample response); ``golden/
get_order_response_syntax.txt`` the response syntax of boto3's ``get_order`` documentation. The
same request (the example's own command, run by the AWS CLI, with the example's IDs replaced by
the emulator's seeded ones) must give a response with the same members and values, IDs and dates
aside.
"""

from __future__ import annotations

import ast
import datetime
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pulumi_outposts_orders.emulator.outposts import lifecycle, seed
from pulumi_outposts_orders.emulator.testing import RunningEmulator, boto3_env

from .helpers import order

GOLDEN = Path(__file__).with_name("golden")
EXAMPLES = json.loads((GOLDEN / "create_order_examples.json").read_text())["examples"]
SEEDED_IDS = {"op-1234567890example": seed.RACK_OUTPOST_ID, "oq-1234567890abcdef0": seed.QUOTE_ID,
              "oqo-1234567890abcdef0": seed.QUOTE_OPTION_IDS[0]}
"""The examples' IDs (not even valid for their own patterns, in the Outpost's case) -> seeded IDs."""


def differences(published: Any, got: Any, path: str = "") -> list[str]:
    """How ``got`` differs from ``published``: missing or extra members, other values (IDs and dates aside)."""
    if isinstance(published, dict) and isinstance(got, dict):
        found = [f"missing {path}.{k}" for k in published if k not in got]
        found += [f"extra {path}.{k}" for k in got if k not in published]
        return found + [d for k in published if k in got for d in differences(published[k], got[k], f"{path}.{k}")]
    if isinstance(published, list) and isinstance(got, list):
        if len(published) != len(got):
            return [f"{path} has {len(got)} items, not {len(published)}"]
        pairs = enumerate(zip(published, got, strict=True))
        return [d for i, (p, g) in pairs for d in differences(p, g, f"{path}[{i}]")]
    name = path.rsplit(".", 1)[-1]
    if name.endswith(("Id", "Identifier")) and isinstance(got, str):
        same = got.split("-")[0] == published.split("-")[0]
        return [] if same else [f"{path} is {got!r}, not an ID like {published!r}"]
    if name.endswith("Date") and isinstance(got, str):
        return [] if _utc(got) and _utc(published) else [f"{path} is {got!r}, not a UTC ISO 8601 date"]
    if type(got) is not type(published) or got != published:
        return [f"{path} is {got!r}, not {published!r}"]
    return []


def _utc(text: str) -> bool:
    try:
        return datetime.datetime.fromisoformat(text).utcoffset() == datetime.timedelta(0)
    except ValueError:
        return False


def aws_cli(emulator: RunningEmulator, args: list[str], tmp_path: Path) -> Any:
    """The AWS CLI's JSON output of ``aws ARGS`` against the emulator (dates as ISO 8601, as AWS shows them)."""
    config = tmp_path / "aws-config"
    config.write_text("[default]\ncli_timestamp_format = iso8601\n")
    env = {**boto3_env(emulator.endpoint), "AWS_CONFIG_FILE": str(config)}
    done = subprocess.run([sys.executable, "-m", "awscli", *args, "--output", "json"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["name"] for e in EXAMPLES])
def test_create_order_answers_the_published_example(emulator: RunningEmulator, tmp_path: Path,
                                                    example: dict[str, Any]) -> None:
    request = [SEEDED_IDS.get(arg, arg) for arg in example["request"]]
    got = aws_cli(emulator, request, tmp_path)
    assert differences(example["response"], got) == []


def test_a_member_missing_from_a_published_response_is_a_difference() -> None:
    published = EXAMPLES[0]["response"]
    for member in published["Order"]:
        got = json.loads(json.dumps(published))
        del got["Order"][member]
        assert differences(published, got) == [f"missing .Order.{member}"]
    got = json.loads(json.dumps(published))
    del got["Order"]["LineItems"][0]["Quantity"]
    assert differences(published, got) == ["missing .Order.LineItems[0].Quantity"]


# --- GetOrder against the published response syntax ------------------------------------------------
NOT_PRODUCED = {"PreviousLineItemId": "replacement orders only", "PreviousOrderId": "replacement orders only"}
"""Members of the syntax that no order the emulator places has, and why."""


def syntax() -> Any:
    """The response syntax as data: dicts, [item], str, int, datetime.datetime, or a set of enum values."""
    def value(node: ast.expr) -> Any:
        if isinstance(node, ast.Dict):
            return {ast.literal_eval(k): value(v) for k, v in zip(node.keys, node.values, strict=True) if k}
        if isinstance(node, ast.List):
            return [value(node.elts[0])]
        if isinstance(node, ast.BinOp):  # 'A'|'B'
            return enum(node)
        if isinstance(node, ast.Call):  # datetime(2015, 1, 1)
            return datetime.datetime
        return type(ast.literal_eval(node))  # 'string' or 123

    def enum(node: ast.expr) -> set[str]:
        return enum(node.left) | enum(node.right) if isinstance(node, ast.BinOp) else {ast.literal_eval(node)}

    return value(ast.parse((GOLDEN / "get_order_response_syntax.txt").read_text(), mode="eval").body)


def mismatches(spec: Any, got: Any, path: str, seen: set[str]) -> list[str]:
    """Where ``got`` (boto3's parsed response) breaks ``spec``; records every member path it saw."""
    if isinstance(spec, dict):
        if not isinstance(got, dict):
            return [f"{path} is not an object"]
        found = [f"{path}.{k} is not in the published syntax" for k in got if k not in spec]
        seen.update(f"{path}.{k}" for k in got)
        return found + [m for k in got if k in spec for m in mismatches(spec[k], got[k], f"{path}.{k}", seen)]
    if isinstance(spec, list):
        if not isinstance(got, list) or not got:
            return [f"{path} is not a non-empty list"]
        return [m for item in got for m in mismatches(spec[0], item, f"{path}[]", seen)]
    if isinstance(spec, set):
        return [] if got in spec else [f"{path} is {got!r}, not one of {sorted(spec)}"]
    return [] if isinstance(got, spec) else [f"{path} is {type(got).__name__}, not {spec.__name__}"]


def test_get_order_answers_in_the_published_response_syntax(emulator: RunningEmulator, fresh: Any) -> None:
    spec, seen, found = syntax(), set[str](), []
    racks = order(fresh, quantity=2)
    servers = order(fresh, outpost=seed.SERVER_OUTPOST_ID, item=seed.SERVER_CATALOG_ITEM_ID)
    cancelled = order(fresh)
    fresh.cancel_order(OrderId=cancelled["OrderId"])
    errored = order(fresh)
    emulator.admin.force_order_status(errored["OrderId"], "ERROR")
    elapsed = 0.0
    for stage in lifecycle.SCHEDULE:  # every stage of the schedule, and two orders out of it
        emulator.admin.advance_days(stage.day - elapsed)
        elapsed = stage.day
        for placed in (racks, servers, cancelled, errored):
            response = fresh.get_order(OrderId=placed["OrderId"])
            response.pop("ResponseMetadata")
            found += mismatches(spec, response, "", seen)
    assert found == []
    published = {p for p in _paths(spec, "")}
    assert published - seen == {p for p in published if p.rsplit(".", 1)[-1] in NOT_PRODUCED}


def _paths(spec: Any, path: str) -> list[str]:
    if isinstance(spec, dict):
        return [p for k, v in spec.items() for p in [f"{path}.{k}", *_paths(v, f"{path}.{k}")]]
    if isinstance(spec, list):
        return _paths(spec[0], f"{path}[]")
    return []
