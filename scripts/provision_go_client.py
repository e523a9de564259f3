"""Build the Go test client (tests/go: the AWS SDK for Go v2, service/outposts) outside the clone.

``go build`` of ``tests/go`` into ``<cache>/go/<hash of go.mod, go.sum and the Go sources>/``, where
``<cache>`` is ``PULUMI_OUTPOSTS_ORDERS_CACHE`` or ``~/.cache/pulumi-outposts-orders``: later clones
with the same sources reuse the binary. Modules come from the Go module proxy (``GOPROXY``) into
``<cache>/go/mod`` and compiled packages go to ``<cache>/go/build`` (the caches
``provision_engine.py`` uses); ``-mod=readonly`` makes ``go.sum`` the only source of module hashes.
The build is atomic (a temporary directory renamed into place). Progress goes to standard error; the
last line of standard output is the binary.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = ROOT / "tests" / "go"
BINARY = "outposts-flows"
PROGRESS_EVERY = 15
"""Seconds between progress lines of a running build."""


def cache_root() -> Path:
    """Where the project's caches live."""
    configured = os.environ.get("PULUMI_OUTPOSTS_ORDERS_CACHE")
    return Path(configured).expanduser() if configured else Path.home() / ".cache" / "pulumi-outposts-orders"


def sources() -> list[Path]:
    """The files the binary is built from: go.mod, go.sum and every ``.go`` file, sorted."""
    return sorted([SOURCE_DIR / "go.mod", SOURCE_DIR / "go.sum", *SOURCE_DIR.glob("*.go")])


def digest() -> str:
    """A hash of the names and contents of ``sources()``."""
    hashed = hashlib.sha256()
    for path in sources():
        hashed.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return hashed.hexdigest()[:16]


def go_env() -> dict[str, str]:
    """The environment of ``go build``: the project's module and build caches, no cgo, no workspace."""
    go_root = cache_root() / "go"
    return {**os.environ, "GOMODCACHE": str(go_root / "mod"), "GOCACHE": str(go_root / "build"),
            "GOFLAGS": "-mod=readonly", "CGO_ENABLED": "0", "GOWORK": "off", "GOTOOLCHAIN": "local"}


def build(source: Path, output: Path, say: Callable[[str], None]) -> None:
    """``go build`` the module in ``source`` into ``output``, saying every PROGRESS_EVERY seconds how far it is."""
    go = shutil.which("go")
    if go is None:
        raise RuntimeError("go is not on PATH: the Go test client (tests/go) needs Go 1.24 or later")
    command = [go, "build", "-v", "-trimpath", "-ldflags", "-s -w", "-o", str(output), "."]
    process = subprocess.Popen(command, cwd=source, env=go_env(), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stderr or []), daemon=True)
    reader.start()
    started = time.monotonic()
    next_report = started + PROGRESS_EVERY
    while process.poll() is None:
        time.sleep(0.5)
        if time.monotonic() >= next_report:
            next_report += PROGRESS_EVERY
            downloads = sum(line.startswith("go: downloading") for line in lines)
            say(f"Go test client: {downloads} modules downloaded, {len(lines) - downloads} packages compiled, "
                f"{int(time.monotonic() - started)}s")
    reader.join()
    if process.returncode != 0:
        raise RuntimeError(f"go build of tests/go failed ({process.returncode}):\n{''.join(lines)[-2000:]}")


def ensure(say: Callable[[str], None] = lambda line: print(line, file=sys.stderr, flush=True)) -> Path:
    """The built client of tests/go, building it first if needed."""
    go_root = cache_root() / "go"
    target = go_root / digest()
    if (target / BINARY).is_file():
        say(f"Go test client: cached in {target}")
        return target / BINARY
    go_root.mkdir(parents=True, exist_ok=True)
    say(f"Go test client: go build of tests/go into {target} (once per go.sum and source)")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(dir=go_root, prefix=".build-") as scratch:
        source = Path(scratch) / "src"
        source.mkdir()
        for path in sources():
            shutil.copy2(path, source / path.name)
        build(source, Path(scratch) / BINARY, say)
        shutil.rmtree(source)
        try:
            Path(scratch).rename(target)
        except OSError:  # another process built it first
            if not (target / BINARY).is_file():
                raise
        else:
            os.mkdir(scratch)  # for TemporaryDirectory's clean-up
    say(f"Go test client: built {target / BINARY} in {time.monotonic() - started:.0f}s")
    return target / BINARY


def main() -> int:
    """Build if needed; print the binary."""
    print(ensure())
    return 0


if __name__ == "__main__":
    sys.exit(main())
