"""Install the JavaScript test client (tests/js: the AWS SDK for JavaScript v3) outside the clone.

``npm ci`` of ``tests/js/package-lock.json`` into ``<cache>/npm/<hash of the lock file>/``, where
``<cache>`` is ``PULUMI_OUTPOSTS_ORDERS_CACHE`` or ``~/.cache/pulumi-outposts-orders``: later clones
with the same lock file reuse it. The install is atomic (a temporary directory renamed into place).
Progress goes to standard error; the last line of standard output is the ``node_modules`` directory.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = ROOT / "tests" / "js"
FILES = ("package.json", "package-lock.json")


def cache_root() -> Path:
    """Where the project's caches live."""
    configured = os.environ.get("PULUMI_OUTPOSTS_ORDERS_CACHE")
    return Path(configured) if configured else Path.home() / ".cache" / "pulumi-outposts-orders"


def ensure(say: Callable[[str], None] = lambda line: print(line, file=sys.stderr, flush=True)) -> Path:
    """The installed ``node_modules`` of tests/js, installing it first if needed."""
    digest = hashlib.sha256(b"".join((PACKAGE_DIR / name).read_bytes() for name in FILES)).hexdigest()[:16]
    npm_root = cache_root() / "npm"
    target = npm_root / digest
    if (target / "node_modules" / ".package-lock.json").exists():
        say(f"JavaScript test client: cached in {target}")
        return target / "node_modules"
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not on PATH: the JavaScript test client (tests/js) needs Node.js 20 or later")
    npm_root.mkdir(parents=True, exist_ok=True)
    say(f"JavaScript test client: npm ci of tests/js into {target} (once per lock file)")
    with tempfile.TemporaryDirectory(dir=npm_root, prefix=".install-") as scratch:
        for name in FILES:
            shutil.copy2(PACKAGE_DIR / name, Path(scratch) / name)
        done = subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error",
                               "--cache", str(npm_root / "_npm-cache")], cwd=scratch, capture_output=True,
                              text=True, timeout=600)
        if done.returncode != 0:
            raise RuntimeError(f"npm ci failed ({done.returncode}):\n{done.stdout}{done.stderr}")
        try:
            Path(scratch).rename(target)
        except OSError:  # another process installed it first
            if not (target / "node_modules").exists():
                raise
        else:
            os.mkdir(scratch)  # for TemporaryDirectory's clean-up
    say(f"JavaScript test client: installed in {target}")
    return target / "node_modules"


def main() -> int:
    """Install if needed; print the node_modules directory."""
    print(ensure())
    return 0


if __name__ == "__main__":
    sys.exit(main())
