"""The supported Python versions besides the main one (3.11, where `make test` runs the full suite).

`make test` runs ``nox -s other_pythons``: on 3.12 and 3.13, the exact locked set (requirements.lock,
hashes checked), then the fast tests and a short end-to-end set through the engine already on PATH, each on
``TEST_WORKERS`` pytest-xdist workers (default 2, as `make test`; 0 runs them in one process).
"""

from __future__ import annotations

import os

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True

SHORT_END_TO_END = ["tests/orders/test_e2e_order_lifecycle.py", "tests/engine/test_engine.py"]
WORKERS = ["-n", os.environ.get("TEST_WORKERS", "2")]


@nox.session(python=["3.12", "3.13"])
def other_pythons(session: nox.Session) -> None:
    """Install as `make` does, then the fast tests and a short end-to-end set."""
    session.install("--require-hashes", "-r", "requirements.lock")
    session.install("--no-deps", "--no-build-isolation", "-e", ".")
    session.run("python", "-m", "pytest", "-q", *WORKERS, "--dist", "loadfile", "-m", "not e2e", "tests",
                *session.posargs)
    session.run("python", "-m", "pytest", "-q", *WORKERS, *SHORT_END_TO_END, *session.posargs)
