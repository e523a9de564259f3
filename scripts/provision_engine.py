#!/usr/bin/env python3
"""Provision the Pulumi engine of a supported pair (`versions.toml`; default: the newest).

`provision_engine.py [--pair newest|oldest]`. The pair's engine is at least as new as its Python SDK.

Sources, tried in order, each reported in one line on stderr:
  1. PULUMI_ENGINE_DIR, or a compatible `pulumi` already on PATH;
  2. the engine cache outside the clone ($PULUMI_OUTPOSTS_ORDERS_CACHE, default
     ~/.cache/pulumi-outposts-orders/engine/<version>/bin);
  3. the official release archive, only if its site answers within a few seconds;
  4. a build from Go modules with the machine's `go` (pkg/v3 at the release, its replace
     directives dropped, sdk/v3 required at the same release).
The engine directory is printed on stdout as the last line, so that
`export PATH="$(make -s engine | tail -n1):$PATH"` works. Progress goes to stderr.

Installs into the cache are atomic: everything is built in a temporary directory next to the
final one and renamed into place, with a `.complete` marker written last.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

PKG_MODULE = "github.com/pulumi/pulumi/pkg/v3"
SDK_MODULE = "github.com/pulumi/pulumi/sdk/v3"
LANGUAGE_HOST_MODULE = "github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3"
RELEASE_ARCHIVE = "https://get.pulumi.com/releases/sdk/pulumi-v{version}-linux-x64.tar.gz"
REQUIRED = ("pulumi", "pulumi-language-python", "pulumi-language-python-exec", "pulumi-resource-pulumi-python")
STAND_IN_HOST = Path(__file__).resolve().parent / "pulumi_language_python.py"


class ProvisionError(RuntimeError):
    """A source could not provide the engine; the message says why in one line."""


def say(message: str) -> None:
    print(f"engine: {message}", file=sys.stderr, flush=True)


VERSIONS = Path(__file__).resolve().parent.parent / "versions.toml"


def pair_versions(pair: str) -> tuple[str, str]:
    """The engine and SDK versions of ``pair`` in versions.toml."""
    pairs = tomllib.loads(VERSIONS.read_text())["pairs"]
    if pair not in pairs:
        raise ProvisionError(f"versions.toml has no pair {pair!r} (it has {', '.join(sorted(pairs))})")
    return str(pairs[pair]["engine"]), str(pairs[pair]["sdk"])


def cache_root() -> Path:
    default = Path.home() / ".cache" / "pulumi-outposts-orders"
    return Path(os.environ.get("PULUMI_OUTPOSTS_ORDERS_CACHE", default)).expanduser()


def engine_version(pulumi: Path) -> str | None:
    try:
        out = subprocess.run([str(pulumi), "version"], capture_output=True, text=True, timeout=60,
                             env={**os.environ, "PULUMI_SKIP_UPDATE_CHECK": "true"})
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip().lstrip("v") or None


def missing_binaries(directory: Path) -> list[str]:
    return [name for name in REQUIRED if not os.access(directory / name, os.X_OK)]


# --- source 1: already installed ---------------------------------------------------------------

def from_installed(version: str) -> Path:
    user_dir = os.environ.get("PULUMI_ENGINE_DIR")
    if user_dir:
        candidate = Path(user_dir).expanduser().resolve()
    else:
        found = shutil.which("pulumi")
        if not found:
            raise ProvisionError("no `pulumi` on PATH and PULUMI_ENGINE_DIR is not set")
        candidate = Path(found).resolve().parent
    found_version = engine_version(candidate / "pulumi")
    if found_version != version:
        raise ProvisionError(f"{candidate}/pulumi is {found_version or 'not runnable'}, need {version}")
    missing = missing_binaries(candidate)
    if missing:
        raise ProvisionError(f"{candidate} lacks {', '.join(missing)}")
    return candidate


# --- source 2: the project's cache ---------------------------------------------------------------

def install_dir(version: str) -> Path:
    return cache_root() / "engine" / version


def from_cache(version: str) -> Path:
    target = install_dir(version)
    if not (target / ".complete").exists():
        raise ProvisionError(f"nothing cached at {target}")
    refresh_stand_in_host(target / "bin")
    if missing_binaries(target / "bin") or engine_version(target / "bin" / "pulumi") != version:
        raise ProvisionError(f"the cache at {target} is incomplete")
    return target / "bin"


@contextlib.contextmanager
def staging(version: str) -> Iterator[Path]:
    """A temporary install directory that is renamed into the cache only when complete."""
    root = cache_root() / "engine"
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=root))
    tmp.chmod(0o755)
    try:
        (tmp / "bin").mkdir()
        yield tmp
        (tmp / ".complete").write_text(json.dumps({"version": version, "at": time.time()}))
        final = install_dir(version)
        if final.exists():
            shutil.rmtree(final)
        tmp.rename(final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# --- source 3: the official release archive ------------------------------------------------------

def from_release_archive(version: str) -> Path:
    url = RELEASE_ARCHIVE.format(version=version)
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=5):
            pass
    except (urllib.error.URLError, OSError) as exc:
        raise ProvisionError(f"the release site is not reachable ({exc})") from exc
    say(f"downloading {url}")
    with staging(version) as tmp:
        archive = tmp / "pulumi.tar.gz"
        urllib.request.urlretrieve(url, archive)
        with tarfile.open(archive) as tar:
            tar.extractall(tmp, filter="data")
        for item in (tmp / "pulumi").iterdir():
            item.rename(tmp / "bin" / item.name)
        archive.unlink()
    return install_dir(version) / "bin"


# --- source 4: a build from Go modules -------------------------------------------------------------

def go_env() -> dict[str, str]:
    go_root = cache_root() / "go"
    return {
        **os.environ,
        "GOMODCACHE": str(go_root / "mod"),
        "GOCACHE": str(go_root / "build"),
        "GOFLAGS": "-mod=mod",
        "CGO_ENABLED": "0",
    }


def go(*args: str, cwd: Path | None = None) -> str:
    result = subprocess.run(["go", *args], cwd=cwd, env=go_env(), capture_output=True, text=True)
    if result.returncode != 0:
        raise ProvisionError(f"`go {' '.join(args)}` failed: {result.stderr.strip()[-600:]}")
    return result.stdout


def download_module(module: str, version: str) -> dict[str, Any]:
    say(f"downloading Go module {module}@{version}")
    result = subprocess.run(["go", "mod", "download", "-json", f"{module}@{version}"], env=go_env(),
                            capture_output=True, text=True)
    try:
        info: dict[str, Any] = json.loads(result.stdout)
    except json.JSONDecodeError:
        info = {"Error": result.stderr.strip()[-600:] or f"go exited with {result.returncode}"}
    if info.get("Error") or result.returncode != 0:
        reason = str(info.get("Error") or result.stderr.strip()[-600:]).replace("\n", " ").replace("\t", " ")
        raise ProvisionError(f"{module}@{version} could not be downloaded: {reason}")
    return info


def writable_copy(source: str, destination: Path) -> Path:
    shutil.copytree(source, destination)
    for path in destination.rglob("*"):
        path.chmod(path.stat().st_mode | 0o200)
    destination.chmod(destination.stat().st_mode | 0o200)
    return destination


def go_build(module_dir: Path, package: str, output: Path, version: str) -> None:
    """`go build` one command, printing a progress line every 15 seconds."""
    flags = f"-s -w -X {SDK_MODULE}/go/common/version.Version=v{version}"
    command = ["go", "build", "-v", "-trimpath", "-ldflags", flags, "-o", str(output), package]
    process = subprocess.Popen(command, cwd=module_dir, env=go_env(), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    compiled: list[str] = []
    reader = threading.Thread(target=lambda: compiled.extend(process.stderr or []), daemon=True)
    reader.start()
    started = time.monotonic()
    while process.poll() is None:
        time.sleep(1)
        elapsed = int(time.monotonic() - started)
        if elapsed and elapsed % 15 == 0:
            say(f"  compiling {package}: {len(compiled)} packages so far, {elapsed}s")
    reader.join()
    if process.returncode != 0:
        tail = "".join(line for line in compiled if not line.startswith(("github.com/", "golang.org/")))
        raise ProvisionError(f"go build {package} failed: {tail.strip()[-800:]}")
    say(f"  built {output.name} ({len(compiled)} packages, {int(time.monotonic() - started)}s)")


def from_go_build(version: str) -> Path:
    if not shutil.which("go"):
        raise ProvisionError("`go` is not on PATH")
    pkg = download_module(PKG_MODULE, f"v{version}")
    sdk = download_module(SDK_MODULE, f"v{version}")
    release_commit = str((pkg.get("Origin") or {}).get("Hash", ""))
    with staging(version) as tmp:
        bin_dir = tmp / "bin"
        src = writable_copy(pkg["Dir"], tmp / "src" / "pkg")
        go("mod", "edit", f"-dropreplace={SDK_MODULE}", f"-require={SDK_MODULE}@v{version}", cwd=src)
        say(f"compiling pulumi v{version} from {PKG_MODULE} (several minutes on a cold cache)")
        go_build(src, "./cmd/pulumi", bin_dir / "pulumi", version)
        build_language_host(version, release_commit, tmp, bin_dir)
        for shim in ("python/dist/pulumi-resource-pulumi-python", "python/cmd/pulumi-language-python-exec"):
            target = bin_dir / Path(shim).name
            shutil.copyfile(Path(sdk["Dir"]) / shim, target)
            target.chmod(0o755)
        shutil.rmtree(tmp / "src")
    return install_dir(version) / "bin"


def build_language_host(version: str, commit: str, tmp: Path, bin_dir: Path) -> None:
    """Pulumi's Go language host at the release commit, or the project's stand-in if refused."""
    try:
        if not commit:
            raise ProvisionError(f"the proxy did not reveal the release commit of {PKG_MODULE}@v{version}")
        host = download_module(LANGUAGE_HOST_MODULE, commit)
        src = writable_copy(host["Dir"], tmp / "src" / "language-host")
        go("mod", "edit", f"-dropreplace={SDK_MODULE}", f"-require={SDK_MODULE}@v{version}",
           f"-dropreplace={PKG_MODULE}", f"-require={PKG_MODULE}@v{version}", cwd=src)
        say("compiling pulumi-language-python")
        go_build(src, ".", bin_dir / "pulumi-language-python", version)
    except ProvisionError as exc:
        say(f"Pulumi's Go language host is not available ({exc}); installing the project's "
            f"stand-in Python language host ({STAND_IN_HOST.name})")
        install_stand_in_host(bin_dir)


def install_stand_in_host(bin_dir: Path) -> None:
    target = bin_dir / "pulumi-language-python"
    shutil.copyfile(STAND_IN_HOST, target)
    target.chmod(0o755)
    (bin_dir / ".stand-in-language-host").touch()


def refresh_stand_in_host(bin_dir: Path) -> None:
    """Keep a cached stand-in host in step with this checkout's copy."""
    target = bin_dir / "pulumi-language-python"
    if (bin_dir / ".stand-in-language-host").exists() and target.read_bytes() != STAND_IN_HOST.read_bytes():
        install_stand_in_host(bin_dir)


