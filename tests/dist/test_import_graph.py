"""Facts a reviewer can check from the import graph: the layers of ``[tool.importlinter]`` in pyproject.toml
hold (nothing imports upward: shared parts never import a service, services never import the tools, the
emulator's shared core never imports a service), and no module imports itself back through others."""

from __future__ import annotations

import graphlib
import shutil
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]


def test_the_layers_of_pyproject_hold() -> None:
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint_imports is not None, "import-linter is installed with the test extra"
    checked = subprocess.run([lint_imports, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "0 broken" in checked.stdout


def test_no_import_cycles_not_even_for_type_checking() -> None:
    graph = grimp.build_graph("pulumi_outposts_orders", cache_dir=None)
    imports = {module: graph.find_modules_directly_imported_by(module) for module in graph.modules}
    assert len(imports) > 90, "the whole package is in the graph"
    try:
        order = list(graphlib.TopologicalSorter(imports).static_order())
    except graphlib.CycleError as cycle:
        raise AssertionError(f"import cycle: {' -> '.join(cycle.args[1])}") from None
    assert set(order) >= set(imports)
