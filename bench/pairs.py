"""The supported engine/SDK pairs side by side: the same fleets, measured in one run, with a ratio per row.

For each N, each pair of ``versions.toml`` runs ``bench/run.py --fleet-json N`` in its own environment
(its venv's Python, SDK and dynamic provider; its engine first on PATH), interleaved so that both see
the same machine. The table replaces the "Engine pairs" section of ``bench/results.md`` (or is appended).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HEADING = "Engine pairs, side by side:"
START, END = "<!-- engine pairs -->", "<!-- /engine pairs -->"
RATE_LIMITED_HEADING = "Rate-limited fleet:"  # bench/run.py's last section


def engine_dir(python: Path, pair: str) -> str:
    """The pair's engine directory, provisioned (or found in the cache) by scripts/provision_engine.py."""
    done = subprocess.run([str(python), str(ROOT / "scripts" / "provision_engine.py"), "--pair", pair],
                          capture_output=True, text=True, check=True)
    return done.stdout.strip().splitlines()[-1]


def measure(python: Path, engine: str, n: int, latency_ms: int) -> dict[str, Any]:
    env = {**os.environ, "PATH": os.pathsep.join([engine, str(python.parent), os.environ.get("PATH", "")])}
    done = subprocess.run([str(python), str(ROOT / "bench" / "run.py"), "--fleet-json", str(n),
                           "--latency-ms", str(latency_ms)], capture_output=True, text=True, env=env, check=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def section(pairs: dict[str, dict[str, str]], rows: list[tuple[int, str, dict[str, Any], dict[str, Any]]],
            latency_ms: int) -> str:
    old, new = pairs["oldest"], pairs["newest"]
    lines = [f"{HEADING} engine {old['engine']} + SDK {old['sdk']} (oldest) and engine {new['engine']} + SDK "
             f"{new['sdk']} (newest), latency L = {latency_ms} ms, one run (`bench/pairs.py`), fleets interleaved.",
             "",
             f"| N | operation | {old['engine']} s | {new['engine']} s | newest / oldest | Outposts API calls (both) |",
             "| ---: | --- | ---: | ---: | ---: | --- |"]
    for n, name, a, b in rows:
        calls = ", ".join(f"{k}={v}" for k, v in sorted(b["calls"].items())) or "0"
        same = "" if a["calls"] == b["calls"] else f" (oldest: {a['calls']})"
        lines.append(f"| {n} | {name} | {a['seconds']:.2f} | {b['seconds']:.2f} | "
                     f"{b['seconds'] / a['seconds']:.2f}x | {calls}{same} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,50,200", help="fleet sizes N (default: %(default)s)")
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.md")
    args = parser.parse_args()
    pairs = tomllib.loads((ROOT / "versions.toml").read_text())["pairs"]
    pythons = {"oldest": ROOT / ".venv-oldest" / "bin" / "python", "newest": ROOT / ".venv" / "bin" / "python"}
    engines = {pair: engine_dir(python, pair) for pair, python in pythons.items()}
    rows = []
    for n in (int(size) for size in args.sizes.split(",")):
        print(f"N = {n} ...", file=sys.stderr, flush=True)
        fleets = {pair: measure(pythons[pair], engines[pair], n, args.latency_ms) for pair in ("oldest", "newest")}
        for a, b in zip(fleets["oldest"]["ops"], fleets["newest"]["ops"], strict=True):
            rows.append((n, a["name"], a, b))
    text = section(pairs, rows, args.latency_ms)
    print(text)
    args.out.write_text(with_pairs(args.out.read_text() if args.out.exists() else "", text))
    return 0


def with_pairs(existing: str, text: str) -> str:
    """``existing`` with its engine-pairs section (between markers) replaced by ``text``, or ``text`` put before
    the rate-limited section (which ``bench/run.py --only rate-limited`` keeps last)."""
    block = f"{START}\n{text}{END}\n"
    if START in existing and END in existing:
        before, rest = existing.split(START, 1)
        return before + block + rest.split(END, 1)[1].lstrip("\n")
    before, marker, after = existing.partition(RATE_LIMITED_HEADING)
    return f"{before.rstrip()}\n\n{block}\n{marker}{after}" if marker else f"{existing.rstrip()}\n\n{block}"


if __name__ == "__main__":
    sys.exit(main())
