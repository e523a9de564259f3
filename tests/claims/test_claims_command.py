"""``outposts-orders claims``: the console command, run as a user runs it (a subprocess), against this machine's
attempt journal (a directory of the test's own) and against a shared claim store on a real S3 server (moto).

Records are written through the journal's own API, as the providers write them; the command must show them, free
an order only on a deliberate, logged release (never an unsettled attempt's without --force), and copy a local
journal into a shared store without touching what is there already."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from s3_server import CREDENTIALS, REGION, s3_client, with_bucket

from pulumi_outposts_orders.claims.journal import Attempt, Journal
from pulumi_outposts_orders.claims.s3 import Location, S3Claims
from pulumi_outposts_orders.claims.shared import SharedJournal
from pulumi_outposts_orders.outposts.same_order import OrderSpec

BUCKET = "claims-command-tests"
SCOPE = "https://outposts.us-east-1.amazonaws.com us-east-1 111122223333"
SPEC = OrderSpec.of_params({
    "OutpostIdentifier": "op-0123456789abcdef0",
    "LineItems": [{"CatalogItemId": "OR-EXAMPLE", "Quantity": 1}],
    "PaymentOption": "ALL_UPFRONT",
    "PaymentTerm": "THREE_YEARS",
})
RACK_A, RACK_B, RACK_C = "acme/outposts/prod/rack-a", "acme/outposts/prod/rack-b", "acme/outposts/prod/rack-c"
ORDER_A = "oo-aaaaaaaaaaaaaaaa"


# --- running the command -------------------------------------------------------------------------------------------
def base_env(journal_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a user's shell, without their AWS settings or claim store: the test's journal."""
    # A pipe, not a terminal: no COLUMNS/LINES from the test runner.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AWS_", "PULUMI_OUTPOSTS_ORDERS_")) and k not in ("COLUMNS", "LINES")}
    env.update(PULUMI_OUTPOSTS_ORDERS_JOURNAL=str(journal_dir), AWS_CONFIG_FILE=os.devnull,
               AWS_SHARED_CREDENTIALS_FILE=os.devnull, **extra)
    return env


def s3_env(journal_dir: Path, endpoint: str, prefix: str) -> dict[str, str]:
    """The environment of a runner whose providers share the claim store ``s3://BUCKET/prefix``."""
    return base_env(journal_dir, AWS_ENDPOINT_URL_S3=endpoint, AWS_ACCESS_KEY_ID=CREDENTIALS["aws_access_key_id"],
                    AWS_SECRET_ACCESS_KEY=CREDENTIALS["aws_secret_access_key"], AWS_REGION=REGION,
                    PULUMI_OUTPOSTS_ORDERS_CLAIMS=f"s3://{BUCKET}/{prefix}")


