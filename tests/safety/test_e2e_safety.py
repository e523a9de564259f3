"""Order safety through the real engine: faults, a killed `pulumi up`, restarts, prices, secrets.

Every test counts the orders that exist in the emulator (ListOrders), not only what the stack says.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import boto3
import pulumi
import pytest
from e2e_project import Project, kill_up_while_creating, new_project, resources
from pulumi import automation as auto

from pulumi_outposts_orders import LineItemArgs, OutpostOrder
from pulumi_outposts_orders._tokens import ORDER_TYPE
from pulumi_outposts_orders.emulator.outposts import seed
from pulumi_outposts_orders.emulator.testing import (
    TEST_ACCESS_KEY_ID,
    TEST_SECRET_ACCESS_KEY,
    RunningEmulator,
    boto3_env,
)

pytestmark = pytest.mark.e2e

RACK = {
    "outpost_identifier": seed.RACK_OUTPOST_ID,
    "line_items": [LineItemArgs(catalog_item_id=seed.RACK_CATALOG_ITEM_ID, quantity=1)],
    "payment_option": "ALL_UPFRONT",
    "payment_term": "THREE_YEARS",
}
QUOTED = {
    "outpost_identifier": seed.RACK_OUTPOST_ID,
    "quote_identifier": seed.QUOTE_ID,
    "quote_option_identifier": seed.QUOTE_OPTION_IDS[0],
    "payment_option": "ALL_UPFRONT",
    "payment_term": "THREE_YEARS",
}


def program(**declared: dict[str, Any]) -> Callable[[], None]:
    def run() -> None:
        for name, inputs in declared.items():
            pulumi.export(name, OutpostOrder(name, **inputs).order_id)

    return run


def many(count: int) -> Callable[[], None]:
    return program(**{f"rack-{n:02d}": RACK for n in range(count)})


def emulator_orders(emulator: RunningEmulator) -> list[str]:
    env = boto3_env(emulator.endpoint)
    client = boto3.session.Session(
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"], aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"]
    ).client("outposts", region_name="us-east-1", endpoint_url=emulator.endpoint)
    return sorted(o["OrderId"] for page in client.get_paginator("list_orders").paginate() for o in page["Orders"])


def tracked(stack: auto.Stack) -> list[str]:
    return sorted(r["id"] for r in resources(stack, ORDER_TYPE))


def exported_state(stack: auto.Stack) -> Mapping[str, Any]:
    """The stack's state, as ``pulumi stack export`` writes it."""
    deployment = stack.export_stack().deployment
    assert deployment is not None
    return deployment


@pytest.fixture
def project(tmp_path: Path, emulator: RunningEmulator) -> Project:
    return new_project(tmp_path, emulator, name="safety")


@pytest.mark.parametrize("inputs", [RACK, QUOTED], ids=["line-items", "quote"])
def test_a_lost_create_response_stops_naming_the_order_then_it_is_adopted(
    project: Project, emulator: RunningEmulator, inputs: dict[str, Any]
) -> None:
    emulator.admin.set_faults({"CreateOrder": {"drop_response_after_commit": 1}})
    stack = project.stack(program(rack=inputs))
    with pytest.raises(auto.CommandError) as stopped:  # nothing proves the order found is this one's
        stack.up()
    emulator.admin.clear_faults()
    [placed] = emulator_orders(emulator)
    assert "is unknown" in str(stopped.value) and f'adopt_order_id="{placed}"' in str(stopped.value)
    assert tracked(stack) == []
    emulator.admin.reset_calls()
    stack.up(program=program(rack={**inputs, "adopt_order_id": placed}))  # what the message says to do
    assert emulator.admin.calls().get("CreateOrder", 0) == 0
    assert emulator_orders(emulator) == tracked(stack) == [placed]


