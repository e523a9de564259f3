"""The published Amazon Business models beside the checkout, and the check that the schemas the repository keeps
(``published/*.json``) are what ``scripts/derive_ab_schemas.py`` derives from them."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT.parent / "shared" / "reference" / "amazon-business"
"""Where the published models are looked for (the repository keeps only what is derived from them)."""


def assert_derived(model: Path, schemas: Mapping[str, Any]) -> None:
    """``schemas`` are the derivation of ``model`` (a published Swagger document), which they name by SHA-256."""
    spec = importlib.util.spec_from_file_location("derive_ab_schemas", ROOT / "scripts" / "derive_ab_schemas.py")
    assert spec is not None and spec.loader is not None
    derive = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(derive)
    text = model.read_bytes()
    assert derive.derive(json.loads(text))["$defs"] == schemas["$defs"]
    assert str(schemas["$comment"]).endswith(f"; sha256 {hashlib.sha256(text).hexdigest()}")
