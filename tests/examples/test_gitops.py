"""examples/gitops: the workflow files pass actionlint, and call our CLI the way it parses."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from e2e_project import EXAMPLES

from pulumi_outposts_orders.cli import build_parser

WORKFLOWS = sorted((EXAMPLES / "gitops" / ".github" / "workflows").glob("*.yml"))


def test_the_workflows_exist() -> None:
    assert [w.name for w in WORKFLOWS] == ["outposts-review.yml", "outposts-status.yml", "outposts-up.yml"]


def test_actionlint_accepts_the_workflows(actionlint: Path) -> None:
    done = subprocess.run([str(actionlint), "-no-color", *map(str, WORKFLOWS)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def commands(workflow: Path) -> list[list[str]]:
    """Every `outposts-orders …` command line of the workflow's run steps (redirections dropped)."""
    found: list[list[str]] = []
    for job in yaml.safe_load(workflow.read_text())["jobs"].values():
        for step in job["steps"]:
            for line in str(step.get("run", "")).replace("\\\n", " ").splitlines():
                words = shlex.split(line.split(">", 1)[0])
                if words[:1] == ["outposts-orders"]:
                    found.append(words[1:])
    return found


@pytest.mark.parametrize(
    ("workflow", "subcommand"),
    [("outposts-review.yml", "review"), ("outposts-status.yml", "status")],
)
def test_workflow_calls_the_cli_with_options_it_accepts(workflow: str, subcommand: str) -> None:
    [args] = commands(EXAMPLES / "gitops" / ".github" / "workflows" / workflow)
    parsed = build_parser().parse_args(args)
    assert parsed.command == subcommand


def step_script(name: str) -> str:
    """The `run` script of the review workflow's step ``name``."""
    workflow = yaml.safe_load((EXAMPLES / "gitops" / ".github" / "workflows" / "outposts-review.yml").read_text())
    [script] = [step["run"] for step in workflow["jobs"]["review"]["steps"] if step.get("name") == name]
    return str(script)


def run_step(name: str, cwd: Path, **env: str) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """Run a step's script with bash as GitHub does (`bash -e`), with this venv's `outposts-orders` on PATH."""
    outputs = cwd / "github_output"
    outputs.touch()
    environ = {**os.environ, "GITHUB_OUTPUT": str(outputs), "GITHUB_STEP_SUMMARY": str(cwd / "summary.md"),
               "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]), **env}
    done = subprocess.run(["bash", "-e", "-c", step_script(name)], cwd=cwd, env=environ, capture_output=True,
                          text=True, timeout=120)
    found = dict(line.split("=", 1) for line in outputs.read_text().splitlines() if "=" in line)
    return done, found


FAILED_PREVIEW = json.dumps({"steps": [], "diagnostics": [
    {"severity": "error", "message": "NameError: name 'undefined_name' is not defined"}]})


@pytest.mark.parametrize(
    ("preview", "exit_code", "says"),
    [
        ("", "2", "This change could not be reviewed"),  # pulumi printed no JSON at all
        (FAILED_PREVIEW, "2", "The preview failed: this change cannot be approved."),
        (json.dumps({"steps": []}), "0", "No Outposts orders or quotes change."),
    ],
)
def test_the_review_step_never_leaves_an_empty_comment(tmp_path: Path, preview: str, exit_code: str,
                                                       says: str) -> None:
    (tmp_path / "preview.json").write_text(preview)
    (tmp_path / "preview.err").write_text("error: an engine message\n")
    (tmp_path / "events.jsonl").write_text("")
    shutil.copy(EXAMPLES / "gitops" / "infra" / "policy-config.json", tmp_path)
    done, outputs = run_step("Review", tmp_path)
    assert done.returncode == 0, done.stderr  # the verdict comes after the comment
    assert outputs["exit-code"] == exit_code
    comment = (tmp_path / "review.md").read_text()
    assert comment.startswith("### Outposts orders in this change") and says in comment
    assert (tmp_path / "summary.md").read_text() == comment


@pytest.mark.parametrize(
    ("preview_exit", "review_exit", "fails", "says"),
    [
        ("0", "0", False, ""),
        ("0", "1", True, "An Outposts order would be replaced"),
        ("1", "2", True, "The preview failed or could not be read"),
        ("0", "3", True, "A price of a quote-based order could not be read"),
        ("0", "4", True, "Amazon Business would refuse an order line (trial)"),
        ("1", "5", True, "A mandatory spending rule (policy) is broken"),
        ("0", "6", True, "outposts-orders review failed (exit status 6)"),
        ("255", "0", True, "pulumi preview failed (exit status 255)"),
    ],
)
def test_the_verdict_step_fails_the_job_for_each_review_outcome(tmp_path: Path, preview_exit: str,
                                                                review_exit: str, fails: bool, says: str) -> None:
    done, _ = run_step("Verdict", tmp_path, PREVIEW_EXIT=preview_exit, REVIEW_EXIT=review_exit)
    assert (done.returncode != 0) == fails
    assert says in done.stdout


@pytest.mark.parametrize(("workflow", "step"), [("outposts-review.yml", "Preview"), ("outposts-up.yml", "Up")])
def test_preview_and_up_run_the_spending_rules_before_anything_is_ordered(workflow: str, step: str) -> None:
    jobs = yaml.safe_load((EXAMPLES / "gitops" / ".github" / "workflows" / workflow).read_text())["jobs"]
    [script] = [s["run"] for job in jobs.values() for s in job["steps"] if s.get("name") == step]
    assert "pack=$(outposts-orders policy-pack-path)" in script
    [line] = [line for line in script.replace("\\\n", " ").splitlines() if line.strip().startswith("pulumi ")]
    words = shlex.split(line.split(">", 1)[0])
    assert words[:2] in (["pulumi", "preview"], ["pulumi", "up"])
    assert words[words.index("--policy-pack") + 1] == "$pack"
    assert words[words.index("--policy-pack-config") + 1] == "policy-config.json"
    assert "--skip-preview" not in words  # stack rules run in the preview, before the update