def claims(env: dict[str, str], cwd: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """``outposts-orders claims ARGV`` in ``cwd`` (standard input not a terminal); never a traceback."""
    done = subprocess.run([sys.executable, "-m", "pulumi_outposts_orders.cli", "claims", *argv], cwd=cwd, env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def dead_pid() -> int:
    """The ID of a process that has exited (a killed run's)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def records_of(journal: Journal) -> tuple[Attempt, Attempt, Attempt]:
    """Three resources as providers leave them: one holds its order, one was killed while sending (its
    process gone), one released its order."""
    journal.hold(RACK_A, SPEC, "us-east-1", ORDER_A)
    journal.restore(replace(journal.begin(RACK_B, SPEC, "us-east-1", (ORDER_A,)), pid=dead_pid()))
    journal.hold(RACK_C, SPEC, "us-east-1", "oo-cccccccccccccccc")
    journal.released(RACK_C, "oo-cccccccccccccccc")
    return reread(journal, RACK_A), reread(journal, RACK_B), reread(journal, RACK_C)


def reread(journal: Journal, key: str) -> Attempt:
    """``key``'s record as the journal reads it back (its spec as JSON)."""
    found = journal.get(key)
    assert found is not None
    return found


@pytest.fixture
def journal_dir(tmp_path: Path) -> Path:
    return tmp_path / "journal"


@pytest.fixture
def local(journal_dir: Path) -> Journal:
    return Journal(journal_dir, SCOPE)


@pytest.fixture(scope="module")
def endpoint(s3_endpoint: str) -> str:
    return with_bucket(s3_endpoint, BUCKET)


def shared_journal(endpoint: str, prefix: str, scope: str | None = SCOPE) -> SharedJournal:
    return SharedJournal(S3Claims(Location(BUCKET, prefix), s3_client(endpoint)), scope)


# --- this machine's journal ------------------------------------------------------------------------------------------
def test_list_shows_every_record_of_the_local_journal(tmp_path: Path, journal_dir: Path, local: Journal) -> None:
    held, sending, released = records_of(local)
    env = base_env(journal_dir)

    table = claims(env, tmp_path, "list")
    assert table.returncode == 0, table.stderr
    assert table.stdout.startswith(f"Claims in this machine's attempt journal ({journal_dir})")
    rows = {line.split()[0]: line.split() for line in table.stdout.splitlines() if line.strip().startswith("acme/")}
    assert rows[RACK_A][1:4] == ["placed", ORDER_A, "us-east-1"]
    assert rows[RACK_B][1] == "sending" and rows[RACK_C][1] == "released"

    listed = json.loads(claims(env, tmp_path, "list", "--json").stdout)
    assert listed["store"] == "this machine's attempt journal" and listed["location"] == str(journal_dir)
    by_key = {r["key"]: r for r in listed["records"]}
    assert by_key[RACK_A] == {
        "key": RACK_A, "state": "placed", "order_id": ORDER_A, "region": "us-east-1", "scope": SCOPE,
        "host": held.host, "pid": held.pid, "started_at": by_key[RACK_A]["started_at"], "alive_at": None,
        "record": str(local.path_of(RACK_A)),
    }
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", by_key[RACK_A]["started_at"])
    assert by_key[RACK_B]["pid"] == sending.pid and by_key[RACK_C]["state"] == released.state


def test_show_prints_the_whole_record_of_a_key_or_of_an_order(tmp_path: Path, journal_dir: Path,
                                                              local: Journal) -> None:
    held, sending, _ = records_of(local)
    env = base_env(journal_dir)
    by_key = claims(env, tmp_path, "show", RACK_B)
    assert by_key.returncode == 0 and json.loads(by_key.stdout) == sending.to_json()
    by_order = claims(env, tmp_path, "show", ORDER_A)  # rack-b knew of it before its send: rack-a holds it
    assert by_order.returncode == 0 and json.loads(by_order.stdout) == held.to_json()
    missing = claims(env, tmp_path, "show", "oo-nobody")
    assert missing.returncode == 1 and "no record of resource or order 'oo-nobody'" in missing.stderr


def test_a_release_is_deliberate_and_refuses_an_unsettled_attempt(tmp_path: Path, journal_dir: Path,
                                                                   local: Journal) -> None:
    held, sending, _ = records_of(local)
    env = base_env(journal_dir)
    before = {p.name: p.read_text() for p in journal_dir.glob("*.json")}

    no_reason = claims(env, tmp_path, "release", RACK_A, "--yes")
    assert no_reason.returncode == 2 and "needs --reason" in no_reason.stderr
    not_confirmed = claims(env, tmp_path, "release", RACK_A, "--reason", "removed with pulumi state delete")
    assert not_confirmed.returncode == 1 and "confirm with --yes" in not_confirmed.stderr
    unsettled = claims(env, tmp_path, "release", RACK_B, "--reason", "killed run", "--yes")
    assert unsettled.returncode == 1
    assert "an order may exist that no resource holds" in unsettled.stderr and "--force" in unsettled.stderr
    assert "Nothing was changed" in unsettled.stderr
    unknown = claims(env, tmp_path, "release", "acme/outposts/prod/nothing", "--reason", "typo", "--yes")
    assert unknown.returncode == 1 and "no record of resource" in unknown.stderr
    assert {p.name: p.read_text() for p in journal_dir.glob("*.json")} == before
    assert not (journal_dir / "releases.log").exists()

    released = claims(env, tmp_path, "release", RACK_A, "--reason", "removed with pulumi state delete", "--yes")
    assert released.returncode == 0, released.stderr
    assert f"order {ORDER_A} is free" in released.stdout
    assert local.claims("acme/outposts/prod/other").get(ORDER_A) is None
    after = reread(local, RACK_A)
    assert after == replace(held, state="released", started_at=after.started_at)
    [entry] = [json.loads(line) for line in (journal_dir / "releases.log").read_text().splitlines()]
    assert {k: entry[k] for k in ("key", "order_id", "reason", "state", "action")} == {
        "key": RACK_A, "order_id": ORDER_A, "reason": "removed with pulumi state delete", "state": "placed",
        "action": "released"}
    assert entry["user"] and entry["host"] and entry["at"].endswith("Z") and entry["record"] == held.to_json()

    again = claims(env, tmp_path, "release", RACK_A, "--reason", "twice", "--yes")
    assert again.returncode == 0 and "released already" in again.stdout

    forced = claims(env, tmp_path, "release", RACK_B, "--reason", "no order was placed: checked", "--yes", "--force")
    assert forced.returncode == 0, forced.stderr
    assert local.get(RACK_B) is None
    last = json.loads((journal_dir / "releases.log").read_text().splitlines()[-1])
    assert last["action"] == "discarded" and last["record"] == sending.to_json()


def test_force_never_discards_an_attempt_whose_process_still_runs(tmp_path: Path, journal_dir: Path,
                                                                  local: Journal) -> None:
    local.begin(RACK_B, SPEC, "us-east-1", ())  # this test's process: alive
    done = claims(base_env(journal_dir), tmp_path, "release", RACK_B, "--reason", "stuck", "--yes", "--force")
    assert done.returncode == 1 and "may still be running" in done.stderr
    assert local.get(RACK_B) is not None and not (journal_dir / "releases.log").exists()

    # A record another host wrote without a lease (a CI container since replaced): no process to ask, --force decides.
    local.restore(replace(reread(local, RACK_B), host="ci-runner-gone"))
    done = claims(base_env(journal_dir), tmp_path, "release", RACK_B, "--reason", "runner gone", "--yes", "--force")
    assert done.returncode == 0, done.stderr
    assert local.get(RACK_B) is None


def test_a_release_asks_on_a_terminal(tmp_path: Path, journal_dir: Path, local: Journal) -> None:
    records_of(local)
    answers = {"no": 1, "yes": 0}
    for answer, status in answers.items():
        primary, secondary = pty.openpty()
        try:
            child = subprocess.Popen(
                [sys.executable, "-m", "pulumi_outposts_orders.cli", "claims", "release", RACK_A, "--reason", "gone"],
                cwd=tmp_path, env=base_env(journal_dir), stdin=secondary, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, text=True)
            os.write(primary, f"{answer}\n".encode())
            out, err = child.communicate(timeout=120)
        finally:
            os.close(primary)
            os.close(secondary)
        assert child.returncode == status, err
        assert f"Release resource {RACK_A}'s claim on order {ORDER_A}" in out
    assert local.get(RACK_A).state == "released"  # type: ignore[union-attr]


def test_the_stack_config_chooses_the_store(tmp_path: Path, journal_dir: Path, local: Journal) -> None:
    """In a project, the stack's outposts-orders:claims decides, read with `pulumi config --json` (a stand-in
    engine here), over the environment; a project that cannot be read is an error naming it."""
    records_of(local)
    project, bin_dir = tmp_path / "project", tmp_path / "bin"
    project.mkdir()
    bin_dir.mkdir()
    (project / "Pulumi.yaml").write_text("name: outposts\nruntime: python\n")
    config = {"outposts-orders:claims": {"value": "not-an-s3-url", "secret": False},
              "aws:region": {"value": "us-east-1", "secret": False}}
    fake = bin_dir / "pulumi"
    fake.write_text(f"#!/bin/sh\necho \"$@\" >> {tmp_path / 'calls'}\ncat <<'EOF'\n{json.dumps(config)}\nEOF\n")
    fake.chmod(0o755)
    env = base_env(journal_dir, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")

    from_stack = claims(env, project, "list", "--stack", "prod")
    assert from_stack.returncode == 2
    assert "the stack config outposts-orders:claims: claim store 'not-an-s3-url' is not an S3 location" in (
        from_stack.stderr)
    assert (tmp_path / "calls").read_text().split() == ["config", "--json", "--non-interactive", "--stack", "prod"]
    outside = claims(env, tmp_path, "list")  # no project above: the environment (no store: the local journal)
    assert outside.returncode == 0 and RACK_A in outside.stdout

    fake.write_text("#!/bin/sh\necho 'error: no stack named prod found' >&2\nexit 255\n")
    unreadable = claims(env, project, "list", "--stack", "prod")
    assert unreadable.returncode == 2 and "no stack named prod found" in unreadable.stderr
    no_project = claims(env, tmp_path, "list", "--cwd", str(tmp_path))
    assert no_project.returncode == 2 and "no Pulumi project" in no_project.stderr


def test_a_setting_that_is_no_store_is_an_error_naming_it(tmp_path: Path, journal_dir: Path) -> None:
    env = base_env(journal_dir, PULUMI_OUTPOSTS_ORDERS_CLAIMS="https://claims.example.com")
    done = claims(env, tmp_path, "list")
    assert done.returncode == 2 and "PULUMI_OUTPOSTS_ORDERS_CLAIMS" in done.stderr
    bad_target = claims(base_env(journal_dir), tmp_path, "migrate", "--to", "claims-bucket")
    assert bad_target.returncode == 2 and "--to: claim store 'claims-bucket' is not an S3 location" in bad_target.stderr


def test_claims_help_imports_neither_pulumi_nor_boto3() -> None:
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "pulumi_outposts_orders.cli", "claims", "--help"],
                          capture_output=True, text=True, check=True)
    assert done.stdout.startswith("usage: outposts-orders claims")
    modules = {m.group(1) for m in re.finditer(r"^import time:.*\|\s+(\S+)$", done.stderr, re.MULTILINE)}
    assert "pulumi_outposts_orders" in modules  # the list is real (importlib's imports are not in it, theirs are)
    assert sorted(m for m in modules if m.split(".")[0] in ("pulumi", "boto3", "botocore")) == []


# --- a shared claim store ------------------------------------------------------------------------------------------
def test_list_show_and_release_in_a_shared_store(tmp_path: Path, journal_dir: Path, endpoint: str) -> None:
    prefix = "tests/release"
    shared = shared_journal(endpoint, prefix)
    held, sending, _ = records_of(shared)
    env = s3_env(journal_dir, endpoint, prefix)

    listed = json.loads(claims(env, tmp_path, "list", "--json").stdout)
    assert listed["store"] == f"the shared claim store s3://{BUCKET}/{prefix}"
    assert listed["setting"] == "PULUMI_OUTPOSTS_ORDERS_CLAIMS"
    assert {r["key"]: r["state"] for r in listed["records"]} == {RACK_A: "placed", RACK_B: "sending",
                                                                 RACK_C: "released"}
    assert all(r["alive_at"] for r in listed["records"])  # a shared store's records carry their lease
    table = claims(env, tmp_path, "list")
    assert table.stdout.startswith(f"Claims in the shared claim store s3://{BUCKET}/{prefix}, set by "
                                   "PULUMI_OUTPOSTS_ORDERS_CLAIMS")
    shown = claims(env, tmp_path, "show", ORDER_A)
    stored = shared.get(RACK_A)
    assert stored is not None and shown.returncode == 0
    # Shown as stored; ``get`` judges the lease by the store's clock, so its ``alive_at`` is this runner's time.
    assert {**json.loads(shown.stdout), "alive_at": None} == {**stored.to_json(), "alive_at": None}

    unsettled = claims(env, tmp_path, "release", RACK_B, "--reason", "killed", "--yes")
    assert unsettled.returncode == 1 and "an order may exist" in unsettled.stderr
    assert shared.get(RACK_B) is not None

    released = claims(env, tmp_path, "release", RACK_A, "--reason", "stack destroyed by hand", "--yes")
    assert released.returncode == 0, released.stderr
    again = shared_journal(endpoint, prefix)  # a fresh reader: nothing cached
    assert again.claims("acme/outposts/prod/other").get(ORDER_A) is None
    assert again.holder(ORDER_A) is None and again.get(RACK_A).state == "released"  # type: ignore[union-attr]
    store = again.store
    [audit] = list(store.names("releases/"))
    assert re.fullmatch(r"releases/\d{8}T\d{6}\.\d{6}Z-[0-9a-f]{16}\.json", audit)
    entry, _ = store.read(audit)  # type: ignore[misc]
    assert {k: entry[k] for k in ("key", "order_id", "reason", "action")} == {
        "key": RACK_A, "order_id": ORDER_A, "reason": "stack destroyed by hand", "action": "released"}
    assert entry["user"] and entry["host"] and entry["record"]["state"] == held.state
    assert f"s3://{BUCKET}/{prefix}/{audit}" in released.stdout
    assert store.read("lock.json") is None  # the decision lock was let go

    # Another resource may now take the order: the store lets it claim it.
    again.hold("acme/outposts/prod/rack-new", SPEC, "us-east-1", ORDER_A)
    assert shared_journal(endpoint, prefix).holder(ORDER_A) == "acme/outposts/prod/rack-new"
    assert sending.state == "sending"


def test_a_missing_bucket_is_an_error_naming_it(tmp_path: Path, journal_dir: Path, endpoint: str) -> None:
    env = {**s3_env(journal_dir, endpoint, "x"), "PULUMI_OUTPOSTS_ORDERS_CLAIMS": "s3://no-such-bucket/x"}
    done = claims(env, tmp_path, "list")
    assert done.returncode == 2 and "s3://no-such-bucket/x" in done.stderr and "NoSuchBucket" in done.stderr


def test_migrate_copies_the_local_journal_once(tmp_path: Path, journal_dir: Path, local: Journal,
                                              endpoint: str) -> None:
    prefix = "tests/migrate"
    held, sending, released = records_of(local)
    Journal(journal_dir).hold("acme/outposts/dev/rack-old", SPEC, "us-west-2", "oo-0ld0000000000000")
    legacy = reread(Journal(journal_dir), "acme/outposts/dev/rack-old")
    local.alias("acme/outposts/prod/rack-renamed", RACK_A)
    env = base_env(journal_dir, AWS_ENDPOINT_URL_S3=endpoint, AWS_ACCESS_KEY_ID=CREDENTIALS["aws_access_key_id"],
                   AWS_SECRET_ACCESS_KEY=CREDENTIALS["aws_secret_access_key"], AWS_REGION=REGION)

    first = claims(env, tmp_path, "migrate", "--to", f"s3://{BUCKET}/{prefix}")
    assert first.returncode == 0, first.stderr
    assert "4 record(s) copied (2 with their order claim), 1 alias(es) copied; 0 already there" in first.stdout
    assert f"pulumi config set outposts-orders:claims s3://{BUCKET}/{prefix}" in first.stdout
    shared = shared_journal(endpoint, prefix)
    for record in (held, sending, released):
        copied = shared.get(record.key)
        assert copied is not None and replace(copied, alive_at=None) == record
    copied_legacy = shared_journal(endpoint, prefix, None).get(legacy.key)
    assert copied_legacy is not None and replace(copied_legacy, alive_at=None) == legacy
    assert shared.holder(ORDER_A) == RACK_A and shared.claims("acme/outposts/prod/other").get(ORDER_A) == RACK_A
    assert shared.holder(legacy.order_id) == legacy.key  # type: ignore[arg-type]
    assert shared.store.read(f"orders/{ORDER_A}.json") is not None
    assert [p.key for p in shared.peers("acme/outposts/prod/other", sending.digest, 0.0)] == [RACK_B]  # in flight
    assert shared.identity_of("acme/outposts/prod/rack-renamed") == RACK_A

    second = claims(env, tmp_path, "migrate", "--to", f"s3://{BUCKET}/{prefix}")
    assert second.returncode == 0, second.stderr
    assert "0 record(s) copied (0 with their order claim), 0 alias(es) copied; 5 already there" in second.stdout
    assert f"  {RACK_A} (scope {SCOPE}): already there" in second.stdout
    assert replace(shared_journal(endpoint, prefix).get(RACK_A), alive_at=None) == held  # type: ignore[type-var]


def test_migrate_leaves_the_stores_records_alone(tmp_path: Path, journal_dir: Path, local: Journal,
                                                endpoint: str) -> None:
    prefix = "tests/migrate-conflicts"
    shared = shared_journal(endpoint, prefix)
    shared.hold("acme/outposts/ci/rack-z", SPEC, "us-east-1", "oo-zzzzzzzzzzzzzzzz")  # another runner's
    shared.hold(RACK_A, SPEC, "us-east-1", "oo-elsewhere0000000")  # this key, already moved on there
    local.hold(RACK_A, SPEC, "us-east-1", ORDER_A)
    local.hold(RACK_B, SPEC, "us-east-1", "oo-zzzzzzzzzzzzzzzz")  # an order the store says rack-z holds
    local.hold(RACK_C, SPEC, "us-east-1", "oo-cccccccccccccccc")
    env = base_env(journal_dir, AWS_ENDPOINT_URL_S3=endpoint, AWS_ACCESS_KEY_ID=CREDENTIALS["aws_access_key_id"],
                   AWS_SECRET_ACCESS_KEY=CREDENTIALS["aws_secret_access_key"], AWS_REGION=REGION)

    done = claims(env, tmp_path, "migrate", "--to", f"s3://{BUCKET}/{prefix}")
    assert done.returncode == 1
    assert "1 record(s) copied (1 with their order claim), 0 alias(es) copied; 1 already there, 1 not copied" in (
        done.stdout)
    assert f"{RACK_A} (scope {SCOPE}): already there with another record" in done.stdout
    assert f"not copied: {RACK_B} (scope {SCOPE}): order oo-zzzzzzzzzzzzzzzz is held by resource " \
           "acme/outposts/ci/rack-z" in done.stderr
    after = shared_journal(endpoint, prefix)
    assert after.get(RACK_A).order_id == "oo-elsewhere0000000"  # type: ignore[union-attr]
    assert after.get(RACK_B) is None and after.holder("oo-zzzzzzzzzzzzzzzz") == "acme/outposts/ci/rack-z"
    assert after.holder("oo-cccccccccccccccc") == RACK_C
