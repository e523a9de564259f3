"""Two CI runners sharing one S3 server, through the real engine: Pulumi state in the S3 backend
(``pulumi login s3://…?endpoint=…``) and the provider's claims in the same bucket (``outposts-orders:claims``).

Each runner has its own project directory, ``PULUMI_HOME``, attempt journal directory and environment (a copied
dict): nothing local is shared, only the S3 server and the Outposts emulator. Each test asserts what a customer
checks: the live orders in the emulator and the orders each stack tracks.
"""

from __future__ import annotations

import json
import socket
import subprocess
import threading
from pathlib import Path

import pytest
from e2e_project import Project, kill_up_while_creating, new_project
from e2e_project import live_orders as live
from pulumi import automation as auto
from s3_server import CREDENTIALS, REGION, with_bucket

from pulumi_outposts_orders._tokens import ORDER_TYPE
from pulumi_outposts_orders.emulator.outposts import seed
from pulumi_outposts_orders.emulator.testing import RunningEmulator

pytestmark = pytest.mark.e2e

BUCKET = "team-pulumi"
CLAIMS = f"s3://{BUCKET}/outposts-claims"
PROGRAM = (
    "import pulumi\nfrom pulumi_outposts_orders import OutpostOrder\n"
    "order = OutpostOrder('rack', outpost_identifier={outpost!r},\n"
    "    line_items=[{{'catalog_item_id': {item!r}, 'quantity': 1}}],\n"
    "    payment_option='ALL_UPFRONT', payment_term='THREE_YEARS')\n"
    "pulumi.export('order_id', order.order_id)\n"
)


@pytest.fixture
def bucket(s3_endpoint: str, request: pytest.FixtureRequest) -> str:
    """A fresh bucket for one test: its Pulumi state and its claims."""
    name = f"{BUCKET}-{abs(hash(request.node.name)) % 10**8}"
    with_bucket(s3_endpoint, name)
    return name


def runner(root: Path, emulator: RunningEmulator, s3_endpoint: str, bucket: str, stack: str = "dev") -> Project:
    """A CI runner of the project: its own directory, Pulumi home and journal; state and claims in ``bucket``."""
    project = new_project(root, emulator, name="site")
    host = s3_endpoint.removeprefix("http://")
    backend = f"s3://{bucket}?endpoint={host}&disableSSL=true&s3ForcePathStyle=true&region={REGION}"
    (project.work_dir / "Pulumi.yaml").write_text(
        (project.work_dir / "Pulumi.yaml").read_text().replace(f"file://{root / 'state'}", backend))
    project.env = {
        **project.env,  # a copy: nothing of another runner's environment is shared
        "PULUMI_BACKEND_URL": backend,
        "PULUMI_OUTPOSTS_ORDERS_JOURNAL": str(root / "local-journal"),  # must stay empty: claims live in S3
        "AWS_ENDPOINT_URL_S3": s3_endpoint,
        "AWS_REGION": REGION,
    }
    (project.work_dir / "__main__.py").write_text(PROGRAM.format(outpost=seed.RACK_OUTPOST_ID,
                                                                 item=seed.RACK_CATALOG_ITEM_ID))
    if project.run("pulumi", "stack", "select", stack).returncode != 0:
        created = project.run("pulumi", "stack", "init", stack)
        assert created.returncode == 0, created.stderr
    configured = project.run("pulumi", "config", "set", "outposts-orders:claims", f"s3://{bucket}/outposts-claims")
    assert configured.returncode == 0, configured.stderr
    return project


def tracked(project: Project, stack: str = "dev") -> list[str]:
    """The order IDs the stack's OutpostOrder resources track, read from the S3 backend by this runner."""
    exported = project.run("pulumi", "stack", "export", "--stack", stack)
    assert exported.returncode == 0, exported.stderr
    resources = json.loads(exported.stdout)["deployment"].get("resources") or []
    return sorted(r["id"] for r in resources if r["type"] == ORDER_TYPE)


def up(project: Project) -> subprocess.CompletedProcess[str]:
    return project.run("pulumi", "up", "--yes", "--non-interactive", "--skip-preview")


def assert_nothing_local(*projects: Project) -> None:
    for project in projects:
        journal = Path(project.env["PULUMI_OUTPOSTS_ORDERS_JOURNAL"])
        assert not any(journal.glob("**/*.json")), f"a claim was written on the runner: {list(journal.iterdir())}"


