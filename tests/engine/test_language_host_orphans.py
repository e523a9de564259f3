"""The stand-in language host and the program it runs exit when the engine that started them is killed.

`pulumi up` is killed with SIGKILL while the program runs: nothing stops the engine's plugins then.
The repository's stand-in host (scripts/pulumi_language_python.py) is put first on PATH, so this test
checks this checkout's copy even when the shared engine cache holds another.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]


def children_of(pid: int) -> dict[int, str]:
    """Every live descendant of ``pid``: process ID → command line."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: dict[int, str] = {}
    todo = [pid]
    while todo:
        parent = todo.pop()
        for child, its_parent in parents.items():
            if its_parent == parent and alive(child):
                found[child] = command_line(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped counts as exited)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads processes from /proc")
def test_host_and_program_exit_after_the_engine_is_killed(tmp_path: Path) -> None:
    if shutil.which("pulumi") is None:
        pytest.skip("the Pulumi engine is not on PATH (run through `make test`)")
    host_dir, project, state, home = (tmp_path / d for d in ("bin", "project", "state", "home"))
    for directory in (host_dir, project, state, home):
        directory.mkdir()
    host = host_dir / "pulumi-language-python"
    shutil.copy(REPO / "scripts" / "pulumi_language_python.py", host)
    host.chmod(0o755)
    (project / "Pulumi.yaml").write_text(
        f"name: orphans\nruntime:\n  name: python\n  options:\n    virtualenv: {sys.prefix}\n")
    (project / "__main__.py").write_text("import time\n\ntime.sleep(300)\n")
    env = {**os.environ, "PULUMI_BACKEND_URL": f"file://{state}", "PULUMI_HOME": str(home),
           "PULUMI_CONFIG_PASSPHRASE": "test", "PULUMI_SKIP_UPDATE_CHECK": "true",
           "PATH": os.pathsep.join([str(host_dir), str(Path(sys.executable).parent), os.environ["PATH"]])}
    assert subprocess.run(["pulumi", "stack", "init", "dev"], cwd=project, env=env, capture_output=True).returncode == 0

    started: dict[int, str] = {}
    engine = subprocess.Popen(["pulumi", "up", "--yes", "--skip-preview", "--non-interactive"], cwd=project, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            started = children_of(engine.pid)
            if any("pulumi-language-python-exec" in line for line in started.values()):
                break
            time.sleep(0.2)
        assert any(str(host) in line for line in started.values()), started
        assert any("pulumi-language-python-exec" in line for line in started.values()), started

        engine.send_signal(signal.SIGKILL)
        engine.wait(timeout=10)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(alive(pid) for pid in started):
            time.sleep(0.2)
        left = {pid: line for pid, line in started.items() if alive(pid)}
        assert left == {}, f"still running after the engine was killed: {left}"
    finally:  # leave nothing behind, whatever failed
        if engine.poll() is None:
            started.update(children_of(engine.pid))
            engine.kill()
        for pid in started:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
