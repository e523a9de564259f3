#!/usr/bin/env python3
"""Stand-in for Pulumi's Python language host (`pulumi-language-python`).

Installed by scripts/provision_engine.py only when Pulumi's own Go language host cannot be
obtained (the Go module proxy on this project's machines refuses its module). It implements the
`pulumirpc.LanguageRuntime` service with the protobuf stubs that ship in the `pulumi` SDK and runs
the program exactly as Pulumi's host does: through `pulumi-language-python-exec` (from the sdk/v3
module at the same release) in the project's virtual environment, with the engine's settings on
the command line and the stack's config in PULUMI_CONFIG / PULUMI_CONFIG_SECRET_KEYS.

It also runs plugins written in Python (`RunPlugin`: policy packs, as `pulumi preview --policy-pack DIR`
starts them) and installs their dependencies (`InstallDependencies`: `pulumi install` in a policy pack's
directory makes its virtualenv from its requirements.txt), both as Pulumi's own host does: a plugin runs
as `python <its directory>` (its `__main__.py`) with the interpreter of its own virtualenv
(`runtime.options.virtualenv` in PulumiPolicy.yaml, `venv` when not given), never the ambient Python;
a policy pack's `pulumi.Config()` and PULUMI_PROJECT/STACK/DRY_RUN/CONFIG/ORGANIZATION are the stack's.

Not implemented (the engine falls back or the command says so): program generation, packing, plugins
that are buildable packages without a `__main__.py`. The host itself runs in the project's virtualenv
(`runtime.options.virtualenv` in Pulumi.yaml, as Pulumi's own host does), else with the `python3` on
PATH; either needs `grpcio` and `pulumi`.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Generator, Iterator
from concurrent import futures
from pathlib import Path
from typing import Any


def project_virtualenv(argv: list[str], cwd: str) -> Path | None:
    """The interpreter of the ``runtime.options.virtualenv`` named by the project's Pulumi.yaml (the engine
    starts the host in the project directory, or passes it as ``-root``), if there is one."""
    start = Path(argv[argv.index("-root") + 1]) if "-root" in argv[:-1] else Path(cwd)
    for directory in (start, *start.parents):
        for name in ("Pulumi.yaml", "Pulumi.yml"):
            settings = directory / name
            if settings.is_file():
                found = re.search(r"virtualenv:\s*['\"]?([^\s,'\"}]+)", settings.read_text())
                python = directory / found.group(1) / "bin" / "python" if found else None
                return python if python is not None and python.exists() else None
    return None


try:
    import grpc
    from google.protobuf import empty_pb2, json_format
    from pulumi.runtime.proto import language_pb2, language_pb2_grpc, plugin_pb2
except ImportError as exc:  # pragma: no cover - depends on the interpreter on PATH
    interpreter = project_virtualenv(sys.argv, os.getcwd())
    if interpreter is not None and Path(sys.executable).resolve() != interpreter.resolve():
        os.execv(str(interpreter), [str(interpreter), __file__, *sys.argv[1:]])  # as Pulumi's host: the project's venv
    sys.exit(f"pulumi-language-python (stand-in): cannot import pulumi ({exc}) with {sys.executable}, and the "
             "project names no virtualenv that has it (runtime.options.virtualenv in Pulumi.yaml)")

BAIL_EXIT_CODE = 32  # pulumi-language-python-exec: "error already shown to the user"
EXEC_SHIM = "pulumi-language-python-exec"


def python_for(options: dict[str, Any], root: str) -> str:
    """The interpreter of the project's virtualenv option, else the python3 on PATH."""
    virtualenv = options.get("virtualenv")
    if virtualenv:
        venv = Path(root, virtualenv)
        candidate = venv / "bin" / "python"
        if not candidate.exists():
            raise RuntimeError(f"the virtualenv option points to {venv}, which has no bin/python; "
                               "run `make venv` (or create it) first")
        return str(candidate)
    return shutil.which("python3") or sys.executable