def test_a_killed_up_on_one_runner_is_recovered_on_another_with_its_own_order(
    tmp_path: Path, emulator: RunningEmulator, s3_endpoint: str, bucket: str
) -> None:
    first = runner(tmp_path / "runner-1", emulator, s3_endpoint, bucket)
    kill_up_while_creating(first, emulator)
    [placed] = live(emulator)
    second = runner(tmp_path / "runner-2", emulator, s3_endpoint, bucket)
    stack = auto.select_stack("dev", work_dir=str(second.work_dir), opts=auto.LocalWorkspaceOptions(
        work_dir=str(second.work_dir), env_vars=second.env, pulumi_home=second.env["PULUMI_HOME"]))
    stack.cancel()  # the README's release of a killed run's stack: its lock, then its pending create
    stack.refresh(clear_pending_creates=True)
    emulator.admin.reset_calls()
    done = up(second)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"adopting order {placed}" in done.stdout + done.stderr
    assert emulator.admin.calls().get("CreateOrder", 0) == 0
    assert live(emulator) == tracked(second) == [placed]
    assert_nothing_local(first, second)


def test_two_stacks_racing_identical_orders_through_a_lost_answer_each_hold_their_own(
    tmp_path: Path, emulator: RunningEmulator, s3_endpoint: str, bucket: str
) -> None:
    runners = [runner(tmp_path / f"runner-{n}", emulator, s3_endpoint, bucket, stack=f"site-{n}") for n in (1, 2)]
    emulator.admin.set_faults({"CreateOrder": {"drop_response_after_commit": 1}})  # one send's answer is lost
    results: dict[int, subprocess.CompletedProcess[str]] = {}

    def run(n: int) -> None:
        results[n] = up(runners[n])

    threads = [threading.Thread(target=run, args=(n,)) for n in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    emulator.admin.clear_faults()
    for result in results.values():
        assert result.returncode == 0, result.stdout + result.stderr
    # The runner whose answer was lost took the one order no other runner holds or was placing: its own.
    assert sum("adopting order" in result.stdout for result in results.values()) == 1
    held = [tracked(project, f"site-{n}") for n, project in zip((1, 2), runners, strict=True)]
    assert all(len(orders) == 1 for orders in held) and held[0] != held[1]  # each its own order, none shared
    assert live(emulator) == sorted(held[0] + held[1])
    assert emulator.admin.calls().get("CreateOrder", 0) == 2
    assert_nothing_local(*runners)


def test_a_deliberate_second_identical_order_needs_no_extra_input(
    tmp_path: Path, emulator: RunningEmulator, s3_endpoint: str, bucket: str
) -> None:
    first = runner(tmp_path / "runner-1", emulator, s3_endpoint, bucket, stack="site-a")
    assert up(first).returncode == 0
    second = runner(tmp_path / "runner-2", emulator, s3_endpoint, bucket, stack="site-b")
    done = up(second)
    assert done.returncode == 0, done.stdout + done.stderr
    [a], [b] = tracked(first, "site-a"), tracked(second, "site-b")
    assert a != b and live(emulator) == sorted([a, b])


def test_an_unreachable_claim_store_fails_closed_naming_it(
    tmp_path: Path, emulator: RunningEmulator, s3_endpoint: str, bucket: str
) -> None:
    project = runner(tmp_path / "runner-1", emulator, s3_endpoint, bucket)
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    # aws:endpoints' s3 entry wins over AWS_ENDPOINT_URL_S3, as for every AWS call of the provider
    assert project.run("pulumi", "config", "set", "--path", "aws:endpoints[0].s3",
                       f"http://127.0.0.1:{closed}").returncode == 0
    done = up(project)
    assert done.returncode != 0
    assert f"s3://{bucket}/outposts-claims" in done.stdout and f"127.0.0.1:{closed}" in done.stdout
    assert emulator.admin.calls().get("CreateOrder", 0) == 0 and live(emulator) == []
    missing = runner(tmp_path / "runner-2", emulator, s3_endpoint, bucket, stack="other")
    no_bucket = missing.run("pulumi", "config", "set", "outposts-orders:claims", "s3://no-such-bucket/claims")
    assert no_bucket.returncode == 0
    done = up(missing)
    assert done.returncode != 0 and "s3://no-such-bucket/claims" in done.stdout + done.stderr
    assert emulator.admin.calls().get("CreateOrder", 0) == 0 and live(emulator) == []


def test_import_refuses_an_order_another_stack_holds(
    tmp_path: Path, emulator: RunningEmulator, s3_endpoint: str, bucket: str
) -> None:
    first = runner(tmp_path / "runner-1", emulator, s3_endpoint, bucket, stack="site-a")
    assert up(first).returncode == 0
    [held] = tracked(first, "site-a")
    second = runner(tmp_path / "runner-2", emulator, s3_endpoint, bucket, stack="site-b")
    refused = second.outposts_orders("import", f"{held}=rack", "--file", str(tmp_path / "import.json"))
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert f"order {held} is already claimed by resource" in refused.stderr and CREDENTIALS["aws_access_key_id"] \
        not in refused.stderr
    assert not (tmp_path / "import.json").exists()
