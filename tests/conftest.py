"""Shared fixtures: the real models, rendered pages, and the schemas beside the project."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SCHEMAS = SHARED / "schemas"
EVAL = SHARED / "eval"
SEED = SHARED / "seed"

# libxml2 reads the catalog lazily, on the first schema import it resolves: set it before any.
if (SCHEMAS / "catalog.xml").is_file():
    os.environ.setdefault("XML_CATALOG_FILES", str(SCHEMAS / "catalog.xml"))


def need_shared(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} not found: ../shared/ (schemas, eval scans) exists only beside the "
                    "project's own checkout, not on a user's machine")
    return path


@pytest.fixture(scope="session")
def pipeline():
    from layoutkit.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def alto_schema():
    from lxml import etree

    xsd = need_shared(SCHEMAS / "alto-4-4.xsd")
    return etree.XMLSchema(etree.parse(str(xsd)))


@pytest.fixture
def assert_valid_alto(alto_schema):
    from lxml import etree

    def check(data: bytes | Path) -> etree._ElementTree:
        raw = data.read_bytes() if isinstance(data, Path) else data
        doc = etree.ElementTree(etree.fromstring(raw))
        if not alto_schema.validate(doc):
            raise AssertionError(f"ALTO invalid: {alto_schema.error_log}")
        return doc

    return check


@pytest.fixture(scope="session")
def chinese_corpus() -> dict:
    import json

    return json.loads((ROOT / "samples" / "corpus" / "changji-2025-11-26.zh.json").read_text("utf-8"))


@pytest.fixture(scope="session")
def chinese_paragraphs(chinese_corpus) -> list[str]:
    return [p for section in chinese_corpus["lead"]["sections"] for p in section["paragraphs"]]


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory):
    """`layoutkit run samples/` once for the session, every output format and a METS file."""
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("samples-out")
    res = subprocess.run([sys.executable, "-m", "layoutkit", "run", str(ROOT / "samples"), "-o", str(out), "-q",
                          "--format", "alto,page,text,json", "--mets", str(out / "issue.mets.xml")],
                         capture_output=True, text=True, timeout=900, check=False)
    assert res.returncode == 0, res.stderr
    return out


@pytest.fixture(scope="session")
def schema():
    from lxml import etree

    def load(name: str) -> etree.XMLSchema:
        return etree.XMLSchema(etree.parse(str(need_shared(SCHEMAS / name))))

    return load
