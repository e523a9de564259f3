"""A resource's identity survives what the engine renames, through the real engine: no second live order.

The attempt journal names a resource by the ``placement_key`` it was first placed under, carried
forward by ``check`` whatever the engine calls the resource now. Each test asserts what a customer
would check: the live orders in the emulator (ListOrders + GetOrder, outside any stack) and the orders
the stack tracks.

- A: a transformation (three forms) sets ``retain_on_delete`` after the constructor, so the
  resource's own inputs do not show it; a replacement on a fresh runner still orders nothing.
- B: a rename by alias keeps the order; a retained forced replacement of the renamed resource, and
  the renamed resource declared again after ``pulumi state delete``, order nothing; adoption tracks it.
- C: a stack rename and a project rename, then a retained forced replacement: no second order.
- D: a journal record of another endpoint (an emulator this stack no longer uses) blocks nothing.

The engine retains what the *old* state says is retained: a retain_on_delete that arrives in the same
run as the replacement does not retain the old order (it is cancelled first), so the retained
replacements here set it in an earlier run, as a customer's stack would have it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pulumi
import pytest
from e2e_project import Project, new_project, resources
from e2e_project import live_orders as live
from e2e_project import order_statuses as statuses
from e2e_project import order_urn as urn_of
from e2e_project import tracked_orders as tracked
from pulumi import ResourceOptions
from pulumi import automation as auto

from pulumi_outposts_orders import OutpostOrder
from pulumi_outposts_orders._tokens import ORDER_TYPE
from pulumi_outposts_orders.emulator.testing import RunningEmulator
from safety.test_e2e_one_live_order import rack

pytestmark = pytest.mark.e2e

RETAINED = ResourceOptions(retain_on_delete=True)


def _forget_stopped_callback_servers() -> None:
    """Work around the Python SDK (3.259) for several inline runs in one process: the callback servers that new-style
    transforms start are kept in a class-level list that outlives each run, and every run stops all of them at
    its end, so a later run fails stopping a server of an earlier run's closed event loop ("attached to a
    different loop"). Each run stopped its own servers already; this run starts from an empty list."""
    from pulumi.runtime._callbacks import _CallbackServicer

    _CallbackServicer._servicers.clear()


@pytest.fixture(autouse=True)
def _no_callback_servers_left_behind() -> Iterator[None]:
    """Tests that run after these in this process must not inherit their stopped callback servers."""
    yield
    _forget_stopped_callback_servers()


# --- helpers ---------------------------------------------------------
def program(**declared: dict[str, Any]) -> Callable[[], None]:
    def run() -> None:
        _forget_stopped_callback_servers()
        for name, inputs in declared.items():
            inputs = dict(inputs)
            opts = inputs.pop("opts", None)
            pulumi.export(name, OutpostOrder(name, opts=opts, **inputs).order_id)

    return run












def created(emulator: RunningEmulator) -> int:
    """How many CreateOrder calls the emulator answered since it started."""
    return emulator.admin.calls().get("CreateOrder", 0)


def fresh_runner(project: Project, journal: Path) -> Project:
    """The same project and backend on another machine: its own, empty attempt journal."""
    return Project(project.name, project.work_dir, {**project.env, "PULUMI_OUTPOSTS_ORDERS_JOURNAL": str(journal)})


def cli(project: Project, *args: str) -> str:
    """``pulumi ARGS`` in the project directory; fails the test with the CLI's output when it fails."""
    done = project.run("pulumi", *args)
    assert done.returncode == 0, f"pulumi {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture
def project(tmp_path: Path, emulator: RunningEmulator) -> Project:
    return new_project(tmp_path, emulator, name="identity")


# --- A: retain_on_delete set by a transformation, after the constructor -----------------------------------
def _retain(opts: ResourceOptions | None) -> ResourceOptions:
    return ResourceOptions.merge(opts or ResourceOptions(), RETAINED)


def _is_order(type_: str) -> bool:
    return type_ == ORDER_TYPE or type_.endswith(":OutpostOrder")


def _old_style(args: pulumi.ResourceTransformationArgs) -> pulumi.ResourceTransformationResult | None:
    if not _is_order(args.type_):
        return None
    return pulumi.ResourceTransformationResult(args.props, _retain(args.opts))


def _new_style(args: pulumi.ResourceTransformArgs) -> pulumi.ResourceTransformResult | None:
    if not _is_order(args.type_):
        return None
    return pulumi.ResourceTransformResult(args.props, _retain(args.opts))


async def _new_style_async(args: pulumi.ResourceTransformArgs) -> pulumi.ResourceTransformResult | None:
    return _new_style(args)


def _transformed(form: str, inputs: dict[str, Any]) -> Callable[[], None]:
    """One OutpostOrder "rack" declared with ``inputs``, retained by a transformation of the given form."""
    options = {
        "stack_transformation": None,
        "transformations": ResourceOptions(transformations=[_old_style]),
        "transforms": ResourceOptions(transforms=[_new_style]),
        "transforms_async": ResourceOptions(transforms=[_new_style_async]),
    }[form]
    declare = program(rack={**inputs, "opts": options})

    def run() -> None:
        if form == "stack_transformation":
            pulumi.runtime.register_stack_transformation(_old_style)
        declare()

    return run


