"""The real Pulumi engine, as provisioned by `make engine`, runs Python programs end to end."""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path
from typing import Any

import pulumi
import pytest
from pulumi import automation as auto
from pulumi.dynamic import CreateResult, ReadResult, Resource, ResourceProvider, UpdateResult

pytestmark = pytest.mark.e2e


class Doubler(ResourceProvider):
    """A trivial dynamic provider: its output is twice its input."""

    def create(self, props: dict[str, Any]) -> CreateResult:
        value = props["value"]
        return CreateResult(id_=f"doubled-{value}", outs={"value": value, "doubled": value * 2})

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(outs={"value": news["value"], "doubled": news["value"] * 2})

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        return ReadResult(id_=id_, outs={**props, "doubled": props["value"] * 2})


class Doubled(Resource):
    doubled: pulumi.Output[int]

    def __init__(self, name: str, value: int) -> None:
        super().__init__(Doubler(), name, {"value": value, "doubled": None})


def engine_env(tmp_path: Path) -> dict[str, str]:
    # The dynamic provider process unpickles `Doubler` by reference: let it import this module.
    tests_dir = str(Path(__file__).resolve().parents[1])
    return {
        "PYTHONPATH": os.pathsep.join(filter(None, [tests_dir, os.environ.get("PYTHONPATH")])),
        "PULUMI_CONFIG_PASSPHRASE": "test",
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_HOME": str(tmp_path / "home"),
        "PULUMI_BACKEND_URL": f"file://{tmp_path / 'state'}",
    }


def test_engine_and_sdk_are_a_supported_pair_and_need_no_plugin_download(tmp_path: Path) -> None:
    pulumi_cli = shutil.which("pulumi")
    assert pulumi_cli, "run the tests through `make test`, which puts the engine on PATH"
    env = {**os.environ, **engine_env(tmp_path)}
    version = subprocess.run([pulumi_cli, "version"], capture_output=True, text=True, env=env, check=True)
    pairs = tomllib.loads((Path(__file__).resolve().parents[2] / "versions.toml").read_text())["pairs"]
    running = {"engine": version.stdout.strip().lstrip("v"), "sdk": importlib.metadata.version("pulumi")}
    assert running in pairs.values(), f"{running} is not a pair of versions.toml: {pairs}"
    plugins = subprocess.run([pulumi_cli, "plugin", "ls"], capture_output=True, text=True, env=env, check=True)
    assert "TOTAL plugin cache size: 0 B" in plugins.stdout


def test_preview_up_refresh_destroy_of_an_inline_program(tmp_path: Path) -> None:
    (tmp_path / "state").mkdir()
    value = {"n": 21}

    def program() -> None:
        resource = Doubled("answer", value["n"])
        pulumi.export("doubled", resource.doubled)

    opts = auto.LocalWorkspaceOptions(
        env_vars=engine_env(tmp_path),
        pulumi_home=str(tmp_path / "home"),
        project_settings=auto.ProjectSettings(name="engine-check", runtime="python"),
    )
    stack = auto.create_or_select_stack("dev", project_name="engine-check", program=program, opts=opts)

    preview = stack.preview()
    assert preview.change_summary == {"create": 2}

    up = stack.up()
    assert up.outputs["doubled"].value == 42
    assert up.summary.resource_changes == {"create": 2}

    assert stack.up().summary.resource_changes == {"same": 2}

    value["n"] = 5
    changed = stack.up()
    assert changed.outputs["doubled"].value == 10
    assert changed.summary.resource_changes == {"update": 1, "same": 1}

    refresh = stack.refresh()
    assert refresh.summary.resource_changes == {"same": 2}

    destroy = stack.destroy()
    assert destroy.summary.resource_changes == {"delete": 2}
    deployment = stack.export_stack().deployment
    assert deployment is not None
    assert deployment.get("resources") in (None, [])


def test_cli_runs_a_program_directory_through_the_language_host(tmp_path: Path) -> None:
    """`pulumi up` of a project directory goes through `pulumi-language-python`."""
    project = tmp_path / "project"
    project.mkdir()
    (tmp_path / "state").mkdir()
    (project / "Pulumi.yaml").write_text(textwrap.dedent(f"""\
        name: host-check
        runtime:
          name: python
          options:
            virtualenv: {Path(sys.prefix)}
    """))
    (project / "__main__.py").write_text(textwrap.dedent("""\
        import pulumi
        config = pulumi.Config()
        pulumi.export("greeting", f"hello {config.require('who')}")
        pulumi.export("secret_length", config.require_secret("token").apply(len))
    """))
    env = {**os.environ, **engine_env(tmp_path)}

    def pulumi_cli(*args: str) -> str:
        done = subprocess.run(["pulumi", *args], cwd=project, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    pulumi_cli("stack", "init", "dev")
    pulumi_cli("config", "set", "who", "outposts")
    pulumi_cli("config", "set", "--secret", "token", "s3cret")
    up = pulumi_cli("up", "--yes", "--non-interactive")
    assert "+ 1 created" in up
    assert pulumi_cli("stack", "output", "greeting").strip() == "hello outposts"
    assert pulumi_cli("stack", "output", "secret_length", "--show-secrets").strip() == "6"

    failing = subprocess.run(["pulumi", "config", "rm", "who"], cwd=project, env=env, capture_output=True)
    assert failing.returncode == 0
    broken = subprocess.run(["pulumi", "preview", "--non-interactive"], cwd=project, env=env,
                            capture_output=True, text=True)
    assert broken.returncode != 0
    assert "Missing required configuration variable 'host-check:who'" in broken.stdout + broken.stderr


def test_the_language_host_runs_in_the_projects_virtualenv_without_it_on_path(tmp_path: Path) -> None:
    """As Pulumi's own host: `runtime.options.virtualenv` is enough, no venv with the SDK first on PATH."""
    engine_dir = Path(shutil.which("pulumi") or "pulumi").resolve().parent
    project = tmp_path / "project"
    project.mkdir()
    (tmp_path / "state").mkdir()
    (project / "Pulumi.yaml").write_text(
        f"name: venv-check\nruntime: {{name: python, options: {{virtualenv: {Path(sys.prefix)}}}}}\n")
    (project / "__main__.py").write_text("import pulumi\npulumi.export('answer', 42)\n")
    bare_path = os.pathsep.join([str(engine_dir), "/usr/bin", "/bin"])  # a python3 without the SDK, if any
    env = {**{k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")},
           **engine_env(tmp_path), "PATH": bare_path}
    for command in (["stack", "init", "dev"], ["up", "--yes", "--non-interactive"]):
        done = subprocess.run([str(engine_dir / "pulumi"), *command], cwd=project, env=env, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
    output = subprocess.run([str(engine_dir / "pulumi"), "stack", "output", "answer"], cwd=project, env=env,
                            capture_output=True, text=True, timeout=120)
    assert output.stdout.strip() == "42"