# --- driver ----------------------------------------------------------------------------------------

@contextlib.contextmanager
def cache_lock() -> Iterator[None]:
    """Serialise provisioning between clones that share the cache."""
    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".engine.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def provision(pair: str) -> Path:
    version, sdk = pair_versions(pair)
    installed_sdk = importlib.metadata.version("pulumi")
    if installed_sdk != sdk:
        say(f"note: the installed pulumi SDK is {installed_sdk}; the {pair} pair is tested with {sdk}")
    sources = [
        ("installed", from_installed),
        ("cache", from_cache),
        ("release archive", from_release_archive),
        ("Go modules", from_go_build),
    ]
    failures: list[str] = []
    with cache_lock():
        for number, (name, source) in enumerate(sources, start=1):
            started = time.monotonic()
            try:
                directory = source(version)
            except ProvisionError as exc:
                say(f"[{number}/4] {name}: no - {exc}")
                failures.append(f"{name}: {exc}")
                continue
            say(f"[{number}/4] {name}: pulumi v{version} in {directory} ({time.monotonic() - started:.1f}s)")
            return directory
    raise ProvisionError(
        f"could not provision Pulumi engine v{version}. Tried:\n  - " + "\n  - ".join(failures)
        + f"\nInstall Pulumi CLI v{version} by hand (https://www.pulumi.com/docs/install/) and set "
        "PULUMI_ENGINE_DIR to the directory holding `pulumi`, `pulumi-language-python`, "
        "`pulumi-language-python-exec` and `pulumi-resource-pulumi-python`."
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pair", default="newest", help="a pair of versions.toml (default: newest)")
    try:
        directory = provision(parser.parse_args().pair)
    except ProvisionError as exc:
        print(f"engine: ERROR: {exc}", file=sys.stderr)
        return 1
    print(directory)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
