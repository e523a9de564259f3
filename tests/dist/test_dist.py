"""The package as a newcomer uses it: `make dist`, a clean virtual environment, the README's steps.

The wheel is installed outside the repository through `examples/gitops/infra/requirements.txt` as
written (the wheel in `wheels/`), the emulator is started with the README's command, and the README's
Example program runs under the README's environment block, run by bash exactly as the README shows it:
`pulumi stack init`, `up`, `refresh`, `destroy`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pulumi_outposts_orders.emulator.testing import AdminClient

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text()
PORT = 8788  # the README's


def readme_block(after: str, language: str) -> str:
    """The first fenced ``language`` block after the line ``after`` in the README."""
    start = README.index(after)
    found = re.compile(rf"```{language}\n(.*?)```", re.S).search(README, start)
    assert found, f"no {language} block after {after!r}"
    return found[1]


def test_readme_blocks_are_what_this_test_runs() -> None:
    block = readme_block("<!-- The environment block", "sh")
    assert "PULUMI_BACKEND_URL=\"file://" in block and f"AWS_ENDPOINT_URL_OUTPOSTS=http://127.0.0.1:{PORT}" in block
    assert f"outposts-orders emulator --port {PORT}" in readme_block("**Run `pulumi` against the emulator.**", "sh")
    assert "OR-A1B2C3D" in readme_block("## Example", "python")  # a catalog item the emulator has


def test_the_built_wheel_runs_the_readme_example_outside_the_repository(tmp_path: Path) -> None:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    dist, project = tmp_path / "dist", tmp_path / "project"
    built = subprocess.run(["make", "-s", "-C", str(REPO), "dist", f"DIST={dist}"], capture_output=True, text=True,
                           timeout=600)
    assert built.returncode == 0, built.stdout + built.stderr
    wheel, sdist = sorted(dist.glob("*.whl")), sorted(dist.glob("*.tar.gz"))
    assert len(wheel) == 1 and len(sdist) == 1, list(dist.iterdir())

    # A clean venv, the package from the GitOps example's requirements.txt as written, the wheel in wheels/.
    (project / "wheels").mkdir(parents=True)
    shutil.copy(wheel[0], project / "wheels")
    shutil.copy(REPO / "examples" / "gitops" / "infra" / "requirements.txt", project)
    base_python = getattr(sys, "_base_executable", sys.executable)
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PULUMI_", "AWS_", "VIRTUAL_ENV", "PIP_"))}
    clean["PATH"] = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep)
                                    if p and not p.startswith(str(REPO)) and not (Path(p) / "pulumi").exists())
    assert subprocess.run([base_python, "-m", "venv", ".venv"], cwd=project, env=clean).returncode == 0
    installed = subprocess.run([".venv/bin/pip", "install", "--quiet", "-r", "requirements.txt"], cwd=project,
                               env=clean, capture_output=True, text=True, timeout=900)
    assert installed.returncode == 0, installed.stderr
    # The policy pack ships in the wheel, every file of it.
    copied = subprocess.run([".venv/bin/outposts-orders", "policy-pack-path", "--copy-to", "policy"], cwd=project,
                            env=clean, capture_output=True, text=True, timeout=60)
    assert copied.returncode == 0, copied.stderr
    assert sorted(p.name for p in (project / "policy").iterdir()) == [
        "PulumiPolicy.yaml", "__main__.py", "outposts_rules.py", "requirements.txt"]

    (project / "Pulumi.yaml").write_text(
        "name: my-outposts\nruntime:\n  name: python\n  options:\n    virtualenv: .venv\n")
    (project / "__main__.py").write_text(readme_block("## Example", "python"))

    emulator = subprocess.Popen([str(project / ".venv" / "bin" / "outposts-orders"), "emulator", "--port", str(PORT),
                                 "--db", str(tmp_path / "emulator.db")], env=clean, stdout=subprocess.PIPE, text=True)
    try:
        assert emulator.stdout is not None
        banner = [emulator.stdout.readline() for _ in range(5)]
        assert banner[0].strip() == f"Outposts emulator listening on http://127.0.0.1:{PORT}", banner
        assert f"  export AWS_ENDPOINT_URL_OUTPOSTS=http://127.0.0.1:{PORT}\n" in banner
        admin = AdminClient(f"http://127.0.0.1:{PORT}")

        steps = [
            "set -euo pipefail",
            readme_block("<!-- The environment block", "sh"),
            "pulumi stack init dev",
            "pulumi up --yes --skip-preview --non-interactive",
            "pulumi refresh --yes --skip-preview --non-interactive",
            "echo \"status after refresh: $(pulumi stack output status)\"",
            "pulumi destroy --yes --skip-preview --non-interactive",
        ]
        shell = {**clean, "OUTPOSTS_ORDERS_REPO": str(REPO), "PULUMI_HOME": str(tmp_path / "pulumi-home")}
        started = time.monotonic()
        done = subprocess.run(["bash", "-c", "\n".join(steps)], cwd=project, env=shell, capture_output=True,
                              text=True, timeout=900)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "status after refresh: PREPARING" in done.stdout
        # ListOrders: the look before sending (no identical live order exists, so no GetOrder for one).
        # GetCallerIdentity: the account, once per provider process (up, refresh, destroy).
        assert admin.calls() == {"GetCallerIdentity": 3, "ListOrders": 1, "CreateOrder": 1, "GetOrder": 2,
                                 "CancelOrder": 1}, admin.calls()
        assert time.monotonic() - started < 900
    finally:
        emulator.terminate()
        emulator.wait(timeout=10)
    assert (project / ".pulumi-state" / ".pulumi").is_dir(), "the stack lived in the project's file backend"