PLUGIN_VIRTUALENV = "venv"
"""A plugin's virtualenv when its PulumiPlugin.yaml / PulumiPolicy.yaml names none (as Pulumi's own host)."""
READ_SIZE = 65536
PLUGIN_BOOTSTRAP = """
import json, os, runpy, sys
try:
    from pulumi_policy import policy
except ImportError:
    policy = None
configure = getattr(getattr(policy, "_PolicyAnalyzerServicer", None), "ConfigureStack", None)
if configure is not None:
    def ConfigureStack(self, request, context):
        os.environ.update({
            "PULUMI_PROJECT": request.project, "PULUMI_STACK": request.stack,
            "PULUMI_ORGANIZATION": request.organization or "organization",
            "PULUMI_DRY_RUN": "true" if request.dry_run else "false",
            "PULUMI_CONFIG": json.dumps(dict(request.config)),
            "PULUMI_CONFIG_SECRET_KEYS": json.dumps(list(request.config_secret_keys)),
        })
        return configure(self, request, context)
    policy._PolicyAnalyzerServicer.ConfigureStack = ConfigureStack
if sys.path and sys.path[0] == "":
    del sys.path[0]
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""
"""Runs a plugin's directory as ``python <directory>`` would, first giving a policy pack the stack's settings.

The engine sends a policy pack its stack (project, stack, organization, dry-run flag, config) in ConfigureStack,
once the pack runs; a plugin's start carries none. pulumi_policy sets ``pulumi.Config`` and the runtime settings
from PULUMI_PROJECT, PULUMI_STACK, PULUMI_DRY_RUN, PULUMI_CONFIG and PULUMI_ORGANIZATION, which the engine sets
only for packs it starts without a language host; this puts ConfigureStack's values there."""


def plugin_virtualenv(info: Any) -> Path:
    """The virtualenv a plugin (policy pack) runs in: its ``virtualenv`` option, relative to its directory."""
    root = info.root_directory or info.program_directory
    options = json_format.MessageToDict(info.options) if info.HasField("options") else {}
    return Path(root, options.get("virtualenv") or PLUGIN_VIRTUALENV)


def virtualenv_env(venv: Path, base: dict[str, str]) -> dict[str, str]:
    """``base`` with ``venv`` activated (VIRTUAL_ENV, its bin first on PATH)."""
    return {**base, "VIRTUAL_ENV": str(venv),
            "PATH": f"{venv}/bin{os.pathsep}{base.get('PATH', '')}"}


def stream(command: list[str], cwd: str | None, env: dict[str, str], context: Any,
           output: Any) -> Generator[Any, None, int]:
    """Run ``command``, yielding ``output(stdout=…)`` / ``output(stderr=…)`` as its bytes arrive (``output``
    builds the response message), and return its exit code (128 + N when signal N killed it). The engine
    reads a plugin's port from its first stdout line, so nothing is buffered. A cancelled call stops the child."""
    chunks: queue.Queue[tuple[str, bytes]] = queue.Queue()
    child = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    CHILDREN.add(child)

    def stop_child() -> None:
        if child.poll() is None:
            child.terminate()

    context.add_callback(stop_child)

    def pump(name: str, pipe: Any) -> None:
        while chunk := os.read(pipe.fileno(), READ_SIZE):
            chunks.put((name, chunk))
        chunks.put((name, b""))

    for name, pipe in (("stdout", child.stdout), ("stderr", child.stderr)):
        threading.Thread(target=pump, args=(name, pipe), daemon=True, name=f"plugin-{name}").start()
    try:
        open_pipes = 2
        while open_pipes:
            name, chunk = chunks.get()
            if chunk:
                yield output(**{name: chunk})
            else:
                open_pipes -= 1
        code = child.wait()
    finally:
        CHILDREN.discard(child)
    return code if code >= 0 else 128 - code


