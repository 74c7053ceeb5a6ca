"""Where the team's reference data (``../shared/data/``) is, for the tests that use it.

The product never reads it; tests that need it skip where it is absent. Looked up in
``$SINTAS_SHARED_DIR``, then beside the repository (``../shared``), then at ``/work/shared``.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def shared_data_dir() -> Path:
    candidates = [Path(os.environ["SINTAS_SHARED_DIR"]) / "data"] if os.environ.get("SINTAS_SHARED_DIR") else []
    candidates += [ROOT.parent / "shared" / "data", Path("/work/shared/data")]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


CTDC_DIR = shared_data_dir() / "ctdc"
CTDC_EXTRACT = CTDC_DIR / "derived_gh-mrmoore_trafficking_cleaned.csv"
