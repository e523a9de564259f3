"""examples/gitops: the workflow files pass actionlint, and call our CLI the way it parses."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

import pytest
import yaml
from e2e_project import EXAMPLES

from pulumi_outposts_orders.cli import build_parser

WORKFLOWS = sorted((EXAMPLES / "gitops" / ".github" / "workflows").glob("*.yml"))


def test_both_workflows_exist() -> None:
    assert [w.name for w in WORKFLOWS] == ["outposts-review.yml", "outposts-status.yml"]


def test_actionlint_accepts_the_workflows(actionlint: Path) -> None:
    done = subprocess.run([str(actionlint), "-no-color", *map(str, WORKFLOWS)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def commands(workflow: Path) -> list[list[str]]:
    """Every `outposts-orders …` command line of the workflow's run steps (redirections dropped)."""
    found: list[list[str]] = []
    for job in yaml.safe_load(workflow.read_text())["jobs"].values():
        for step in job["steps"]:
            for line in str(step.get("run", "")).splitlines():
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