class LanguageHost(language_pb2_grpc.LanguageRuntimeServicer):
    """The subset of LanguageRuntime that `pulumi up/preview/refresh/destroy` use."""

    def __init__(self, engine_address: str, root: str) -> None:
        self.engine_address = engine_address
        self.root = root

    def Handshake(self, request: Any, context: Any) -> Any:
        self.engine_address = request.engine_address or self.engine_address
        self.root = request.root_directory or self.root
        return language_pb2.LanguageHandshakeResponse()

    def GetPluginInfo(self, request: Any, context: Any) -> Any:
        return plugin_pb2.PluginInfo(version=importlib.metadata.version("pulumi"))

    def GetRequiredPlugins(self, request: Any, context: Any) -> Any:
        return language_pb2.GetRequiredPluginsResponse()

    def GetRequiredPackages(self, request: Any, context: Any) -> Any:
        return language_pb2.GetRequiredPackagesResponse()

    def About(self, request: Any, context: Any) -> Any:
        return language_pb2.AboutResponse(executable=sys.executable,
                                          version=sys.version.split()[0])

    def GetProgramDependencies(self, request: Any, context: Any) -> Any:
        return language_pb2.GetProgramDependenciesResponse()

    def Cancel(self, request: Any, context: Any) -> Any:
        return empty_pb2.Empty()

    def RunPlugin(self, request: Any, context: Any) -> Iterator[Any]:
        """Run a plugin (a policy pack) as Pulumi's Python host does: its directory's ``__main__.py`` with
        ``<args>``, by its own virtualenv's interpreter, in ``pwd``, with the engine's environment (``env``)
        and the virtualenv activated; a policy pack also gets the stack's settings (``PLUGIN_BOOTSTRAP``)."""
        venv = plugin_virtualenv(request.info)
        python = venv / "bin" / "python"
        if not python.exists():
            directory = request.info.program_directory
            context.abort(grpc.StatusCode.FAILED_PRECONDITION,
                          f"the plugin's virtualenv {venv} does not exist: run `pulumi install` in {directory} "
                          "(it makes the virtualenv from the plugin's requirements.txt)")
        engine_env = dict(entry.split("=", 1) for entry in request.env if "=" in entry)
        env = virtualenv_env(venv, {**os.environ, **engine_env})  # the plugin's virtualenv stays first on PATH
        command = [str(python), "-u", "-c", PLUGIN_BOOTSTRAP, request.info.program_directory, *request.args]
        code = yield from stream(command, request.pwd or None, env, context, language_pb2.RunPluginResponse)
        if code != 0:
            yield language_pb2.RunPluginResponse(exitcode=code)

    def InstallDependencies(self, request: Any, context: Any) -> Iterator[Any]:
        """Make a plugin's (or program's) virtualenv and install its requirements.txt into it, streaming pip's
        output (``pulumi install`` in a policy pack's directory)."""
        info = request.info
        root = Path(info.root_directory or info.program_directory or request.directory)
        options = json_format.MessageToDict(info.options) if info.HasField("options") else {}
        venv = root / (options.get("virtualenv") or PLUGIN_VIRTUALENV)
        response = language_pb2.InstallDependenciesResponse

        def step(doing: str, command: list[str], env: dict[str, str]) -> Iterator[Any]:
            yield response(stdout=f"{doing}...\n".encode())
            code = yield from stream(command, str(root), env, context, response)
            if code != 0:
                context.abort(grpc.StatusCode.UNKNOWN, f"{doing} failed (exit status {code})")

        if not (venv / "bin" / "python").exists():
            base = shutil.which("python3") or sys.executable
            yield from step(f"Creating virtual environment {venv}", [base, "-m", "venv", str(venv)],
                            dict(os.environ))
        requirements = root / "requirements.txt"
        if requirements.exists():
            yield from step(f"Installing dependencies from {requirements}",
                            [str(venv / "bin" / "python"), "-m", "pip", "install", "-r", str(requirements)],
                            virtualenv_env(venv, dict(os.environ)))

    def Run(self, request: Any, context: Any) -> Any:
        info = request.info
        root = info.root_directory or self.root or request.pwd
        options = json_format.MessageToDict(info.options) if info.HasField("options") else {}
        program = os.path.join(info.program_directory or request.pwd, info.entry_point or request.program)
        try:
            python = python_for(options, root)
        except RuntimeError as exc:
            return language_pb2.RunResponse(error=str(exc))
        exec_shim = shutil.which(EXEC_SHIM) or str(Path(__file__).with_name(EXEC_SHIM))
        command = [
            python, "-u", exec_shim,
            f"--monitor={request.monitor_address}",
            f"--engine={self.engine_address}",
            f"--project={request.project}",
            f"--stack={request.stack}",
            f"--pwd={request.pwd}",
            f"--dry_run={'true' if request.dryRun else 'false'}",
            f"--parallel={request.parallel}",
            f"--organization={request.organization}",
            f"--root_directory={root}",
            program, *request.args,
        ]
        env = {
            **os.environ,
            "PULUMI_CONFIG": json.dumps(dict(request.config)),
            "PULUMI_CONFIG_SECRET_KEYS": json.dumps(list(request.configSecretKeys)),
        }
        if options.get("virtualenv"):
            venv = str(Path(root, options["virtualenv"]))
            env["VIRTUAL_ENV"] = venv
            env["PATH"] = f"{venv}/bin{os.pathsep}{env.get('PATH', '')}"
            env["PULUMI_RUNTIME_VIRTUALENV"] = venv
        with subprocess.Popen(command, env=env, cwd=request.pwd or None) as child:
            CHILDREN.add(child)
            try:
                code = child.wait()
            finally:
                CHILDREN.discard(child)
        if code == 0:
            return language_pb2.RunResponse()
        if code == BAIL_EXIT_CODE:
            return language_pb2.RunResponse(bail=True)
        return language_pb2.RunResponse(error=f"Program exited with non-zero exit code: {code}")


