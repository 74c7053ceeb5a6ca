"""Synthetic recovery data for the demo: services provided, assessment histories, screenings,
phases, plans, service applications and deliveries, closures and follow-ups.

Everything is invented and holds no names. ``CaseRecoveryFactory`` draws the data of one case as
unsaved model instances; ``demo.story`` writes them through the rooms' services (the demo data set),
``demo.bulk.recovery_bulk`` with bulk inserts (the benchmark's volumes). For the bulk path it reuses
the rooms' pure rules so the stored results are exactly what the application would compute:
``recovery.scoring`` (domain scores, screening bands, "restored", alert items),
``reintegration.risk.risk_score`` and ``reintegration.services.add_months`` (follow-up dates) and the
shape of ``plans.documents.plan_document`` (revision snapshots).

Idempotent: only cases of the demo organisations that have none of this data yet (no assessment,
delivery, application, phase or closure) are filled in; every case filled in gets an application,
so a second run finds nothing to do. Each case draws from its own random stream, seeded by the
seed value and the survivor's code, so the histories do not depend on batch boundaries.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.models import Organisation, Role, RoleAssignment, User
from care.models import OrganisationService, Service, ServiceApplication, ServiceDelivery
from cases.models import Alert, Case, CaseStatus
from core.choices import Domain
from demo.draws import CLOSURE_REASON_BY_TEXT
from plans.models import Action, ActionStatus, Goal, GoalStatus, Phase, PhaseChange, Plan, PlanRevision, RevisionStatus
from recovery import conf as recovery_conf
from recovery import scoring
from recovery.models import Answer, Assessment, AssessmentKind, DomainScore, Instrument, ScreeningResult
from reintegration import conf as reintegration_conf
from reintegration.models import Closure, ClosureReason, ContactMode, FollowUp, FollowUpStatus, RiskLevel
from reintegration.risk import FACTOR_CODES, YOUNG, RiskAnswer, factor_label, risk_score, young_answer_for
from reintegration.services import add_months

K = Organisation.Kind
DOMAINS: tuple[str, ...] = tuple(Domain.values)

# --- what each kind of demo organisation provides -----------------------------------------------

SERVICES_BY_KIND: dict[str, tuple[str, ...]] = {
    K.UPTD_PPA: (
        "health_rehabilitation", "social_rehabilitation", "repatriation", "social_reintegration", "legal_aid",
        "psychological_support", "safe_housing", "civil_documents", "transport", "living_costs", "legal_support",
        "accompaniment", "sexual_content_removal", "social_empowerment", "periodic_monitoring",
        "community_support", "restitution_facilitation", "police_report_forwarded",
    ),
    K.DINAS_SOSIAL: (
        "health_rehabilitation", "social_rehabilitation", "repatriation", "social_reintegration", "legal_aid",
        "psychological_support", "spiritual_guidance", "safe_housing", "education", "civil_documents",
        "transport", "living_costs", "accompaniment", "social_empowerment", "economic_empowerment",
        "periodic_monitoring", "community_support", "police_report_forwarded",
    ),
    K.KEMENSOS_SHELTER: (
        "health_rehabilitation", "medical_care", "social_rehabilitation", "repatriation", "social_reintegration",
        "psychological_support", "spiritual_guidance", "safe_housing", "education", "civil_documents", "transport",
        "living_costs", "social_empowerment", "economic_empowerment", "periodic_monitoring",
        "police_report_forwarded",
    ),
    K.NGO: (
        "health_rehabilitation", "psychological_support", "accompaniment", "legal_support", "legal_aid",
        "social_reintegration", "social_empowerment", "economic_empowerment", "community_support",
        "periodic_monitoring", "transport", "civil_documents", "sexual_content_removal", "police_report_forwarded",
    ),
    K.HEALTH: ("medical_care", "health_rehabilitation", "psychological_support"),
    K.POLICE_PPA: ("accompaniment",),
    K.LPSK: (
        "legal_support", "accompaniment", "medical_care", "psychological_support", "restitution_facilitation",
        "safe_housing", "living_costs", "transport",
    ),
}
POLICE_ACT = "police_report_forwarded"
MEDICAL_SERVICES = ("medical_care", "health_rehabilitation")

# Who on the case team usually gives a service (falls back to the lead caseworker).
DELIVERER_ROLE: dict[str, str] = {
    "medical_care": Role.HEALTH_WORKER, "health_rehabilitation": Role.HEALTH_WORKER,
    "psychological_support": Role.PSYCHOLOGIST, "legal_aid": Role.LEGAL_OFFICER,
    "legal_support": Role.LEGAL_OFFICER, "restitution_facilitation": Role.LEGAL_OFFICER,
    "accompaniment": Role.LEGAL_OFFICER, "civil_documents": Role.LEGAL_OFFICER,
    "economic_empowerment": Role.LIVELIHOOD_OFFICER, "education": Role.LIVELIHOOD_OFFICER,
    "living_costs": Role.LIVELIHOOD_OFFICER,
}
DURATION: dict[str, tuple[int, int]] = {
    "medical_care": (30, 120), "health_rehabilitation": (45, 180), "psychological_support": (45, 90),
    "safe_housing": (60, 240), "repatriation": (240, 720), "transport": (60, 360), POLICE_ACT: (15, 60),
}
OUTCOMES: dict[str, tuple[str, ...]] = {
    "medical_care": ("Pemeriksaan kesehatan dilakukan; obat diberikan sesuai resep.",
                     "Luka ditangani; kontrol ulang dijadwalkan."),
    "health_rehabilitation": ("Rujukan ke puskesmas; pemeriksaan lanjutan dijadwalkan.",
                              "Pemeriksaan kesehatan reproduksi dilakukan; hasil baik."),
    "psychological_support": ("Sesi konseling; penyintas melaporkan tidur lebih baik.",
                              "Sesi konseling; latihan relaksasi dipraktikkan bersama.",
                              "Sesi konseling; penyintas masih cemas, sesi berikutnya dijadwalkan."),
    "social_rehabilitation": ("Mengikuti kegiatan kelompok di rumah perlindungan.",),
    "repatriation": ("Pemulangan ke daerah asal didampingi petugas.",),
    "social_reintegration": ("Kunjungan keluarga; keluarga bersedia menerima kembali.",
                             "Koordinasi dengan pemerintah desa untuk dukungan reintegrasi."),
    "legal_aid": ("Konsultasi hukum; penyintas memahami tahapan perkara.",),
    "legal_support": ("Pendampingan saat pemeriksaan di kepolisian.", "Pendampingan pada sidang perkara."),
    "accompaniment": ("Pendampingan dalam proses peradilan.",),
    "restitution_facilitation": ("Permohonan restitusi disusun bersama LPSK.",),
    "civil_documents": ("Berkas permohonan dokumen kependudukan diajukan ke Dukcapil.",
                        "KTP elektronik sudah diterima penyintas."),
    "safe_housing": ("Penyintas ditempatkan di rumah aman.",),
    "transport": ("Transportasi ke layanan disediakan.",),
    "living_costs": ("Bantuan biaya hidup sementara diberikan.",),
    "education": ("Pendaftaran kembali ke sekolah dibantu.", "Mengikuti program kejar paket."),
    "economic_empowerment": ("Mengikuti pelatihan keterampilan usaha.", "Bantuan modal usaha kecil disalurkan."),
    "social_empowerment": ("Mengikuti kelompok dukungan sebaya.",),
    "spiritual_guidance": ("Bimbingan rohani sesuai keyakinan penyintas.",),
    "periodic_monitoring": ("Pemantauan berkala; kondisi stabil.", "Pemantauan berkala; kebutuhan baru dicatat."),
    "community_support": ("Sosialisasi kepada tokoh masyarakat untuk mengurangi stigma.",),
    "sexual_content_removal": ("Permohonan penghapusan konten diajukan ke platform.",),
    POLICE_ACT: ("Laporan diteruskan ke Unit PPA kepolisian setempat.",),
}
DEFAULT_OUTCOMES = ("Layanan diberikan sesuai rencana; penyintas hadir dan kooperatif.",
                    "Sesi berjalan baik; tindak lanjut dijadwalkan.")
PLACES = ("Kantor layanan", "Rumah aman", "Kunjungan rumah", "Puskesmas", "Telepon atau video")

# --- plans ----------------------------------------------------------------------------------------

# plans.selectors.SUGGESTED_GOALS, in Indonesian (docs/plans.md).
GOAL_TEXT: dict[str, str] = {
    Domain.SAFETY: "Tinggal di tempat yang aman, dengan rencana keselamatan yang disepakati bersama penyintas dan "
                   "tanpa kontak dari pelaku perdagangan orang.",
    Domain.LEGAL: "Memiliki dokumen identitas dan bantuan hukum, serta memahami perkaranya, perlindungan (LPSK) "
                  "dan restitusi.",
    Domain.MENTAL: "Gejala trauma berkurang dan kemampuan mengatasi masalah tumbuh, dengan konseling yang dipilih "
                   "penyintas.",
    Domain.ECONOMIC: "Memiliki cara memperoleh penghasilan atau melanjutkan pendidikan yang dipilih penyintas, dan "
                     "rencana untuk utang yang ada.",
    Domain.SOCIAL: "Diterima oleh keluarga atau masyarakat dan mendapat dukungan sebaya; stigma di tempat "
                   "tinggalnya ditangani.",
    Domain.PHYSICAL: "Kebutuhan medis terpenuhi, termasuk luka dan kesehatan reproduksi, dengan akses rutin ke "
                     "layanan kesehatan.",
}
# Per domain: (action, organisation key or "" for the lead organisation, role of the person responsible).
ACTIONS: dict[str, tuple[tuple[str, str, str], ...]] = {
    Domain.SAFETY: (("Menyusun rencana keselamatan bersama penyintas", "", Role.CASEWORKER),
                    ("Penempatan sementara di rumah aman", "", Role.CASEWORKER)),
    Domain.LEGAL: (("Mendampingi pemeriksaan dan pembuatan BAP", "", Role.LEGAL_OFFICER),
                   ("Permohonan perlindungan dan restitusi ke LPSK", "lpsk", Role.LEGAL_OFFICER),
                   ("Mengurus KTP, KK dan akta kelahiran", "", Role.LEGAL_OFFICER)),
    Domain.MENTAL: (("Konseling psikologis berkala", "", Role.PSYCHOLOGIST),
                    ("Asesmen dan konseling trauma", "bhayangkara", Role.PSYCHOLOGIST)),
    Domain.ECONOMIC: (("Pelatihan keterampilan kerja pilihan penyintas", "", Role.LIVELIHOOD_OFFICER),
                      ("Pendaftaran kembali ke sekolah atau program kejar paket", "", Role.LIVELIHOOD_OFFICER)),
    Domain.SOCIAL: (("Mediasi dan konseling keluarga sebelum pemulangan", "", Role.CASEWORKER),
                    ("Menghubungkan dengan kelompok dukungan sebaya", "", Role.CASEWORKER)),
    Domain.PHYSICAL: (("Pemeriksaan kesehatan menyeluruh dan tindak lanjut", "bhayangkara", Role.HEALTH_WORKER),
                      ("Pendampingan akses layanan kesehatan rutin (BPJS)", "", Role.HEALTH_WORKER)),
}
PRIORITIES = (
    "Ingin pulang dan bertemu keluarga.", "Ingin bekerja lagi, tetapi tidak ke luar negeri dulu.",
    "Ingin melanjutkan sekolah.", "Ingin merasa aman dan tidak dihubungi lagi oleh perekrut.",
    "Ingin dokumen identitas kembali dan gaji dibayar.", "Ingin membuka usaha kecil di kampung.",
)
PHASE_REASONS = {
    Phase.SAFETY: "Fase awal: keamanan dan stabilisasi setelah identifikasi.",
    Phase.RECOVERY: "Kondisi aman dan stabil; fokus pada pemulihan.",
    Phase.RECONNECTION: "Persiapan kembali ke keluarga dan masyarakat.",
}
RELAPSE_REASON = "Keamanan terganggu kembali; kembali ke fase stabilisasi."

# --- closure --------------------------------------------------------------------------------------

CLOSURE_NOTES: dict[str, str] = {
    ClosureReason.RESTORED: "Tujuan rencana tercapai; penyintas tinggal bersama keluarga.",
    ClosureReason.SURVIVOR_CHOICE: "Penyintas memilih mengakhiri layanan.",
    ClosureReason.LOST_CONTACT: "Tidak dapat dihubungi setelah beberapa kali upaya.",
    ClosureReason.TRANSFERRED: "Penanganan dilanjutkan oleh lembaga di daerah asal.",
    ClosureReason.DIED: "",
}
FOLLOW_UP_NOTES = ("Kunjungan rumah; kondisi stabil.", "Dihubungi lewat telepon; bekerja di kampung.",
                   "Kunjungan rumah; keluarga mendukung.", "Dihubungi lewat telepon; masih mencari pekerjaan.")
# Each risk factor's chance of a "yes" for a survivor at low and at high propensity.
RISK_YES = {
    "same_community_hardship": (0.15, 0.5), "family_dysfunction": (0.02, 0.25), "stigma_on_return": (0.05, 0.35),
    "assistance_ended_early": (0.02, 0.3), "pressure_to_remigrate": (0.02, 0.3),
    "substance_or_mental_health": (0.02, 0.25), "trafficker_contact": (0.0, 0.1),
}

PATTERNS: tuple[tuple[str, float], ...] = (("improving", 0.65), ("stalling", 0.20), ("relapsing", 0.15))
RECOVERY_MODELS: tuple[type[models.Model], ...] = (
    Plan, Goal, Action, PlanRevision, PhaseChange, Assessment, Answer, DomainScore, ScreeningResult,
    ServiceApplication, ServiceDelivery, Closure, FollowUp, Alert,
)


@dataclass
class RecoveryResult:
    cases: int = 0
    rows: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ItemRef:
    id: int
    number: int
    domain: str | None
    alert_at: int | None


@dataclass
class Catalogue:
    shrs: Instrument
    shrs_items: list[ItemRef]
    screens: dict[str, tuple[Instrument, list[ItemRef]]]
    service_ids: dict[str, int]
    service_domains: dict[str, list[str]]
    provided: dict[int, list[str]]  # organisation -> service codes (no acts)
    provides_police_act: set[int]
    staff: dict[int, dict[str, list[int]]]  # organisation -> role -> users
    user_names: dict[int, str]
    org_names: dict[int, str]
    org_regions: dict[int, str | None]
    zones: dict[int, ZoneInfo]
    partner: dict[str, int]  # organisation key -> id


def organisation_services_ensure(orgs: dict[str, Organisation]) -> int:
    """Give each demo organisation its usual services (adds what is missing, removes nothing)."""
    ids = dict(Service.objects.filter(is_active=True).values_list("code", "id"))
    have = set(OrganisationService.objects.filter(organisation__in=list(orgs.values()))
               .values_list("organisation_id", "service_id"))
    new = [
        OrganisationService(organisation=org, service_id=ids[code])
        for org in orgs.values() for code in SERVICES_BY_KIND.get(org.kind, ())
        if code in ids and (org.pk, ids[code]) not in have
    ]
    OrganisationService.objects.bulk_create(new)
    return len(new)


def _items(instrument: Instrument) -> list[ItemRef]:
    return [ItemRef(i.pk, i.number, i.domain, i.alert_at) for i in instrument.items.order_by("number")]


def catalogue_load(orgs: dict[str, Organisation]) -> Catalogue | None:
    shrs = Instrument.objects.filter(code="SHRS", is_active=True).order_by("-version").first()
    if shrs is None:
        return None
    screens = {}
    for code in ("PHQ-9", "GAD-7", "PCL-5"):
        inst = Instrument.objects.filter(code=code, is_active=True).order_by("-version").first()
        if inst is not None:
            screens[code] = (inst, _items(inst))
    services = list(Service.objects.filter(is_active=True).values_list("code", "id", "domains", "category"))
    acts = {code for code, _i, _d, cat in services if cat == Service.Category.ACT}
    provided: dict[int, list[str]] = {}
    police: set[int] = set()
    for org_id, code in (OrganisationService.objects.filter(organisation__in=list(orgs.values()),
                                                            service__is_active=True)
                         .values_list("organisation_id", "service__code").order_by("service__sort_order", "id")):
        if code in acts:
            if code == POLICE_ACT:
                police.add(org_id)
        else:
            provided.setdefault(org_id, []).append(code)
    staff: dict[int, dict[str, list[int]]] = {o.pk: {} for o in orgs.values()}
    for user_id, org_id, role in RoleAssignment.objects.filter(
        user__organisation__in=list(orgs.values()), user__is_active=True
    ).values_list("user_id", "user__organisation_id", "role").order_by("user_id"):
        staff[org_id].setdefault(role, []).append(user_id)
    names = {}
    for pk, username, first, last in User.objects.filter(organisation__in=list(orgs.values())).values_list(
            "id", "username", "first_name", "last_name"):
        names[pk] = f"{first} {last}".strip() or username
    return Catalogue(
        shrs=shrs, shrs_items=_items(shrs), screens=screens,
        service_ids={code: pk for code, pk, _d, _c in services},
        service_domains={code: list(d or []) for code, _p, d, _c in services},
        provided=provided, provides_police_act=police, staff=staff, user_names=names,
        org_names={o.pk: o.name for o in orgs.values()}, org_regions={o.pk: o.region_id for o in orgs.values()},
        zones={o.pk: ZoneInfo(o.time_zone) for o in orgs.values()},
        partner={key: o.pk for key, o in orgs.items()},
    )


def cases_without_recovery_data(orgs: dict[str, Organisation]) -> list[Any]:
    """Cases of the demo organisations with none of the data this module writes, oldest first."""
    qs = Case.objects.filter(lead_organisation__in=list(orgs.values()))
    for model in (ServiceApplication, Assessment, ServiceDelivery, PhaseChange, Closure):
        qs = qs.filter(~Exists(model._default_manager.filter(case_id=OuterRef("pk"))))
    return list(qs.order_by("opened_at", "id").values_list("id", flat=True))


# --- one case ------------------------------------------------------------------------------------


@dataclass
class CaseInfo:
    pk: Any
    code: str
    status: str
    identified_on: dt.date
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    org_id: int
    lead_id: int
    channel: str
    urgent_needs: list[str]
    survivor: Any  # an object with is_child_at_exploitation and age_band, for the risk screen
    history: list[tuple[str, dt.datetime, int]]  # (to_status, at, by) oldest first
    team: dict[str, list[int]]  # role -> team members with that role
    reasons: list[str] = field(default_factory=list)  # the reason of each status change, as history


class SurvivorView:
    def __init__(self, is_child_at_exploitation: bool | None, age_band: str) -> None:
        self.is_child_at_exploitation = is_child_at_exploitation
        self.age_band = age_band


def _clip(x: float, lo: float, hi: float) -> float:
    return lo if x < lo else hi if x > hi else x


class CaseRecoveryFactory:
    """Draws the recovery data of one case into ``out`` (lists of unsaved model instances)."""

    def __init__(self, cat: Catalogue, *, seed_value: int, now: dt.datetime) -> None:
        self.cat = cat
        self.seed_value = seed_value
        self.now = now
        self.today = timezone.localdate(now)
        self.threshold = recovery_conf.restored_threshold()
        self.interval = recovery_conf.interval_days()
        self.follow_up_months = reintegration_conf.follow_up_months()

    # -- helpers --
    def _at(self, rng: random.Random, day: dt.date, org_id: int, *, earliest: dt.datetime | None = None) -> dt.datetime:
        local = dt.datetime.combine(day, dt.time(rng.randint(8, 16), rng.randint(0, 59)),
                                    tzinfo=self.cat.zones[org_id])
        if earliest is not None and local < earliest:
            local = earliest + dt.timedelta(minutes=rng.randint(5, 90))
        return min(local, self.now - dt.timedelta(minutes=1))

    def _local(self, moment: dt.datetime, org_id: int) -> dt.date:
        return moment.astimezone(self.cat.zones[org_id]).date()

    @staticmethod
    def _member(case: CaseInfo, role: str, rng: random.Random) -> int:
        options = case.team.get(role)
        return rng.choice(options) if options else case.lead_id

    # -- the whole case --
    def make(self, case: CaseInfo, out: dict[str, list[Any]]) -> None:
        rng = random.Random(f"{self.seed_value}:recovery:{case.code}")  # noqa: S311 - synthetic data
        org = case.org_id
        today = self.today
        # Open periods: from identification, each closure ends one and each reopening starts the next.
        periods: list[tuple[dt.date, dt.date]] = []
        closures: list[tuple[dt.datetime, int, dt.datetime | None, int | None]] = []  # closed, by, reopened, by
        start = case.identified_on
        first: dict[str, dt.datetime] = {}
        for status, at, by in case.history:
            first.setdefault(status, at)
            if status == CaseStatus.CLOSED:
                periods.append((start, max(start, self._local(at, org))))
                closures.append((at, by, None, None))
            elif status == CaseStatus.REOPENED and closures:
                closed_at, closed_by, _r, _b = closures[-1]
                closures[-1] = (closed_at, closed_by, at, by)
                start = self._local(at, org)
        if case.status != CaseStatus.CLOSED:
            periods.append((start, today))

        # The application for services that starts the case's services (every case has one).
        applied_on = min(case.identified_on + dt.timedelta(days=rng.choice((0, 0, 0, 1, 2))), periods[0][1])
        applications = [applied_on]
        out["applications"].append(ServiceApplication(
            case_id=case.pk, applied_on=applied_on,
            applicant_kind=rng.choice(("victim", "social_worker", "social_worker", "police", "family", "companion")),
            note="", recorded_by_id=case.lead_id, created_at=self._at(rng, applied_on, org),
        ))

        assessed = CaseStatus.ASSESSMENT in first
        trajectory = self._assessments(rng, case, periods, first, closures, out) if assessed else None
        goals = self._plan(rng, case, first, trajectory, out) if CaseStatus.PLANNING in first else []
        if CaseStatus.PLANNING in first:
            self._phases(rng, case, first, trajectory, out)
        if len(case.history) > 1 and rng.random() < 0.15 and periods[-1][1] > periods[-1][0] + dt.timedelta(60):
            # A second application later on (family asks for livelihood support, for example).
            lo, hi = periods[-1][0] + dt.timedelta(30), periods[-1][1]
            second = lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))
            applications.append(second)
            out["applications"].append(ServiceApplication(
                case_id=case.pk, applied_on=second, applicant_kind=rng.choice(("victim", "family")),
                note="Permohonan layanan tambahan.", recorded_by_id=case.lead_id,
                created_at=self._at(rng, second, org),
            ))
        self._deliveries(rng, case, periods, applications, trajectory, goals, out)
        if closures:
            self._closures(rng, case, closures, trajectory, out)

    # -- assessments --
    def _assessments(self, rng: random.Random, case: CaseInfo, periods: list[tuple[dt.date, dt.date]],
                     first: dict[str, dt.datetime], closures: list[Any],
                     out: dict[str, list[Any]]) -> Trajectory | None:
        org = case.org_id
        today = self.today
        baseline = self._local(first[CaseStatus.ASSESSMENT], org) + dt.timedelta(days=rng.randint(0, 5))
        # Dates and kinds of the holistic assessments.
        dates: list[tuple[str, dt.date]] = []
        overdue = case.status != CaseStatus.CLOSED and rng.random() < 0.15
        for i, (start, end) in enumerate(periods):
            day = max(start, baseline) if i == 0 else start + dt.timedelta(days=rng.randint(7, 30))
            kind: str = AssessmentKind.BASELINE if i == 0 else AssessmentKind.PERIODIC
            is_last_open = i == len(periods) - 1 and case.status != CaseStatus.CLOSED
            stop = end
            if is_last_open and overdue:
                stop = today - dt.timedelta(days=rng.randint(self.interval + 3, self.interval + 60))
            # The baseline is always there; the periodic ones stop early on an overdue case.
            while day <= min(end, today) and (day <= stop or (i == 0 and not dates)):
                dates.append((kind, day))
                kind = AssessmentKind.PERIODIC
                day = day + dt.timedelta(days=rng.randint(self.interval - 12, self.interval + 8))
            if not is_last_open and rng.random() < 0.8 and end <= today and (not dates or dates[-1][1] < end):
                dates.append((AssessmentKind.CLOSURE, end))
        if not dates:
            return None
        traj = Trajectory(rng, dates[0][1])
        # A case recently in assessment may still have its baseline as a draft; a few others a periodic draft.
        draft_last = (case.status == CaseStatus.ASSESSMENT and len(dates) == 1 and rng.random() < 0.35)
        for idx, (kind, day) in enumerate(dates):
            traj.mark(idx, len(dates))
            values = traj.item_values(rng, day, self.cat.shrs_items)
            self._assessment(rng, case, self.cat.shrs, kind, day, values, out,
                             draft=draft_last and idx == len(dates) - 1, traj=traj)
        if not draft_last and case.status != CaseStatus.CLOSED and not overdue and rng.random() < 0.05:
            day = max(dates[-1][1], today - dt.timedelta(days=rng.randint(0, 10)))
            values = traj.item_values(rng, day, self.cat.shrs_items)
            partial = {k: v for k, v in values.items() if rng.random() < 0.5}
            self._assessment(rng, case, self.cat.shrs, AssessmentKind.PERIODIC, day, partial, out, draft=True)
        # Screening measures when clinically indicated: at baseline for some, again later for a few.
        if self.cat.screens and rng.random() < 0.45:
            when = [dates[0]] + ([dates[len(dates) // 2 + 1]] if len(dates) > 2 and rng.random() < 0.5 else [])
            for kind, day in when:
                for code in ("PHQ-9", "GAD-7") + (("PCL-5",) if rng.random() < 0.3 else ()):
                    if code in self.cat.screens:
                        self._screening(rng, case, code, kind, day, traj.score(Domain.MENTAL, day), out)
        return traj

    def _assessment(self, rng: random.Random, case: CaseInfo, instrument: Instrument, kind: str, day: dt.date,
                    values: dict[int, int], out: dict[str, list[Any]], *, draft: bool = False,
                    traj: Trajectory | None = None, recorder: int | None = None) -> Assessment:
        at = self._at(rng, day, case.org_id)
        a = Assessment(
            case_id=case.pk, instrument=instrument, kind=kind, assessed_on=day,
            status=Assessment.Status.DRAFT if draft else Assessment.Status.COMPLETED,
            recorded_by_id=recorder or case.lead_id, created_at=at - dt.timedelta(minutes=rng.randint(20, 90)),
            updated_at=at, completed_at=None if draft else at, version=1 if draft else 2,
        )
        out["assessments"].append(a)
        items = {i.id: i for i in (self.cat.shrs_items if instrument.pk == self.cat.shrs.pk
                                   else self.cat.screens[instrument.code][1])}
        # Answers and domain scores are many narrow rows: kept as tuples, written by _rows_insert.
        out["answers"].extend((a.pk, item_id, v) for item_id, v in values.items())
        if not draft and instrument.kind == Instrument.Kind.HOLISTIC:
            scores = scoring.domain_scores((items[i].domain, v) for i, v in values.items())
            out["domain_scores"].extend((a.pk, d, s) for d, s in scores.items())
            a.restored = scoring.is_restored(scores)
            if traj is not None:
                traj.scored.append((day, scores))
        return a

    def _screening(self, rng: random.Random, case: CaseInfo, code: str, kind: str, day: dt.date, mental: float,
                   out: dict[str, list[Any]]) -> None:
        instrument, items = self.cat.screens[code]
        severity = _clip((4.0 - mental) / 3.0, 0.0, 1.0)  # mental 1 -> 1.0, mental 4 -> 0.0
        top = instrument.scale_max
        values: dict[int, int] = {}
        for item in items:
            if item.alert_at is not None:  # PHQ-9 item 9: rarely positive, and then it alerts
                values[item.id] = 1 if rng.random() < 0.08 * severity else 0
            else:
                mean = top * severity * 0.85
                values[item.id] = int(_clip(round(mean + rng.gauss(0, 0.6)), instrument.scale_min, top))
        recorder = self._member(case, Role.PSYCHOLOGIST, rng)
        a = self._assessment(rng, case, instrument, kind, day, values, out, recorder=recorder)
        by_id = {i.id: i for i in items}
        total = scoring.screening_total(values.values())
        band = scoring.screening_band(instrument.bands, total)
        flagged = bool(scoring.flagged_items((by_id[i], v) for i, v in values.items()))
        out["screenings"].append(ScreeningResult(assessment=a, total=total, band=band.code, band_label_id=band.label_id,
                                                 band_label_en=band.label_en, flagged=flagged))
        if flagged:
            a.alerted_at = a.completed_at
            item = next(i for i in items if i.alert_at is not None)
            detail = (f"{instrument.code} butir {item.number}: jawaban {values[item.id]} pada "
                      f"{day.isoformat()}. Segera hubungi penyintas.")
            recipients = set(case.team.get(Role.PSYCHOLOGIST, [])) | set(self.cat.staff[case.org_id].get(
                Role.SUPERVISOR, []))
            self._alerts(case, recipients, Alert.Kind.SELF_HARM, detail, recorder, a.completed_at or self.now, out)

    def _alerts(self, case: CaseInfo, recipients: set[int], kind: str, detail: str, actor: int,
                at: dt.datetime, out: dict[str, list[Any]]) -> None:
        read = at + dt.timedelta(days=1) if at < self.now - dt.timedelta(days=14) else None
        for user_id in sorted(recipients):
            out["alerts"].append(Alert(case_id=case.pk, recipient_id=user_id, kind=kind, detail=detail[:300],
                                       raised_by_id=actor, created_at=at, read_at=read))

    # -- phases and the plan --
    def _phases(self, rng: random.Random, case: CaseInfo, first: dict[str, dt.datetime],
                traj: Trajectory | None, out: dict[str, list[Any]]) -> None:
        org = case.org_id
        steps: list[tuple[dt.datetime, str, str]] = [
            (first[CaseStatus.ASSESSMENT], Phase.SAFETY, PHASE_REASONS[Phase.SAFETY])]
        if CaseStatus.SERVICES in first and (traj is None or traj.pattern != "stalling" or rng.random() < 0.4):
            steps.append((first[CaseStatus.SERVICES] + dt.timedelta(days=rng.randint(14, 90)), Phase.RECOVERY,
                          PHASE_REASONS[Phase.RECOVERY]))
        if CaseStatus.REINTEGRATION in first:
            steps.append((first[CaseStatus.REINTEGRATION], Phase.RECONNECTION, PHASE_REASONS[Phase.RECONNECTION]))
        if traj is not None and traj.relapse_on is not None:
            relapse_at = self._at(rng, traj.relapse_on, org)
            if relapse_at > steps[-1][0]:
                steps.append((relapse_at, Phase.SAFETY, RELAPSE_REASON))
        last_close = max((at for status, at, _b in case.history if status == CaseStatus.CLOSED), default=None)
        current = ""
        for at, phase, reason in sorted(steps, key=lambda s: s[0]):
            if at >= self.now or phase == current or (case.status == CaseStatus.CLOSED and last_close
                                                      and at > last_close):
                continue
            out["phases"].append(PhaseChange(case_id=case.pk, phase=phase, reason=reason, changed_by_id=case.lead_id,
                                             changed_at=at))
            current = phase

    def _plan(self, rng: random.Random, case: CaseInfo, first: dict[str, dt.datetime], traj: Trajectory | None,
              out: dict[str, list[Any]]) -> list[tuple[Goal, dt.date]]:
        org = case.org_id
        plan_at = first[CaseStatus.PLANNING]
        plan_on = self._local(plan_at, org)
        start = traj.scores_on(plan_on) if traj is not None else {}
        latest = traj.scores_on(self.today) if traj is not None else {}
        if start:
            low = sorted((d for d in DOMAINS if start.get(d, Decimal(0)) < self.threshold), key=lambda d: start[d])
        else:
            low = [Domain.SAFETY, Domain.MENTAL, rng.choice((Domain.LEGAL, Domain.ECONOMIC, Domain.SOCIAL))]
        domains = (low or [min(DOMAINS, key=lambda d: start.get(d, Decimal(0)))])[: rng.randint(2, 4)]
        closed = case.status == CaseStatus.CLOSED
        planning_now = case.status == CaseStatus.PLANNING and CaseStatus.SERVICES not in first
        plan = Plan(case_id=case.pk, priorities=rng.choice(PRIORITIES), version=0, created_at=plan_at,
                    updated_at=plan_at)
        out["plans"].append(plan)
        goals: list[tuple[Goal, dt.date]] = []
        goal_rows: list[tuple[Goal, list[Action]]] = []
        for domain in domains:
            if planning_now:
                status = GoalStatus.OPEN
            elif latest.get(domain, Decimal(0)) >= self.threshold:
                status = GoalStatus.ACHIEVED
            elif rng.random() < 0.03:
                status = GoalStatus.DROPPED
            else:
                status = GoalStatus.IN_PROGRESS
            goal = Goal(plan=plan, domain=domain, description=GOAL_TEXT[domain], status=status, created_at=plan_at)
            out["goals"].append(goal)
            goals.append((goal, plan_on))
            actions = []
            for text, partner, role in rng.sample(ACTIONS[domain], k=min(len(ACTIONS[domain]), rng.randint(1, 2))):
                resp_org = self.cat.partner.get(partner, org) if partner else org
                org_staff = self.cat.staff.get(resp_org, {}).get(role, [])
                user: int | None
                if resp_org == org and role == Role.CASEWORKER:
                    user = case.lead_id
                elif resp_org == org:
                    on_team = [u for u in case.team.get(role, []) if u in org_staff]
                    user = (on_team or org_staff)[0] if (on_team or org_staff) else None
                else:
                    user = org_staff[0] if org_staff else None
                target = plan_on + dt.timedelta(days=rng.randint(14, 150))
                if planning_now:
                    a_status = ActionStatus.OPEN
                elif status == GoalStatus.ACHIEVED:
                    a_status = ActionStatus.DONE
                elif status == GoalStatus.DROPPED or (closed and rng.random() < 0.3):
                    a_status = ActionStatus.CANCELLED
                elif target < self.today and (closed or rng.random() < 0.7):
                    a_status = ActionStatus.DONE
                else:
                    a_status = ActionStatus.OPEN  # past its date on an open case: overdue in the work queue
                action = Action(goal=goal, description=text, responsible_organisation_id=resp_org,
                                responsible_user_id=user, responsible_name="" if user else "Petugas layanan",
                                target_date=target, status=a_status, created_at=plan_at)
                out["actions"].append(action)
                actions.append(action)
            goal_rows.append((goal, actions))

        # Revisions: the first as planned (every goal and action open); a second with today's statuses
        # when they changed. The last revision is always the plan as it stands now.
        sup = (self.cat.staff[org].get(Role.SUPERVISOR) or [case.lead_id])[0]
        first_rev = PlanRevision(plan=plan, number=1, snapshot={}, author_id=case.lead_id, created_at=plan_at)
        if planning_now:
            if rng.random() < 0.6:
                first_rev.status = RevisionStatus.SUBMITTED
                first_rev.submitted_by_id = case.lead_id
                first_rev.submitted_at = min(plan_at + dt.timedelta(days=rng.randint(0, 3)), self.now)
            else:
                first_rev.status = RevisionStatus.DRAFT
        else:
            decided = first.get(CaseStatus.SERVICES) or min(plan_at + dt.timedelta(days=7), self.now)
            first_rev.status = RevisionStatus.APPROVED
            first_rev.submitted_by_id, first_rev.submitted_at = case.lead_id, plan_at + (decided - plan_at) / 2
            first_rev.decided_by_id, first_rev.decided_at = sup, decided
        revisions = [(first_rev, True)]
        changed = any(g.status != GoalStatus.OPEN or any(a.status != ActionStatus.OPEN for a in acts)
                      for g, acts in goal_rows)
        if changed:
            last_status_at = case.history[-1][1]
            saved = max(min(max(last_status_at, plan_at + dt.timedelta(days=30)), self.now - dt.timedelta(hours=2)),
                        plan_at)
            second = PlanRevision(plan=plan, number=2, snapshot={}, author_id=case.lead_id, created_at=saved)
            x = rng.random()
            if closed or x < 0.6:
                second.status = RevisionStatus.APPROVED
                second.submitted_by_id, second.submitted_at = case.lead_id, saved
                second.decided_by_id, second.decided_at = sup, min(saved + dt.timedelta(days=2), self.now)
            elif x < 0.9:
                second.status = RevisionStatus.SUBMITTED
                second.submitted_by_id, second.submitted_at = case.lead_id, saved
            else:
                second.status = RevisionStatus.DRAFT
            revisions.append((second, False))
        plan.version = len(revisions)
        plan.updated_at = revisions[-1][0].created_at
        out["revisions_pending"].append((revisions, goal_rows))
        return goals

    def snapshot(self, goal_rows: list[tuple[Goal, list[Action]]], as_planned: bool, priorities: str) -> dict[str, Any]:
        """``plans.documents.plan_document`` for rows already saved (goals in domain order, then id;
        actions by target date, then id)."""
        order = {d: i for i, d in enumerate(DOMAINS)}
        goals = []
        for goal, actions in sorted(goal_rows, key=lambda ga: (order.get(ga[0].domain, 99), ga[0].pk)):
            docs = []
            for a in sorted(actions, key=lambda a: (a.target_date or dt.date.max, a.pk)):
                docs.append({
                    "id": a.pk, "description": a.description,
                    "responsible_organisation_id": a.responsible_organisation_id,
                    "responsible_organisation_name": self.cat.org_names.get(a.responsible_organisation_id, ""),
                    "responsible_user_id": a.responsible_user_id,
                    "responsible_user_name": self.cat.user_names.get(a.responsible_user_id, "")
                    if a.responsible_user_id else "",
                    "responsible_name": a.responsible_name,
                    "target_date": a.target_date.isoformat() if a.target_date else None,
                    "status": ActionStatus.OPEN if as_planned else a.status,
                })
            goals.append({"id": goal.pk, "domain": goal.domain, "description": goal.description,
                          "status": GoalStatus.OPEN if as_planned else goal.status, "actions": docs})
        return {"priorities": priorities, "goals": goals}

    # -- services --
    def _deliveries(self, rng: random.Random, case: CaseInfo, periods: list[tuple[dt.date, dt.date]],
                    applications: list[dt.date], traj: Trajectory | None, goals: list[tuple[Goal, dt.date]],
                    out: dict[str, list[Any]]) -> None:
        org = case.org_id
        provided = self.cat.provided.get(org, [])
        if not provided:
            return
        today = self.today
        days: list[tuple[dt.date, str, dt.datetime | None]] = []
        # The police must receive the report within 72 hours (not for cases the police brought).
        if case.channel != "police" and org in self.cat.provides_police_act:
            x = rng.random()
            hours = rng.randint(2, 60) if x < 0.85 else rng.randint(75, 240) if x < 0.95 else None
            if hours is not None:
                sent_at = case.opened_at + dt.timedelta(hours=hours, minutes=rng.randint(0, 59))
                if sent_at < self.now:
                    days.append((self._local(sent_at, org), POLICE_ACT, sent_at))
        # First aid within 7 days for urgent medical needs.
        medical = [s for s in MEDICAL_SERVICES if s in provided]
        if "medical" in case.urgent_needs and medical:
            x = rng.random()
            lag = rng.randint(0, 5) if x < 0.8 else rng.randint(9, 20) if x < 0.95 else None
            if lag is not None:
                day = case.identified_on + dt.timedelta(days=lag)
                if day <= periods[0][1] and day <= today:
                    days.append((day, medical[0], None))
        # The services themselves: the first usually within the 7 days after the application, some late.
        past_intake = len(case.history) > 1
        n = rng.randint(2, 15) if past_intake else rng.randint(0, 1)
        active = sum((e - s).days + 1 for s, e in periods)
        n = min(n, 2 + active // 20)
        weights = self._service_weights(provided, traj)
        for i in range(n):
            if i == 0:
                lag = rng.randint(0, 6) if rng.random() < 0.85 else rng.randint(9, 25)
                day = applications[0] + dt.timedelta(days=lag)
                if day > periods[0][1] or day > today:
                    continue
            else:
                s, e = rng.choices(periods, weights=[(e - s).days + 1 for s, e in periods])[0]
                day = s + dt.timedelta(days=int((e - s).days * rng.random() ** 1.3))
            code = rng.choices(provided, weights=weights)[0]
            days.append((day, code, None))
        if len(applications) > 1 and applications[1] + dt.timedelta(days=3) <= today:
            days.append((min(applications[1] + dt.timedelta(days=rng.randint(1, 10)), periods[-1][1]),
                         rng.choice(provided), None))

        for day, code, at in sorted(days, key=lambda d: d[0]):
            by = self._member(case, DELIVERER_ROLE.get(code, Role.CASEWORKER), rng)
            goal = None
            domains = self.cat.service_domains.get(code, [])
            for g, since in goals:
                if day >= since and g.domain in domains:
                    goal = g
                    break
            lo, hi = DURATION.get(code, (30, 120))
            recorded = at + dt.timedelta(minutes=rng.randint(10, 240)) if at else self._at(rng, day, org)
            recorded = min(recorded, self.now - dt.timedelta(minutes=1))
            out["deliveries"].append(ServiceDelivery(
                case_id=case.pk, service_id=self.cat.service_ids[code], organisation_id=org, delivered_by_id=by,
                goal=goal, delivered_on=day, delivered_at=at,
                place="Kantor layanan" if code == POLICE_ACT else rng.choice(PLACES),
                place_region_id=self.cat.org_regions.get(org), duration_minutes=rng.randint(lo, hi) // 5 * 5,
                outcome_note=rng.choice(OUTCOMES.get(code, DEFAULT_OUTCOMES)),
                status=ServiceDelivery.Status.RECORDED, recorded_at=recorded, created_by_id=by,
                created_at=recorded, updated_at=recorded,
            ))

    def _service_weights(self, provided: Sequence[str], traj: Trajectory | None) -> list[float]:
        low = set(traj.low_domains(self.threshold)) if traj is not None else {Domain.SAFETY, Domain.MENTAL}
        return [3.0 if low & set(self.cat.service_domains.get(c, [])) else 1.0 for c in provided]

    # -- closure and follow-up --
    def _closures(self, rng: random.Random, case: CaseInfo, closures: list[Any], traj: Trajectory | None,
                  out: dict[str, list[Any]]) -> None:
        org = case.org_id
        reasons = [CLOSURE_REASON_BY_TEXT.get(text, "") for (status, _at, _by), text in
                   zip(case.history, case.reasons, strict=False) if status == CaseStatus.CLOSED]
        propensity = rng.random() ** 3  # most survivors at low risk, a few at high
        young = young_answer_for(case.survivor)
        for n, (closed_at, closed_by, reopened_at, reopened_by) in enumerate(closures):
            reason = reasons[n] if n < len(reasons) else ""
            if reason not in ClosureReason.values:
                reason = rng.choices(
                    [ClosureReason.RESTORED, ClosureReason.SURVIVOR_CHOICE, ClosureReason.LOST_CONTACT,
                     ClosureReason.TRANSFERRED], weights=[40, 25, 22, 8])[0]
            if reason == ClosureReason.DIED and reopened_at is not None:
                reason = ClosureReason.LOST_CONTACT
            closed_on = self._local(closed_at, org)
            restored_met = None
            if reason == ClosureReason.RESTORED and traj is not None:
                scores = traj.scores_on(closed_on)
                restored_met = scoring.is_restored(scores) if scores else None
            declined = reason != ClosureReason.DIED and rng.random() < 0.08
            closure = Closure(
                case_id=case.pk, reason=reason, note=CLOSURE_NOTES.get(reason, ""), follow_up_declined=declined,
                restored_rule_met=restored_met, closed_by_id=closed_by, closed_at=closed_at,
                reopened_at=reopened_at, reopened_by_id=reopened_by,
                reopen_reason="Survivor kembali meminta layanan." if reopened_at else "",
            )
            out["closures"].append(closure)
            if declined or reason == ClosureReason.DIED:
                continue
            reopened_on = self._local(reopened_at, org) if reopened_at else None
            for months in self.follow_up_months:
                due = add_months(closed_on, months)
                f = FollowUp(case_id=case.pk, closure=closure, months_after=months, due_on=due)
                out["follow_ups"].append(f)
                if reopened_on is not None and due >= reopened_on:
                    f.status = FollowUpStatus.CANCELLED
                    continue
                horizon = reopened_on or self.today
                if due > horizon:
                    continue  # scheduled
                x = rng.random()
                lost = reason == ClosureReason.LOST_CONTACT
                if x < (0.35 if lost else 0.10):
                    f.status, f.notes = FollowUpStatus.MISSED, "Tidak dapat dihubungi."
                    f.done_by_id, f.recorded_at = case.lead_id, self._at(rng, due, org)
                    continue
                if x > 0.93 and reopened_on is None:
                    continue  # still to be recorded: overdue in the work queue
                done_on = min(max(due + dt.timedelta(days=rng.randint(-5, 10)), closed_on), horizon)
                answers = {code: RiskAnswer.NO.value for code in FACTOR_CODES}
                answers[YOUNG] = str(young)
                for code, (lo, hi) in RISK_YES.items():
                    p = lo + (hi - lo) * propensity
                    answers[code] = (RiskAnswer.YES.value if rng.random() < p
                                     else RiskAnswer.UNKNOWN.value if rng.random() < 0.08 else RiskAnswer.NO.value)
                result = risk_score(answers)
                f.status, f.done_on = FollowUpStatus.DONE, done_on
                f.contact_mode = rng.choice((ContactMode.VISIT, ContactMode.VISIT, ContactMode.PHONE))
                f.notes = rng.choice(FOLLOW_UP_NOTES)
                f.done_by_id, f.recorded_at = case.lead_id, self._at(rng, done_on, org)
                f.risk_answers, f.risk_score, f.risk_level = answers, result.score, result.level
                if result.level == RiskLevel.HIGH:
                    detail = (f"Tindak lanjut {done_on.isoformat()}: risiko tinggi (skor {result.score}; "
                              f"{', '.join(factor_label(c) for c in result.yes)}). Pertimbangkan membuka kembali "
                              "kasus.")
                    self._alerts(case, {case.lead_id}, Alert.Kind.RETRAFFICKING_RISK, detail, case.lead_id,
                                 f.recorded_at, out)
                if traj is not None and rng.random() < 0.7:
                    values = traj.item_values(rng, done_on, self.cat.shrs_items)
                    self._assessment(rng, case, self.cat.shrs, AssessmentKind.FOLLOW_UP, done_on, values, out,
                                     traj=traj)


class Trajectory:
    """A survivor's scores per domain over time: improving (safety first), stalling or relapsing."""

    def __init__(self, rng: random.Random, start: dt.date) -> None:
        self.start = start
        x = rng.random()
        self.pattern = "improving" if x < 0.65 else "stalling" if x < 0.85 else "relapsing"
        self.base: dict[str, float] = {}
        self.target: dict[str, float] = {}
        self.tau: dict[str, float] = {}
        self.drop: dict[str, float] = {}
        for d in DOMAINS:
            safety = d == Domain.SAFETY
            self.base[d] = rng.uniform(1.0, 1.7) if safety else rng.uniform(1.2, 2.4)
            if self.pattern == "stalling":
                self.target[d] = self.base[d] + rng.uniform(0.1, 0.6)
                self.tau[d] = rng.uniform(40, 120)
            else:
                self.target[d] = rng.uniform(3.2, 4.0) if safety else rng.uniform(2.9, 3.9)
                self.tau[d] = rng.uniform(50, 110) if safety else rng.uniform(140, 380)
            heavy = d in (Domain.SAFETY, Domain.MENTAL, Domain.SOCIAL)
            self.drop[d] = rng.uniform(0.9, 1.6) if heavy else rng.uniform(0.3, 0.8)
        self.relapse_on: dt.date | None = None
        self._relapse_index: int | None = None
        self._relapse_pick = rng.random()
        self.scored: list[tuple[dt.date, dict[str, Decimal]]] = []

    def mark(self, index: int, total: int) -> None:
        """Called with each assessment: a relapse falls after at least two assessments of progress."""
        if self.pattern == "relapsing" and self._relapse_index is None and total >= 3:
            self._relapse_index = 2 + int(self._relapse_pick * (total - 2))
        if self._relapse_index is not None and index == self._relapse_index and self.relapse_on is None:
            self.relapse_on = dt.date.max  # set to the assessment's date by item_values

    def score(self, domain: str, day: dt.date) -> float:
        t = max(0, (day - self.start).days)
        s = self.target[domain] - (self.target[domain] - self.base[domain]) * math.exp(-t / self.tau[domain])
        if self.relapse_on is not None and day >= self.relapse_on:
            s -= self.drop[domain]
        return _clip(s, 1.0, 4.0)

    def item_values(self, rng: random.Random, day: dt.date, items: Sequence[ItemRef]) -> dict[int, int]:
        if self.relapse_on == dt.date.max:
            self.relapse_on = day
        return {i.id: int(_clip(round(self.score(i.domain or "", day) + rng.gauss(0, 0.4)), 1, 4)) for i in items}

    def scores_on(self, day: dt.date) -> dict[str, Decimal]:
        """The scores of the latest completed assessment on or before ``day`` ({} if none)."""
        found: dict[str, Decimal] = {}
        for on, scores in self.scored:
            if on <= day:
                found = scores
        return found

    def low_domains(self, threshold: Decimal) -> list[str]:
        first = self.scored[0][1] if self.scored else {}
        return [d for d, s in first.items() if s < threshold]