@pytest.mark.parametrize("form", ["stack_transformation", "transformations", "transforms", "transforms_async"])
def test_a_a_transformation_that_retains_the_order_stops_its_replacement_on_a_fresh_runner(
    project: Project, emulator: RunningEmulator, tmp_path: Path, form: str
) -> None:
    stack = project.stack(_transformed(form, rack(quantity=1)))
    old = stack.up().outputs["rack"].value
    assert live(emulator) == tracked(stack) == [old]
    assert [r.get("retainOnDelete") for r in resources(stack, ORDER_TYPE)] == [True]  # the engine retains it
    assert [r["inputs"]["retain_on_delete"] for r in resources(stack, ORDER_TYPE)] == [False]  # its inputs do not

    runner = fresh_runner(project, tmp_path / "runner-2")  # a CI runner that never ran this stack
    replaced = runner.stack(_transformed(form, rack(quantity=2)))
    with pytest.raises(auto.CommandError) as refused:
        replaced.up()
    message = str(refused.value)
    assert old in message and "still live" in message and "retain_on_delete" in message, message
    assert created(emulator) == 1  # nothing new was sent
    assert live(emulator) == [old]
    assert tracked(replaced) == [old]


@pytest.mark.parametrize("form", ["stack_transformation", "transforms"])
def test_a_a_transformation_added_with_the_replacement_still_leaves_one_live_order(
    project: Project, emulator: RunningEmulator, tmp_path: Path, form: str
) -> None:
    """The engine decides whether to retain from the *old* state: a retain_on_delete that arrives together with
    the replacing change does not retain the old order, so it is cancelled before the new one is placed."""
    stack = project.stack(program(rack=rack(quantity=1)))
    old = stack.up().outputs["rack"].value

    runner = fresh_runner(project, tmp_path / "runner-2")
    replaced = runner.stack(_transformed(form, rack(quantity=2)))
    try:
        replaced.up()
    except auto.CommandError:
        assert live(emulator) == tracked(replaced) == [old]  # refused: nothing new was sent
        assert created(emulator) == 1
    else:
        assert statuses(emulator)[old] == "CANCELLED"
    [current] = live(emulator)
    assert tracked(replaced) == [current] and created(emulator) <= 2


# --- B: a rename by alias, then a retained forced replacement and a state delete ---------------------------
def test_b_a_renamed_resource_keeps_its_order_through_replace_and_state_delete(
    project: Project, emulator: RunningEmulator
) -> None:
    stack = project.stack(program(rack=rack()))
    old = stack.up().outputs["rack"].value

    aliased = ResourceOptions(aliases=[pulumi.Alias(name="rack")])
    renamed = stack.up(program=program(**{"rack-renamed": rack(opts=aliased)}))
    assert renamed.outputs["rack-renamed"].value == old
    assert created(emulator) == 1 and live(emulator) == tracked(stack) == [old]
    urn = urn_of(stack, "rack-renamed")

    # (i) a forced replacement of the renamed resource, retained: the old order would stay live. The engine
    # retains what the state says is retained, so retain_on_delete is set first (in place, nothing ordered).
    retained = program(**{"rack-renamed": rack(opts=ResourceOptions(aliases=[pulumi.Alias(name="rack")],
                                                                   retain_on_delete=True))})
    stack.up(program=retained)
    assert created(emulator) == 1 and live(emulator) == tracked(stack) == [old]
    with pytest.raises(auto.CommandError) as refused:
        stack.up(program=retained, replace=[urn])
    assert old in str(refused.value) and "still live" in str(refused.value), str(refused.value)
    assert created(emulator) == 1 and live(emulator) == tracked(stack) == [old]

    # (ii) forgotten by the stack, then declared again under the new name, without the alias
    cli(project, "state", "delete", urn, "--yes", "--stack", stack.name)
    assert tracked(stack) == []
    again = program(**{"rack-renamed": rack()})
    with pytest.raises(auto.CommandError) as stopped:
        stack.up(program=again)
    message = str(stopped.value)
    assert old in message and f'adopt_order_id="{old}"' in message, message
    assert created(emulator) == 1 and live(emulator) == [old] and tracked(stack) == []

    adopted = stack.up(program=program(**{"rack-renamed": rack(adopt_order_id=old)}))
    assert adopted.outputs["rack-renamed"].value == old
    assert created(emulator) == 1 and live(emulator) == tracked(stack) == [old]