def test_a_killed_up_during_create_stops_naming_the_order_then_adopts_it(
    project: Project, emulator: RunningEmulator
) -> None:
    (project.work_dir / "__main__.py").write_text(
        "import pulumi\n"
        "from pulumi_outposts_orders import OutpostOrder\n"
        f"order = OutpostOrder('rack', outpost_identifier={seed.RACK_OUTPOST_ID!r},\n"
        f"    line_items=[{{'catalog_item_id': {seed.RACK_CATALOG_ITEM_ID!r}, 'quantity': 1}}],\n"
        "    payment_option='ALL_UPFRONT', payment_term='THREE_YEARS')\n"
        "pulumi.export('order_id', order.order_id)\n"
    )
    assert project.run("pulumi", "stack", "init", "dev").returncode == 0
    kill_up_while_creating(project, emulator)
    assert len(emulator_orders(emulator)) == 1

    stack = project.stack()
    stack.cancel()  # the killed run left the stack locked: `pulumi cancel` removes the lock
    pending = exported_state(stack).get("pending_operations", [])
    assert [op["type"] for op in pending] == ["creating"]
    stack.refresh(clear_pending_creates=True)  # as the README says
    assert not exported_state(stack).get("pending_operations")
    emulator.admin.reset_calls()
    [placed] = emulator_orders(emulator)
    with pytest.raises(auto.CommandError, match=f'adopt_order_id="{placed}"'):
        stack.up()  # the killed send went unanswered: the order found may be another stack's
    main = project.work_dir / "__main__.py"
    main.write_text(main.read_text().replace("payment_term='THREE_YEARS'",
                                             f"payment_term='THREE_YEARS', adopt_order_id={placed!r}"))
    stack.up()
    assert emulator.admin.calls().get("CreateOrder", 0) == 0
    assert emulator_orders(emulator) == tracked(stack) == [placed]


def test_throttling_and_server_errors_everywhere_still_give_exactly_ten_orders(
    project: Project, emulator: RunningEmulator
) -> None:
    project.env["AWS_MAX_ATTEMPTS"] = "30"  # the standard botocore setting; the default is 10
    emulator.admin.set_faults({"*": {"throttle_rate": 0.5, "error_rate": 0.2}})
    stack = project.stack(many(10))
    for _ in range(3):  # a create whose outcome stays unknown 3 times stops; the user runs `up` again
        try:
            stack.up()
            break
        except auto.CommandError as failed:
            assert "stayed unknown 3 times" in str(failed) or "ThrottlingException" in str(failed), str(failed)
    stack.refresh()
    emulator.admin.clear_faults()
    assert len(emulator_orders(emulator)) == 10
    assert tracked(stack) == emulator_orders(emulator)


def test_restarting_the_emulator_between_up_and_refresh_loses_nothing(
    project: Project, emulator: RunningEmulator
) -> None:
    stack = project.stack(many(3))
    stack.up()
    before = emulator_orders(emulator)
    emulator.restart()
    refresh = stack.refresh()
    assert refresh.summary.resource_changes == {"same": 4}
    assert emulator_orders(emulator) == before == tracked(stack)


def test_an_expected_price_mismatch_places_nothing_and_shows_both_prices(
    project: Project, emulator: RunningEmulator
) -> None:
    wrong = {**QUOTED, "expected_price": {"currency": "USD", "upfront_price": 1.0}}
    stack = project.stack(program(quoted=wrong))
    with pytest.raises(auto.CommandError) as failure:
        stack.up()
    message = str(failure.value)
    assert "expected upfront 1.00 USD, quoted" in message
    assert "nothing ordered" in message
    assert emulator_orders(emulator) == []
    assert emulator.admin.calls().get("CreateOrder", 0) == 0


def test_credentials_never_reach_state_logs_or_the_pickled_provider(
    project: Project, emulator: RunningEmulator, tmp_path: Path
) -> None:
    logs = tmp_path / "engine-logs"
    logs.mkdir()
    project.env["TMPDIR"] = str(logs)  # the engine writes its verbose logs there
    stack = project.stack(program(rack=RACK))
    printed: list[str] = []
    stack.up(on_output=printed.append, log_verbosity=9, log_flow=True, debug=True)
    state = str(stack.export_stack().deployment)
    pickled = base64.b64decode(resources(stack, ORDER_TYPE)[0]["inputs"]["__provider"])
    engine_logs = [path.read_text(errors="replace") for path in logs.rglob("*") if path.is_file()]
    assert engine_logs, "the engine wrote no log files"
    everything = [state, "\n".join(printed), *engine_logs]
    for secret in (TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY):
        assert not [text for text in everything if secret in text]
        assert secret.encode() not in pickled
    assert len(pickled) < 2048, f"the pickled provider is {len(pickled)} bytes"


def test_fifty_orders_with_default_parallelism_are_fifty_orders(project: Project, emulator: RunningEmulator) -> None:
    stack = project.stack(many(50))
    up = stack.up()
    assert up.summary.resource_changes == {"create": 51}
    assert emulator.admin.calls()["CreateOrder"] == 50
    assert len(emulator_orders(emulator)) == 50
    assert tracked(stack) == emulator_orders(emulator)


def test_two_identical_resources_get_two_orders(project: Project, emulator: RunningEmulator) -> None:
    stack = project.stack(program(first=RACK, second=RACK))
    stack.up()
    assert len(emulator_orders(emulator)) == 2
    assert tracked(stack) == emulator_orders(emulator)