CHILDREN: set[subprocess.Popen[bytes]] = set()
"""Programs running now: stopped with the host when the engine goes away."""
WATCH_INTERVAL = 0.5


def stop_children() -> None:
    """SIGTERM every running program, then SIGKILL what is left after 2 s."""
    for child in list(CHILDREN):
        if child.poll() is None:
            child.terminate()
    for child in list(CHILDREN):
        try:
            child.wait(timeout=2)
        except subprocess.TimeoutExpired:
            child.kill()


def watch_engine(engine_pid: int) -> None:
    """Exit, stopping the programs this host started, as soon as the engine that started it is gone.

    The engine normally stops its plugins itself; when it is killed (SIGKILL, a crash) nothing does,
    and the host is re-parented: its parent process ID changes.
    """
    while os.getppid() == engine_pid:
        time.sleep(WATCH_INTERVAL)
    stop_children()
    os._exit(0)


def main() -> None:
    parser = argparse.ArgumentParser(prog="pulumi-language-python")
    parser.add_argument("-tracing", default="")
    parser.add_argument("-root", default="")
    parser.add_argument("-binary", default="")
    parser.add_argument("-virtualenv", default="")
    parser.add_argument("-typechecker", default="")
    parser.add_argument("-toolchain", default="")
    parser.add_argument("engine_address", nargs="?", default="")
    args, _unknown = parser.parse_known_args()
    threading.Thread(target=watch_engine, args=(os.getppid(),), daemon=True, name="engine-watchdog").start()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=16),
                         options=[("grpc.max_receive_message_length", 400 * 1024 * 1024)])
    language_pb2_grpc.add_LanguageRuntimeServicer_to_server(
        LanguageHost(args.engine_address, args.root or os.getcwd()), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(port, flush=True)
    # The engine stops its plugins with SIGINT/SIGTERM once the operation is over.
    def stop(*_: Any) -> None:
        stop_children()
        server.stop(grace=0)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, stop)
    server.wait_for_termination()


if __name__ == "__main__":
    main()
