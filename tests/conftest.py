"""Shared fixtures: the real-page corpus beside the repo, and a local HTTP server."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the demo server lives in demo/
CORPUS = Path(os.environ.get("GOVAUDIT_CORPUS", ROOT.parent / "shared" / "corpus"))


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The saved government pages in ../shared/corpus, read in place (skip only where absent)."""
    if not CORPUS.is_dir():
        pytest.skip(f"corpus folder absent: {CORPUS}")
    return CORPUS


def read_corpus_page(corpus: Path, relpath: str) -> str:
    return (corpus / relpath).read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="session")
def demo_audit(tmp_path_factory):
    """One real audit of the demo portal, shared by the tests that read its results."""
    from portal import audit_portal

    return audit_portal(tmp_path_factory.mktemp("demo"))