# --- C: stack and project renames ---------------------------------------------------------------------------
def _replace_retained(project: Project, stack_name: str, emulator: RunningEmulator, old: str, first_key: str) -> None:
    """``up --replace`` of "rack" with retain_on_delete in ``project``'s ``stack_name``: refused, nothing ordered."""
    stack = project.stack(program(rack=rack(opts=RETAINED)), stack_name)
    assert tracked(stack) == [old]
    urn = urn_of(stack, "rack")
    stack.up()  # the engine retains what the state says is retained: set it first (in place, nothing ordered)
    [state] = resources(stack, ORDER_TYPE)
    assert state.get("retainOnDelete") is True
    assert state["inputs"]["placement_key"] == first_key  # the identity it was first placed under, carried
    assert created(emulator) == 1 and live(emulator) == tracked(stack) == [old]
    with pytest.raises(auto.CommandError) as refused:
        stack.up(replace=[urn])
    assert old in str(refused.value) and "still live" in str(refused.value), str(refused.value)
    assert created(emulator) == 1 and live(emulator) == [old]


RUNNERS = pytest.mark.parametrize("runner", ["same-runner", "fresh-runner"])


def _after_rename(project: Project, runner: str, tmp_path: Path) -> Project:
    return project if runner == "same-runner" else fresh_runner(project, tmp_path / "runner-2")


@RUNNERS
def test_c_a_renamed_stack_never_orders_twice_on_a_retained_replacement(
    project: Project, emulator: RunningEmulator, tmp_path: Path, runner: str
) -> None:
    stack = project.stack(program(rack=rack()))
    old = stack.up().outputs["rack"].value
    [first_key] = [r["inputs"]["placement_key"] for r in resources(stack, ORDER_TYPE)]
    cli(project, "stack", "rename", "prod", "--stack", "dev")
    renamed = _after_rename(project, runner, tmp_path)
    assert urn_of(renamed.stack(program(rack=rack()), "prod"), "rack").startswith("urn:pulumi:prod::")
    _replace_retained(renamed, "prod", emulator, old, first_key)


@RUNNERS
def test_c_a_renamed_project_never_orders_twice_on_a_retained_replacement(
    project: Project, emulator: RunningEmulator, tmp_path: Path, runner: str
) -> None:
    stack = project.stack(program(rack=rack()))
    old = stack.up().outputs["rack"].value
    [first_key] = [r["inputs"]["placement_key"] for r in resources(stack, ORDER_TYPE)]
    # The file backend renames a stack into another project; the program then runs under the new name.
    cli(project, "stack", "rename", "organization/identity-renamed/dev", "--stack", "dev")
    settings = project.work_dir / "Pulumi.yaml"
    settings.write_text(settings.read_text().replace(f"name: {project.name}\n", "name: identity-renamed\n", 1))
    moved = _after_rename(Project("identity-renamed", project.work_dir, project.env), runner, tmp_path)
    assert urn_of(moved.stack(program(rack=rack())), "rack").startswith("urn:pulumi:dev::identity-renamed::")
    _replace_retained(moved, "dev", emulator, old, first_key)


# --- D: a record of another endpoint ------------------------------------------------------------------------
def test_d_a_record_of_another_endpoint_does_not_block_a_real_create(tmp_path: Path) -> None:
    journal = str(tmp_path / "journal")  # one machine: both projects share its journal
    with RunningEmulator() as first:
        tried = new_project(tmp_path / "tried", first, name="identity")
        tried.env["PULUMI_OUTPOSTS_ORDERS_JOURNAL"] = journal
        placed = tried.stack(program(rack=rack())).up().outputs["rack"].value
        cli(tried, "stack", "rm", "dev", "--force", "--yes")  # forgotten, not destroyed
        assert live(first) == [placed]
        assert any(Path(journal).glob("*.json")), "the first run left no journal record: nothing is tested"

        with RunningEmulator() as second:  # started while the first runs: another endpoint
            real = new_project(tmp_path / "real", second, name="identity")
            real.env["PULUMI_OUTPOSTS_ORDERS_JOURNAL"] = journal
            stack = real.stack(program(rack=rack()))
            order = stack.up().outputs["rack"].value
            assert live(second) == tracked(stack) == [order]
            assert created(second) == 1
        assert live(first) == [placed]  # the first emulator's order was left alone


# --- a retained forced replacement in the run right after the create ------------------------------------------
def test_b_a_retained_order_replaced_right_after_its_create_keeps_its_one_order(
    project: Project, emulator: RunningEmulator
) -> None:
    """``pulumi up --replace`` skips the provider's Diff and checks without the old inputs, so nothing tells the
    provider that the stack held the order. This machine's record says AWS answered the create with it: the
    replacement takes that order back (as after a killed run), saying so, and orders nothing. Once any preview or
    update has run in between, the record says the stack held it, and the replacement refuses instead."""
    stack = project.stack(program(rack=rack(opts=RETAINED)))
    old = stack.up().outputs["rack"].value
    again = stack.up(replace=[urn_of(stack, "rack")])
    assert "a replacement that retained it" in again.stdout
    assert created(emulator) == 1 and live(emulator) == tracked(stack) == [old]
    stack.preview()
    with pytest.raises(auto.CommandError) as refused:
        stack.up(replace=[urn_of(stack, "rack")])
    assert old in str(refused.value) and "still live" in str(refused.value), str(refused.value)
    assert created(emulator) == 1 and live(emulator) == tracked(stack) == [old]
