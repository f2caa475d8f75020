"""The browser journeys type dates worked out from today, never a fixed year: a journey that
typed 2027 as a start date would begin failing once 2027's date had passed."""

from __future__ import annotations

import re
from pathlib import Path

E2E = Path(__file__).resolve().parents[1] / "e2e"
# A four-digit year typed or filled into a field: .fill("2027"), type_into(..., "2027").
TYPED_YEAR = re.compile(r"""(?:\.fill|type_into)\([^)]*["'](?:19|20)\d\d["']\s*\)""")


def test_no_browser_journey_types_a_fixed_year():
    typed = {
        path.name: TYPED_YEAR.findall(path.read_text()) for path in sorted(E2E.glob("test_*.py"))
    }
    assert typed and not any(typed.values()), typed
