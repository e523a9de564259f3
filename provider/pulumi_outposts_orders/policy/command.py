"""``outposts-orders policy-pack-path``: the policy pack's directory, ready for ``pulumi preview --policy-pack``.

The pack runs in a virtualenv of its own (``pulumi_policy`` pins protobuf 5.29, which a program's environment
need not have). The command copies the pack into the cache outside any checkout
(``$PULUMI_OUTPOSTS_ORDERS_CACHE/policy-pack/<digest of its files>``) and makes its ``venv`` there from its
``requirements.txt`` once per machine and pack version; later calls print the path at once. ``--copy-to DIR``
copies the pack's files into a repository instead, where ``pulumi install`` makes the virtualenv.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

PACK = Path(__file__).resolve().with_name("pack")
PACK_FILES = ("PulumiPolicy.yaml", "requirements.txt", "__main__.py", "outposts_rules.py")
VIRTUALENV = "venv"
"""The pack's virtualenv, relative to its directory (``runtime.options.virtualenv`` in PulumiPolicy.yaml)."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``policy-pack-path`` subcommand."""
    parser = subparsers.add_parser(
        "policy-pack-path",
        help="print the spending-rules policy pack's directory, for `pulumi preview --policy-pack`",
        description="Print the directory of the outposts-orders policy pack, ready to run: a copy in the cache "
        "with its own virtualenv, made from its requirements.txt on first use (progress on standard error). "
        "Use it as `pulumi preview --policy-pack \"$(outposts-orders policy-pack-path)\"`. With --copy-to, copy "
        "the pack's files into DIR (for a repository) and print DIR; run `pulumi install` there.",
    )
    parser.add_argument("--copy-to", metavar="DIR", help="copy the pack's files into DIR instead (no virtualenv)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the pack's directory; exit status 1 when the virtualenv cannot be made."""
    try:
        if args.copy_to:
            target = Path(args.copy_to).resolve()
            copy_pack(target)
            print(target)
        else:
            print(ready_pack())
    except subprocess.CalledProcessError as exc:
        print(f"outposts-orders policy-pack-path: making the pack's virtualenv failed ({exc}); see the output "
              "above", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"outposts-orders policy-pack-path: {exc}", file=sys.stderr)
        return 1
    return 0


def copy_pack(target: Path) -> None:
    """Copy the pack's files into ``target`` (created if missing)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in PACK_FILES:
        shutil.copyfile(PACK / name, target / name)


def digest() -> str:
    """A digest of the pack's files: a new version of the pack gets a directory (and virtualenv) of its own."""
    hashed = hashlib.sha256()
    for name in PACK_FILES:
        hashed.update(name.encode() + b"\0" + (PACK / name).read_bytes() + b"\0")
    return hashed.hexdigest()[:16]


def cache_root() -> Path:
    """``$PULUMI_OUTPOSTS_ORDERS_CACHE``, else ``~/.cache/pulumi-outposts-orders`` (shared by checkouts)."""
    configured = os.environ.get("PULUMI_OUTPOSTS_ORDERS_CACHE")
    return Path(configured).expanduser() if configured else Path.home() / ".cache" / "pulumi-outposts-orders"


def ready_pack() -> Path:
    """The cached copy of the pack with its virtualenv, made now if missing (one maker at a time: a lock file)."""
    target = cache_root() / "policy-pack" / digest()
    done = target / ".ready"

    def ready() -> bool:
        return done.exists() and (target / VIRTUALENV / "bin" / "python").exists()

    if ready():
        return target
    target.mkdir(parents=True, exist_ok=True)
    with open(target.with_name(f"{target.name}.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not ready():
            done.unlink(missing_ok=True)
            copy_pack(target)
            venv = target / VIRTUALENV
            say(f"making the policy pack's virtualenv {venv} (once per machine and pack version)")
            shutil.rmtree(venv, ignore_errors=True)
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, stdout=sys.stderr)
            say(f"installing {target / 'requirements.txt'}")
            subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                            "--disable-pip-version-check", "-r", str(target / "requirements.txt")],
                           check=True, stdout=sys.stderr)
            done.touch()
            say("policy pack ready")
    return target


def say(message: str) -> None:
    """Progress, on standard error (standard output is the path)."""
    print(f"policy-pack-path: {message}", file=sys.stderr, flush=True)
