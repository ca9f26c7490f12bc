"""What several test modules share: where the read-only seed reports live, and how to read one."""

from __future__ import annotations

from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def read_seed(prefix: str) -> str:
    """The text of the seed report whose file name starts with ``prefix``; skips the test where absent."""
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not available")
    files = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not files:
        pytest.skip(f"seed {prefix} is not available")
    return files[0].read_text(encoding="utf-8")
