"""The regional minimum wage table (UMP per province, UMK per kabupaten/kota), read from data.

The table is a JSON file with its year and source (``conf.minimum_wage_file``); an administrator
replaces it when the governors publish the next year's decrees. A kabupaten/kota's UMK applies
where one is set, else its province's UMP (UU 6/2023 and PP 51/2023 on wages).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import conf


@dataclass(frozen=True)
class WageTable:
    year: int
    source: str
    ump: dict[str, int]
    umk: dict[str, int]

    def for_region(self, code: str | None) -> int | None:
        """The minimum wage for a region code (a kecamatan counts as its kabupaten/kota)."""
        if not code:
            return None
        regency, province = code[:5], code[:2]
        if len(code) >= 5 and regency in self.umk:
            return self.umk[regency]
        return self.ump.get(province)


@cache
def _load(path: Path, mtime: float) -> WageTable:
    data = json.loads(path.read_text(encoding="utf-8"))
    return WageTable(year=int(data["year"]), source=str(data["source"]),
                     ump={str(k): int(v) for k, v in data["ump"].items()},
                     umk={str(k): int(v) for k, v in data["umk"].items()})


def table() -> WageTable:
    path = conf.minimum_wage_file()
    return _load(path, path.stat().st_mtime)


def minimum_wage(region_code: str | None) -> int | None:
    return table().for_region(region_code)
