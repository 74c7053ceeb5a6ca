"""Random but reproducible draws of synthetic survivors: who they are, what happened to them, and
the walk of their case through the workflow. The draws are unsaved model instances; the writers
save them: ``demo.story`` through the services (the demo), ``demo.bulk`` with bulk inserts (the
benchmark volumes). Everything is invented: names from Faker's Indonesian locale, NIKs built from
real kecamatan codes with random serials; no record describes a real person."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from bisect import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.db import models
from faker import Faker

from accounts.models import Organisation, Role, RoleAssignment
from audit.models import ChangeRecord
from cases.models import Case, CaseStatus, CaseStatusChange, CaseTeamMember
from core import choices as c
from core.models import Region
from demo.staff import DEMO_ORGANISATIONS
from survivors.models import ConsentRecord, Guardian, Identity, Survivor
from survivors.validators import nik_hash

T = TypeVar("T")


DEMO_PASSWORD = "Sintas-demo-2026"
DEFAULT_BATCH = 2000
SYNTHETIC_NOTE = "Data sintetis untuk demo dan uji beban; tidak menggambarkan orang sungguhan."
OVERRIDE_MODEL = "survivors.guardianoverride"  # as written by survivors.services.survivor_register

K = Organisation.Kind
GOVERNMENT_KINDS = {K.UPTD_PPA, K.DINAS_SOSIAL, K.KEMENSOS_SHELTER}

# --- value tables --------------------------------------------------------------------------------

Weighted = Sequence[tuple[T, float]]


class Picker:
    """Weighted choice with precomputed cumulative weights (random.choices recomputes them)."""

    def __init__(self, rng: random.Random, items: Weighted[Any]) -> None:
        self.rng = rng
        self.values = [v for v, _w in items]
        self.cum = list(accumulate(w for _v, w in items))
        self.total = self.cum[-1]

    def __call__(self) -> Any:
        return self.values[bisect(self.cum, self.rng.random() * self.total)]


ORIGIN_PROVINCES: Weighted[str] = [
    ("53", 28), ("52", 18), ("35", 15), ("32", 15), ("33", 6), ("12", 3), ("61", 3), ("73", 3),
    ("18", 2), ("36", 2), ("51", 1), ("21", 1), ("16", 1), ("71", 1), ("64", 1),
]
HOTSPOT_REGENCIES = {
    "53.01", "53.02", "53.03", "53.12", "53.18", "52.02", "52.03", "52.01", "35.05", "35.07", "35.10",
    "32.12", "32.09", "32.15", "32.03", "32.02", "33.01",
}
DOMESTIC_DESTINATIONS: Weighted[str] = [
    ("21.71", 25), ("31.72", 15), ("31.73", 10), ("35.78", 10), ("51.71", 8), ("51.03", 6), ("12.71", 6),
    ("32.01", 6), ("61.71", 5), ("64.72", 4), ("81.07", 5),
]
# Lead organisation by origin province (case-managing organisations only).
LEAD_BY_PROVINCE: dict[str, Weighted[str]] = {
    "53": [("ntt", 85), ("handayani", 10), ("lentera", 5)],
    "52": [("lentera", 70), ("handayani", 20), ("ntt", 10)],
    "35": [("jatim", 85), ("handayani", 15)],
    "32": [("indramayu", 85), ("handayani", 15)],
    "": [("handayani", 60), ("jatim", 20), ("indramayu", 20)],
}
FOREIGN_NATIONALITIES: Weighted[str] = [("TL", 40), ("PH", 30), ("VN", 30)]
FOREIGN_LOCALES = {"TL": "pt_PT", "PH": "en_PH", "VN": "vi_VN"}

ADULT_BANDS: Weighted[tuple[int, int]] = [
    ((18, 20), 20), ((21, 23), 20), ((24, 26), 16), ((27, 29), 12), ((30, 38), 20), ((39, 47), 9), ((48, 60), 3),
]


@dataclass(frozen=True)
class Modus:
    code: str
    countries: Weighted[str]  # "" = in Indonesia (a wilayah code is drawn)
    purposes: tuple[str, ...]
    types: tuple[str, ...]
    months: tuple[int, int]
    industries: Weighted[str] = ()
    methods: Weighted[str] = ()
    relations: Weighted[str] = ()
    channels: Weighted[str] = ()
    means: Weighted[str] = ()
    forced_labour: bool = False
    min_age: int = 0


FL = c.ForcedLabourIndustry
RM = c.RecruitmentMethod
RR = c.RecruiterRelation
CH = c.Channel
ME = c.TppoMeans
P = c.TppoPurpose
ET = c.ExploitationType

AGENT_RELATIONS: Weighted[str] = [(RR.AGENT, 60), (RR.FRIEND, 15), (RR.FAMILY, 12), (RR.OTHER, 5), (RR.UNKNOWN, 8)]
ABROAD_CHANNELS: Weighted[str] = [(CH.KP2MI, 35), (CH.KEMLU, 30), (CH.POLICE, 20), (CH.FAMILY, 10), (CH.SELF, 5)]
HOME_CHANNELS: Weighted[str] = [
    (CH.POLICE, 35), (CH.SAPA129, 20), (CH.NGO_OUTREACH, 20), (CH.FAMILY, 10), (CH.COMMUNITY, 10), (CH.SELF, 5),
]
LABOUR_MEANS: Weighted[str] = [
    (ME.DECEPTION, 40), (ME.DEBT_BONDAGE, 20), (ME.VULNERABILITY, 15), (ME.FORGERY, 10), (ME.CONFINEMENT, 8),
    (ME.THREAT, 5), (ME.VIOLENCE, 2),
]
SEX_MEANS: Weighted[str] = [
    (ME.DECEPTION, 30), (ME.VULNERABILITY, 20), (ME.THREAT, 15), (ME.DEBT_BONDAGE, 15), (ME.CONFINEMENT, 10),
    (ME.VIOLENCE, 5), (ME.PAYMENTS, 5),
]

MODI: dict[str, Modus] = {
    m.code: m
    for m in (
        Modus(c.Modus.MIGRANT_WORK, [("MY", 40), ("SA", 20), ("AE", 8), ("HK", 6), ("TW", 8), ("SG", 6), ("QA", 4),
                                     ("KW", 4), ("JO", 2), ("OM", 2)],
              (P.FORCED_LABOUR,), (ET.FORCED_LABOUR,), (3, 48),
              [(FL.A, 30), (FL.F, 15), (FL.C, 15), (FL.T, 30), (FL.I, 10)],
              [(RM.FRIENDS, 30), (RM.SOCIAL_NETWORKS, 20), (RM.BUSINESS, 20), (RM.FAMILY, 15), (RM.OTHER, 15)],
              AGENT_RELATIONS, ABROAD_CHANNELS, LABOUR_MEANS, True, 15),
        Modus(c.Modus.DOMESTIC_WORK, [("MY", 25), ("SA", 20), ("HK", 10), ("SG", 10), ("TW", 5), ("", 30)],
              (P.FORCED_LABOUR, P.SLAVERY), (ET.FORCED_LABOUR, ET.SERVITUDE), (3, 60),
              [(FL.T, 100)],
              [(RM.FAMILY, 25), (RM.FRIENDS, 35), (RM.SOCIAL_NETWORKS, 15), (RM.OTHER, 25)],
              AGENT_RELATIONS, ABROAD_CHANNELS, LABOUR_MEANS, True, 12),
        Modus(c.Modus.SEXUAL, [("", 75), ("MY", 15), ("JP", 3), ("SG", 4), ("AE", 3)],
              (P.PROSTITUTION, P.SEXUAL_USE), (ET.SEXUAL,), (1, 24), (),
              [(RM.SOCIAL_NETWORKS, 35), (RM.FRIENDS, 25), (RM.ONLINE_AD, 15), (RM.BUSINESS, 10), (RM.FAMILY, 5),
               (RM.OTHER, 10)],
              [(RR.INTIMATE_PARTNER, 25), (RR.FRIEND, 30), (RR.AGENT, 25), (RR.FAMILY, 8), (RR.UNKNOWN, 12)],
              HOME_CHANNELS, SEX_MEANS, False, 10),
        Modus(c.Modus.CHILD, [("", 95), ("MY", 5)],
              (P.FORCED_LABOUR, P.OPPRESSION), (ET.CHILD_LABOUR, ET.BEGGING), (1, 24),
              [(FL.G, 30), (FL.A, 30), (FL.S, 20), (FL.I, 20)],
              [(RM.FAMILY, 50), (RM.FRIENDS, 25), (RM.OTHER, 25)],
              [(RR.FAMILY, 45), (RR.AGENT, 20), (RR.OTHER, 20), (RR.UNKNOWN, 15)],
              HOME_CHANNELS, [(ME.VULNERABILITY, 60), (ME.DECEPTION, 30), (ME.THREAT, 10)], True, 0),
        Modus(c.Modus.SHIP_CREW, [("TW", 35), ("CN", 20), ("KR", 15), ("ZA", 5), ("MU", 5), ("", 20)],
              (P.FORCED_LABOUR, P.SLAVERY), (ET.FORCED_LABOUR,), (6, 36),
              [(FL.A, 90), (FL.H, 10)],
              [(RM.BUSINESS, 45), (RM.FRIENDS, 25), (RM.ONLINE_AD, 15), (RM.OTHER, 15)],
              AGENT_RELATIONS, [(CH.KP2MI, 30), (CH.KEMLU, 30), (CH.POLICE, 30), (CH.NGO_OUTREACH, 10)],
              LABOUR_MEANS, True, 15),
        Modus(c.Modus.ONLINE_SCAM, [("KH", 45), ("MM", 30), ("LA", 10), ("PH", 15)],
              (P.FORCED_LABOUR, P.EXTORTION), (ET.FORCED_LABOUR,), (1, 12),
              [(FL.J, 70), (FL.N, 30)],
              [(RM.SOCIAL_NETWORKS, 50), (RM.ONLINE_AD, 30), (RM.FRIENDS, 20)],
              [(RR.AGENT, 50), (RR.FRIEND, 30), (RR.UNKNOWN, 20)],
              [(CH.KEMLU, 60), (CH.POLICE, 20), (CH.FAMILY, 15), (CH.SELF, 5)],
              [(ME.DECEPTION, 50), (ME.CONFINEMENT, 20), (ME.VIOLENCE, 10), (ME.DEBT_BONDAGE, 10),
               (ME.FORGERY, 10)], True, 16),
        Modus(c.Modus.INTERNSHIP, [("JP", 40), ("TW", 30), ("DE", 20), ("KR", 10)],
              (P.FORCED_LABOUR,), (ET.FORCED_LABOUR,), (3, 12),
              [(FL.A, 40), (FL.C, 40), (FL.I, 20)],
              [(RM.EDUCATION, 80), (RM.ONLINE_AD, 20)],
              [(RR.AGENT, 60), (RR.OTHER, 40)], ABROAD_CHANNELS,
              [(ME.DECEPTION, 70), (ME.DEBT_BONDAGE, 30)], True, 17),
        Modus(c.Modus.FORCED_MARRIAGE, [("CN", 80), ("", 20)],
              (P.SLAVERY, P.SEXUAL_USE), (ET.FORCED_MARRIAGE,), (6, 36), (),
              [(RM.FAMILY, 40), (RM.FRIENDS, 30), (RM.SOCIAL_NETWORKS, 30)],
              [(RR.AGENT, 50), (RR.FAMILY, 35), (RR.FRIEND, 15)], ABROAD_CHANNELS,
              [(ME.DECEPTION, 60), (ME.PAYMENTS, 25), (ME.VULNERABILITY, 15)], False, 14),
        Modus(c.Modus.ORGAN, [("KH", 100)],
              (P.ORGAN_REMOVAL,), (ET.ORGAN,), (1, 3), (),
              [(RM.SOCIAL_NETWORKS, 70), (RM.FRIENDS, 30)], [(RR.AGENT, 80), (RR.FRIEND, 20)],
              [(CH.POLICE, 80), (CH.KEMLU, 20)], [(ME.DECEPTION, 60), (ME.VULNERABILITY, 40)], False, 18),
        Modus(c.Modus.OTHER, [("", 100)],
              (P.FORCED_LABOUR,), (ET.OTHER,), (1, 12), [(FL.G, 50), (FL.S, 50)],
              [(RM.OTHER, 100)], [(RR.OTHER, 50), (RR.UNKNOWN, 50)], HOME_CHANNELS, LABOUR_MEANS, False, 0),
    )
}
MODUS_BY_GROUP: dict[str, Weighted[str]] = {
    "male_adult": [(c.Modus.MIGRANT_WORK, 25), (c.Modus.SHIP_CREW, 30), (c.Modus.ONLINE_SCAM, 30),
                   (c.Modus.INTERNSHIP, 8), (c.Modus.ORGAN, 2), (c.Modus.OTHER, 5)],
    "female_adult": [(c.Modus.MIGRANT_WORK, 25), (c.Modus.DOMESTIC_WORK, 30), (c.Modus.SEXUAL, 25),
                     (c.Modus.ONLINE_SCAM, 8), (c.Modus.FORCED_MARRIAGE, 7), (c.Modus.INTERNSHIP, 5)],
    "male_child": [(c.Modus.CHILD, 50), (c.Modus.SHIP_CREW, 15), (c.Modus.SEXUAL, 10), (c.Modus.MIGRANT_WORK, 10),
                   (c.Modus.ONLINE_SCAM, 5), (c.Modus.OTHER, 10)],
    "female_child": [(c.Modus.SEXUAL, 45), (c.Modus.CHILD, 25), (c.Modus.DOMESTIC_WORK, 15),
                     (c.Modus.FORCED_MARRIAGE, 10), (c.Modus.MIGRANT_WORK, 5)],
    "young_child": [(c.Modus.CHILD, 75), (c.Modus.SEXUAL, 20), (c.Modus.OTHER, 5)],
}
TRANSIT: dict[str, Weighted[str]] = {
    "KH": [("MY", 50), ("TH", 30), ("SG", 20)],
    "MM": [("TH", 80), ("MY", 20)],
    "LA": [("TH", 100)],
    "SA": [("AE", 50), ("QA", 30), ("MY", 20)],
    "JO": [("AE", 100)],
    "CN": [("SG", 50), ("MY", 50)],
}
ILO: Weighted[str] = [
    (c.IloIndicator.DECEPTION, 20), (c.IloIndicator.WAGES, 18), (c.IloIndicator.DOCUMENTS, 16),
    (c.IloIndicator.OVERTIME, 12), (c.IloIndicator.CONDITIONS, 12), (c.IloIndicator.MOVEMENT, 10),
    (c.IloIndicator.DEBT, 10), (c.IloIndicator.THREATS, 8), (c.IloIndicator.ISOLATION, 8),
    (c.IloIndicator.VULNERABILITY, 8), (c.IloIndicator.VIOLENCE, 5),
]
GUARDIAN_RELATIONS: Weighted[str] = [
    (Guardian.Relationship.MOTHER, 45), (Guardian.Relationship.FATHER, 20), (Guardian.Relationship.GRANDPARENT, 15),
    (Guardian.Relationship.SIBLING, 5), (Guardian.Relationship.OTHER_RELATIVE, 8),
    (Guardian.Relationship.LEGAL_GUARDIAN, 2), (Guardian.Relationship.INSTITUTION, 5),
]
OVERRIDE_REASONS = (
    "Orang tua tidak diketahui keberadaannya; anak tidak memiliki dokumen.",
    "Orang tua diduga terlibat dalam perekrutan (laporan polisi); wali belum ditetapkan.",
    "Wali berada di luar negeri dan belum dapat dihubungi.",
    "Anak berada di rumah perlindungan; penetapan wali oleh pengadilan sedang diproses.",
)
PUBLIC_BASIS = {
    ConsentRecord.LawfulBasis.PUBLIC_TASK:
        "UU 21/2007 Pasal 51 dan Perpres 55/2024: rehabilitasi dan pendampingan korban TPPO oleh unit pemerintah.",
    ConsentRecord.LawfulBasis.LEGAL_OBLIGATION:
        "UU 35/2014 Pasal 59A: kewajiban perlindungan khusus; UU 27/2022 Pasal 20 ayat (2).",
}
# Why a case was closed: reintegration.ClosureReason code and the status change's text, by weight.
CLOSING_REASONS: Weighted[tuple[str, str]] = [
    (("restored", "Tujuan rencana intervensi tercapai"), 40),
    (("survivor_choice", "Survivor menolak layanan lanjutan"), 25),
    (("lost_contact", "Tidak dapat dihubungi selama tiga bulan"), 22),
    (("transferred", "Dirujuk dan ditangani lembaga lain"), 8),
    (("died", "Survivor meninggal dunia"), 2),
]
CLOSURE_REASON_BY_TEXT: dict[str, str] = {text: code for (code, text), _w in CLOSING_REASONS}
# Status walk: next-status weights and the days each step takes (from, to) -> (min, max).
NEXT_STATUS: dict[str, Weighted[str]] = {
    CaseStatus.INTAKE: [(CaseStatus.ASSESSMENT, 92), (CaseStatus.CLOSED, 8)],
    CaseStatus.ASSESSMENT: [(CaseStatus.PLANNING, 90), (CaseStatus.CLOSED, 10)],
    CaseStatus.PLANNING: [(CaseStatus.SERVICES, 90), (CaseStatus.ASSESSMENT, 6), (CaseStatus.CLOSED, 4)],
    CaseStatus.SERVICES: [(CaseStatus.REINTEGRATION, 55), (CaseStatus.FOLLOW_UP, 20), (CaseStatus.PLANNING, 10),
                          (CaseStatus.CLOSED, 15)],
    CaseStatus.REINTEGRATION: [(CaseStatus.FOLLOW_UP, 75), (CaseStatus.SERVICES, 15), (CaseStatus.CLOSED, 10)],
    CaseStatus.FOLLOW_UP: [(CaseStatus.CLOSED, 85), (CaseStatus.SERVICES, 15)],
    CaseStatus.CLOSED: [(CaseStatus.REOPENED, 100)],
    CaseStatus.REOPENED: [(CaseStatus.ASSESSMENT, 80), (CaseStatus.CLOSED, 20)],
}
STEP_DAYS: dict[str, tuple[int, int]] = {
    CaseStatus.INTAKE: (2, 30),
    CaseStatus.ASSESSMENT: (7, 60),
    CaseStatus.PLANNING: (7, 45),
    CaseStatus.SERVICES: (45, 300),
    CaseStatus.REINTEGRATION: (30, 240),
    CaseStatus.FOLLOW_UP: (120, 540),
    CaseStatus.CLOSED: (30, 365),
    CaseStatus.REOPENED: (3, 30),
}
REASONS: dict[str, tuple[str, ...]] = {
    CaseStatus.INTAKE: ("Survivor didaftarkan",),
    CaseStatus.ASSESSMENT: ("Asesmen biopsikososial dimulai", "Asesmen ulang setelah kasus dibuka kembali"),
    CaseStatus.PLANNING: ("Asesmen selesai; rencana intervensi disusun", "Rencana intervensi ditinjau ulang"),
    CaseStatus.SERVICES: ("Rencana intervensi disetujui supervisor", "Perlu layanan tambahan"),
    CaseStatus.REINTEGRATION: ("Persiapan pemulangan dan reintegrasi ke keluarga",),
    CaseStatus.FOLLOW_UP: ("Survivor telah kembali ke keluarga; pemantauan berkala",),
    CaseStatus.CLOSED: tuple(text for (_code, text), _w in CLOSING_REASONS),
    CaseStatus.REOPENED: ("Survivor kembali meminta layanan", "Ada informasi baru tentang pelaku"),
}


# --- helpers -------------------------------------------------------------------------------------


@contextlib.contextmanager
def explicit_timestamps(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let bulk_create keep the timestamps we set (auto_now/auto_now_add would overwrite them)."""
    saved: list[tuple[Any, bool, bool]] = []
    for model in model_classes:
        for f in model._meta.concrete_fields:
            if isinstance(f, models.DateField) and (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, now_add in saved:
            f.auto_now, f.auto_now_add = now, now_add


@lru_cache(maxsize=2)
def name_pools(seed: int, size: int = 400) -> dict[str, list[str]]:
    """Faker is slow per call: draw pools of names once and combine them."""
    pools: dict[str, list[str]] = {}
    fake = Faker("id_ID")
    fake.seed_instance(seed)
    pools["female"] = sorted({fake.first_name_female() for _ in range(size)})
    pools["male"] = sorted({fake.first_name_male() for _ in range(size)})
    pools["last"] = sorted({fake.last_name() for _ in range(size)})
    pools["street"] = sorted({fake.street_name() for _ in range(size)})
    for country, locale in FOREIGN_LOCALES.items():
        f = Faker(locale)
        f.seed_instance(seed)
        pools[f"{country}:female"] = sorted({f.first_name_female() for _ in range(60)})
        pools[f"{country}:male"] = sorted({f.first_name_male() for _ in range(60)})
        pools[f"{country}:last"] = sorted({f.last_name() for _ in range(60)})
    return pools


def _age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


# --- the generator -------------------------------------------------------------------------------


class SurvivorFactory:
    """Draws one coherent synthetic survivor (with identity, case, team, history, consent) at a time."""

    def __init__(self, rng: random.Random, orgs: dict[str, Organisation], pools: dict[str, list[str]],
                 *, now: dt.datetime, used_codes: set[str], used_nik_hashes: set[str]) -> None:
        self.rng = rng
        self.orgs = orgs
        self.pools = pools
        self.now = now
        self.today = now.date()
        self.used_codes = used_codes
        self.used_nik_hashes = used_nik_hashes

        regions = list(Region.objects.values_list("code", "name", "level", "parent_id"))
        self.region_name = {code: name for code, name, _lvl, _p in regions}
        self.regencies: dict[str, list[str]] = {}
        self.districts: dict[str, list[str]] = {}
        for code, _name, level, parent in regions:
            if level == Region.Level.REGENCY:
                self.regencies.setdefault(parent, []).append(code)
            elif level == Region.Level.DISTRICT:
                self.districts.setdefault(parent, []).append(code)
        if not self.districts:
            raise RuntimeError("No region codes loaded: run `manage.py load_regions` first.")
        self.regency_pick = {
            p: self._picker([(r, 6 if r in HOTSPOT_REGENCIES else 1) for r in codes if self.districts.get(r)])
            for p, codes in self.regencies.items() if any(self.districts.get(r) for r in codes)
        }
        self.province_pick = self._picker([(p, w) for p, w in ORIGIN_PROVINCES if p in self.regency_pick])
        self.destination_pick = self._picker([(r, w) for r, w in DOMESTIC_DESTINATIONS if r in self.region_name])
        self.lead_pick = {k: self._picker(v) for k, v in LEAD_BY_PROVINCE.items()}
        self.modus_pick = {k: self._picker(v) for k, v in MODUS_BY_GROUP.items()}
        self.adult_band_pick = self._picker(ADULT_BANDS)
        self.foreign_pick = self._picker(FOREIGN_NATIONALITIES)
        self.country_pick = {m: self._picker(mod.countries) for m, mod in MODI.items()}
        self.industry_pick = {m: self._picker(mod.industries) for m, mod in MODI.items() if mod.industries}
        self.method_pick = {m: self._picker(mod.methods) for m, mod in MODI.items()}
        self.relation_pick = {m: self._picker(mod.relations) for m, mod in MODI.items()}
        self.channel_pick = {m: self._picker(mod.channels) for m, mod in MODI.items()}
        self.home_channel_pick = self._picker(HOME_CHANNELS)
        self.transit_pick = {k: self._picker(v) for k, v in TRANSIT.items()}
        self.guardian_rel_pick = self._picker(GUARDIAN_RELATIONS)
        self.next_pick = {k: self._picker(v) for k, v in NEXT_STATUS.items()}
        self.closing_pick = self._picker(CLOSING_REASONS)
        self.decided_pick = self._picker([(c.StatusDecidedBy.POLICE, 45), (c.StatusDecidedBy.COURT, 20),
                                       (c.StatusDecidedBy.GOVERNMENT, 25), (c.StatusDecidedBy.NGO, 10)])

        # Staff of each case-managing organisation, by role.
        self.staff: dict[int, dict[str, list[int]]] = {}
        for org in orgs.values():
            self.staff[org.pk] = {}
        for user_id, org_id, role in RoleAssignment.objects.filter(
            user__organisation__in=list(orgs.values()), user__is_active=True
        ).values_list("user_id", "user__organisation_id", "role").order_by("user_id"):
            self.staff[org_id].setdefault(role, []).append(user_id)
        self.case_orgs = {s.key: orgs[s.key] for s in DEMO_ORGANISATIONS if s.manages_cases}
        self.zones = {org.pk: ZoneInfo(org.time_zone) for org in orgs.values()}
        # Rescue operations: a few days on which many survivors were identified together.
        start = self.today - dt.timedelta(days=1095)
        self.burst_days = sorted(start + dt.timedelta(days=rng.randint(0, 1090)) for _ in range(8))

    # -- small draws --
    def _picker(self, items: Weighted[Any]) -> Picker:
        return Picker(self.rng, items)

    def _sample(self, items: Weighted[str], k: int) -> list[str]:
        """k distinct values drawn by weight (k is small)."""
        out: list[str] = []
        pool = list(items)
        for _ in range(min(k, len(pool))):
            total = sum(w for _v, w in pool)
            x = self.rng.random() * total
            for i, (v, w) in enumerate(pool):
                x -= w
                if x <= 0 or i == len(pool) - 1:
                    out.append(v)
                    pool.pop(i)
                    break
        return out

    def _code(self) -> str:
        alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # survivors.services._CODE_ALPHABET
        while True:
            body = "".join(self.rng.choice(alphabet) for _ in range(8))
            code = f"SNT-{body[:4]}-{body[4:]}"
            if code not in self.used_codes:
                self.used_codes.add(code)
                return code

    def _name(self, sex: str, nationality: str, last: str | None = None) -> str:
        rng, pools = self.rng, self.pools
        if nationality != "ID":
            prefix = f"{nationality}:"
            first = rng.choice(pools[prefix + ("male" if sex == "male" else "female")])
            return f"{first} {last or rng.choice(pools[prefix + 'last'])}"
        first = rng.choice(pools["male" if sex == "male" else "female"])
        x = rng.random()
        if last:
            return f"{first} {last}"
        if x < 0.2:
            return first
        if x < 0.35:
            second = rng.choice(pools["male" if sex == "male" else "female"])
            return f"{first} {second}" if second != first else first
        return f"{first} {rng.choice(pools['last'])}"

    def _phone(self) -> str:
        return f"+628{self.rng.choice('1235789')}{self.rng.randint(10_000_000, 999_999_999)}"

    def _at(self, day: dt.date, org_id: int) -> dt.datetime:
        """A working-hours time on a local day, as an aware datetime (stored in UTC)."""
        local = dt.datetime.combine(day, dt.time(self.rng.randint(8, 16), self.rng.randint(0, 59)),
                                    tzinfo=self.zones[org_id])
        return min(local, self.now - dt.timedelta(minutes=1))

    def _nik(self, district: str, birth: dt.date, female: bool) -> str:
        day = birth.day + (40 if female else 0)
        prefix = f"{district.replace('.', '')}{day:02d}{birth.month:02d}{birth.year % 100:02d}"
        while True:
            nik = f"{prefix}{self.rng.randint(1, 9999):04d}"
            h = nik_hash(nik)
            if h not in self.used_nik_hashes:
                self.used_nik_hashes.add(h)
                return nik

    # -- one survivor --
    def make(self, out: dict[str, list[Any]]) -> None:
        rng = self.rng
        today = self.today

        # Who: age band first (about half children), then sex (about 30% men and boys).
        x = rng.random()
        if x < 0.10:
            age = rng.randint(1, 8)
        elif x < 0.50:
            age = rng.choice((9, 10, 11, 12, 13, 13, 14, 14, 15, 15, 15, 16, 16, 16, 17, 17, 17))
        else:
            lo, hi = self.adult_band_pick()
            age = rng.randint(lo, hi)
        y = rng.random()
        sex = c.Sex.UNKNOWN if y < 0.01 else c.Sex.MALE if y < 0.31 else c.Sex.FEMALE
        foreign = rng.random() < 0.03
        nationality = self.foreign_pick() if foreign else "ID"

        # When identified: the last three years, more recently more often, some in rescue bursts.
        if rng.random() < 0.05:
            identified_on = rng.choice(self.burst_days)
        else:
            identified_on = today - dt.timedelta(days=1 + int(1094 * rng.random() ** 1.3))
        birth = identified_on - dt.timedelta(days=int(age * 365.25) + rng.randint(0, 364))
        age = _age_on(birth, identified_on)
        band = c.age_band_for(age)
        is_child = band in c.CHILD_AGE_BANDS

        # What happened: the modus, chosen by sex and age.
        if age <= 8:
            group = "young_child"
        else:
            group = ("male" if sex == c.Sex.MALE else "female") + ("_child" if is_child else "_adult")
        modus_code = self.modus_pick[group]()
        while MODI[modus_code].min_age > age:
            modus_code = self.modus_pick[group]()
        mod = MODI[modus_code]

        # Where from, and who leads the case.
        province = regency = district = None
        if not foreign:
            province = self.province_pick()
            regency = self.regency_pick[province]()
            district = rng.choice(self.districts[regency])
        lead_key = self.lead_pick.get(province or "", self.lead_pick[""])()
        lead_org = self.case_orgs[lead_key]
        staff = self.staff[lead_org.pk]
        lead_id = rng.choice(staff[Role.CASEWORKER])
        supervisor_id = (staff.get(Role.SUPERVISOR) or [lead_id])[0]

        # Where exploited.
        country = "" if foreign else self.country_pick[modus_code]()
        exploitation_region = None
        if not country:
            exploitation_region = self.destination_pick()
            if foreign and modus_code not in (c.Modus.SEXUAL, c.Modus.SHIP_CREW, c.Modus.DOMESTIC_WORK, c.Modus.CHILD):
                modus_code, mod = c.Modus.OTHER, MODI[c.Modus.OTHER]
        abroad = bool(country)
        channel = self.channel_pick[modus_code]() if abroad else self.home_channel_pick()
        if not abroad and channel in (CH.KEMLU, CH.KP2MI):
            channel = CH.POLICE

        # When exploited: before identification, after birth (and not as a baby).
        ended = identified_on - dt.timedelta(days=rng.randint(0, 60))
        started = ended - dt.timedelta(days=rng.randint(mod.months[0] * 30, mod.months[1] * 30))
        earliest = birth + dt.timedelta(days=max(365, 365 * max(0, min(age - 1, mod.min_age))))
        if started < earliest:
            started = min(earliest, identified_on)
            ended = max(ended, started)
        dates_known = rng.random() > 0.08
        child_at_exploitation = _age_on(birth, started) < 18

        # The legal elements.
        process = [c.TppoProcess.RECRUITMENT]
        if abroad:
            process += [c.TppoProcess.TRANSPORT, c.TppoProcess.SENDING]
        elif rng.random() < 0.6:
            process.append(c.TppoProcess.TRANSPORT)
        if rng.random() < 0.5:
            process.append(c.TppoProcess.HARBOURING)
        if rng.random() < 0.3:
            process.append(c.TppoProcess.RECEIPT)
        if rng.random() < 0.05:
            process.append(c.TppoProcess.TRANSFER)
        # For children the means element is not required; many records leave it empty.
        means = [] if (is_child and rng.random() < 0.5) else self._sample(mod.means, rng.randint(1, 3))
        purposes = list(mod.purposes[: 1 + (rng.random() < 0.3)])
        types = list(mod.types[: 1 + (rng.random() < 0.2)])
        ilo = self._sample(ILO, rng.randint(2, 6)) if mod.forced_labour else []
        industry = self.industry_pick[modus_code]() if modus_code in self.industry_pick else ""
        relation = self.relation_pick[modus_code]()
        transit = [self.transit_pick[country]()] if country in TRANSIT and rng.random() < 0.5 else []
        urgent = [n for n in c.UrgentNeed.values if rng.random() < 0.3]

        # The workflow, walked from intake until today.
        opened_at = self._at(identified_on, lead_org.pk)
        status: str = CaseStatus.INTAKE
        changes: list[tuple[str, str, dt.datetime, str]] = [("", CaseStatus.INTAKE, opened_at,
                                                             REASONS[CaseStatus.INTAKE][0])]
        t = opened_at
        closing = ""
        while True:
            lo, hi = STEP_DAYS[status]
            if status == CaseStatus.CLOSED and (closing == "died" or rng.random() > 0.05):
                break
            t = t + dt.timedelta(days=rng.randint(lo, hi), minutes=rng.randint(0, 600))
            if t >= self.now:
                break
            nxt = self.next_pick[status]()
            if nxt == CaseStatus.CLOSED:
                closing, reason = self.closing_pick()
            else:
                reason = rng.choice(REASONS[nxt])
            changes.append((status, nxt, t, reason))
            status = nxt
        closed_at = changes[-1][2] if status == CaseStatus.CLOSED else None

        if status in (CaseStatus.INTAKE,):
            trafficking = c.TraffickingStatus.POSSIBLE
        elif status == CaseStatus.ASSESSMENT:
            trafficking = c.TraffickingStatus.ACTUAL if rng.random() < 0.3 else c.TraffickingStatus.POSSIBLE
        elif status == CaseStatus.CLOSED and rng.random() < 0.1:
            trafficking = c.TraffickingStatus.NOT_A_VICTIM
        else:
            trafficking = c.TraffickingStatus.ACTUAL if rng.random() < 0.9 else c.TraffickingStatus.POSSIBLE
        decided_by = "" if trafficking == c.TraffickingStatus.POSSIBLE else self.decided_pick()

        # Records.
        survivor = Survivor(
            code=self._code(), sex=sex, age_band=band, is_child_at_identification=is_child,
            is_child_at_exploitation=child_at_exploitation if dates_known else (True if is_child else None),
            origin_province_id=province, origin_regency_id=regency, nationality=nationality,
            registered_by_organisation_id=lead_org.pk, created_at=opened_at,
        )
        out["survivors"].append(survivor)

        birth_known = rng.random() > (0.2 if age <= 8 else 0.1)
        nik_share = 0.88 if not is_child else 0.7 if age > 8 else 0.55
        has_nik = (not foreign and birth_known and sex != c.Sex.UNKNOWN and district is not None
                   and rng.random() < nik_share)
        nik = self._nik(district, birth, sex == c.Sex.FEMALE) if has_nik and district else ""
        full_name = self._name(sex, nationality)
        last = full_name.split(" ", 1)[1] if " " in full_name and rng.random() < 0.5 else None
        address = ""
        if district and rng.random() < 0.9:
            address = (f"{rng.choice(self.pools['street'])} No. {rng.randint(1, 120)}, "
                       f"Kec. {self.region_name[district]}, {self.region_name[regency or '']}")
        out["identities"].append(Identity(
            survivor=survivor, full_name=full_name,
            aliases=full_name.split(" ")[0][:4].title() if rng.random() < 0.1 else "",
            nik=nik, nik_hash=nik_hash(nik) if nik else "",
            birth_date=birth.isoformat() if birth_known else "",
            phone_numbers=self._phone() if rng.random() < 0.8 else "", address=address, updated_at=opened_at,
        ))

        case = Case(
            survivor=survivor, lead_organisation_id=lead_org.pk, lead_caseworker_id=lead_id, status=status,
            opened_at=opened_at, updated_at=changes[-1][2], closed_at=closed_at,
            identified_on=identified_on, channel=channel,
            identification_country=country if channel == CH.KEMLU else "ID",
            identification_region_id=None if channel == CH.KEMLU else (
                exploitation_region if channel == CH.POLICE and exploitation_region else lead_org.region_id),
            tppo_process=process, tppo_means=means, tppo_purpose=purposes, ilo_indicators=ilo,
            exploitation_types=types, forced_labour_industry=industry,
            recruitment_method=self.method_pick[modus_code](), recruiter_relation=relation,
            recruitment_country=nationality if foreign else "ID", recruitment_region_id=regency,
            transit_countries=transit, exploitation_country=country or "ID",
            exploitation_region_id=exploitation_region,
            exploitation_started_on=started if dates_known else None,
            exploitation_ended_on=ended if dates_known else None,
            trafficking_status=trafficking, status_decided_by=decided_by, modus=modus_code, urgent_needs=urgent,
            intake_notes=SYNTHETIC_NOTE,
        )
        out["cases"].append(case)

        out["team"].append(CaseTeamMember(case=case, user_id=lead_id, added_by_id=lead_id, added_at=opened_at))
        psychologists = staff.get(Role.PSYCHOLOGIST)
        if psychologists and len(changes) > 1 and rng.random() < 0.45:
            out["team"].append(CaseTeamMember(case=case, user_id=rng.choice(psychologists), added_by_id=lead_id,
                                              added_at=changes[1][2]))
        for role, share in ((Role.LEGAL_OFFICER, 0.12), (Role.LIVELIHOOD_OFFICER, 0.1), (Role.HEALTH_WORKER, 0.1)):
            if staff.get(role) and len(changes) > 3 and rng.random() < share:
                out["team"].append(CaseTeamMember(case=case, user_id=rng.choice(staff[role]),
                                                  added_by_id=supervisor_id, added_at=changes[3][2]))

        for from_status, to_status, at, reason in changes:
            by = supervisor_id if to_status in (CaseStatus.CLOSED, CaseStatus.SERVICES) else lead_id
            out["status_changes"].append(CaseStatusChange(
                case=case, from_status=from_status, to_status=to_status,
                reason=reason, changed_by_id=by, changed_at=at,
            ))

        # Guardian (children), override where there is none or only a suspect, and consent.
        guardian = None
        if is_child and rng.random() < 0.85:
            rel = self.guardian_rel_pick()
            g_sex = c.Sex.MALE if rel in (Guardian.Relationship.FATHER,) else (
                c.Sex.FEMALE if rel == Guardian.Relationship.MOTHER else rng.choice((c.Sex.MALE, c.Sex.FEMALE)))
            suspect = rng.random() < (0.4 if relation == RR.FAMILY else 0.02)
            g_name = (lead_org.name if rel == Guardian.Relationship.INSTITUTION
                      else self._name(g_sex, nationality, last))
            guardian = Guardian(survivor=survivor, full_name=g_name, relationship=rel,
                                phone=self._phone() if rng.random() < 0.8 else "", is_suspect=suspect,
                                created_at=opened_at)
            out["guardians"].append(guardian)
        override = is_child and (guardian is None or guardian.is_suspect)
        if override:
            out["change_records"].append(ChangeRecord(
                at=opened_at, actor_id=lead_id, model=OVERRIDE_MODEL, object_id=str(survivor.pk),
                action=ChangeRecord.Action.CREATE, changes={"reason": [None, rng.choice(OVERRIDE_REASONS)]},
                case_id=case.pk,
            ))

        given_on = min(identified_on + dt.timedelta(days=rng.randint(0, 3)), today)
        if lead_org.kind in GOVERNMENT_KINDS and rng.random() < 0.3:
            basis = (ConsentRecord.LawfulBasis.LEGAL_OBLIGATION if is_child and rng.random() < 0.5
                     else ConsentRecord.LawfulBasis.PUBLIC_TASK)
            given_by, g_id, reason = ConsentRecord.GivenBy.NOT_APPLICABLE, None, PUBLIC_BASIS[basis]
        else:
            basis = ConsentRecord.LawfulBasis.CONSENT
            if not is_child:
                given_by, g_id, reason = ConsentRecord.GivenBy.SURVIVOR, None, ""
            elif override:
                given_by, g_id, reason = ConsentRecord.GivenBy.OVERRIDE, None, rng.choice(OVERRIDE_REASONS)
            else:
                given_by, g_id, reason = ConsentRecord.GivenBy.GUARDIAN, guardian.pk if guardian else None, ""
        recorded_at = self._at(given_on, lead_org.pk)
        out["consents"].append(ConsentRecord(
            survivor=survivor, purpose=ConsentRecord.Purpose.CASE_MANAGEMENT, lawful_basis=basis, given_by=given_by,
            guardian_id=g_id, basis_reason=reason, given_on=given_on, recorded_by_id=lead_id,
            recorded_at=recorded_at, scope=lead_org.name,
        ))
        if rng.random() < 0.5:
            # A referral (health, legal protection) or statistics, by consent from the same person.
            purpose, recipient = rng.choice((
                (ConsentRecord.Purpose.REFERRAL, self.orgs.get("bhayangkara")),
                (ConsentRecord.Purpose.LEGAL_PROCEEDINGS, self.orgs.get("lpsk")),
                (ConsentRecord.Purpose.STATISTICS, None),
            ))
            c_given_by = given_by if basis == ConsentRecord.LawfulBasis.CONSENT else (
                ConsentRecord.GivenBy.SURVIVOR if not is_child else ConsentRecord.GivenBy.OVERRIDE if override
                else ConsentRecord.GivenBy.GUARDIAN)
            out["consents"].append(ConsentRecord(
                survivor=survivor, purpose=purpose, recipient_organisation=recipient,
                scope=recipient.name if recipient else "Laporan agregat (SIMFONI-PPA, Gugus Tugas PP-TPPO)",
                lawful_basis=ConsentRecord.LawfulBasis.CONSENT, given_by=c_given_by,
                guardian_id=guardian.pk if c_given_by == ConsentRecord.GivenBy.GUARDIAN and guardian else None,
                basis_reason=rng.choice(OVERRIDE_REASONS) if c_given_by == ConsentRecord.GivenBy.OVERRIDE else "",
                given_on=given_on, expires_on=given_on + dt.timedelta(days=730) if recipient else None,
                recorded_by_id=lead_id, recorded_at=recorded_at,
            ))



def survivor_factory(orgs: dict[str, Organisation], pools: dict[str, list[str]], *, seed_value: int,
                     before: int, now: dt.datetime) -> SurvivorFactory:
    """The factory for a top-up after ``before`` survivors: a different stream for each top-up, so a
    second run does not redraw the same people; codes and NIKs already used are never drawn again."""
    rng = random.Random(f"{seed_value}:{before}")  # noqa: S311 - synthetic data, not security
    used_codes = set(Survivor.objects.values_list("code", flat=True))
    used_hashes = set(Identity.objects.exclude(nik_hash="").values_list("nik_hash", flat=True))
    return SurvivorFactory(rng, orgs, pools, now=now, used_codes=used_codes, used_nik_hashes=used_hashes)
