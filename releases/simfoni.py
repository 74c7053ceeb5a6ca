"""SIMFONI-PPA export of TPPO cases for a region and period. [verify]

SIMFONI-PPA (Sistem Informasi Online Perlindungan Perempuan dan Anak, KemenPPPA) is the national
case-recording system for violence against women and children, with a TPPO module since 2020;
regions report to it for special-allocation funding (DOMAIN.md section 6). Its import format is
not public. The columns below are what DOMAIN.md and the SIMFONI-PPA public dashboards speak of
(report date, place, victim's sex, age group and whether a child, form of violence, services
received, the unit that serves) and the TPPO elements of UU 21/2007. **Every column name and value
list here is [verify]**: check with KemenPPPA's SIMFONI-PPA operators and adjust this one module;
nothing else in Sintas knows the format.

No names, NIK, birth dates, addresses, phone numbers or survivor codes are exported: a SIMFONI
operator who needs them enters them from the case file, where every showing is logged.

Lawful basis: reporting to SIMFONI-PPA is a duty of the regions (DOMAIN.md section 6), so the export
rests on a legal obligation (UU 27/2022 Pasal 20(2)(c)) and needs no consent of its own; it still
goes through ``survivors.lawful_use`` (exit "simfoni"), so an installation that sets
``SINTAS_STATISTICS_WITHOUT_CONSENT = "exclude"`` reports only survivors with a statistics basis
(docs/privacy.md, "Consent where data leaves"). [verify]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from care.models import ServiceDelivery
from cases.models import Case, CaseStatus
from core import clock
from core.choices import AgeBand, Modus, TppoMeans, TppoProcess, TppoPurpose, TraffickingStatus
from core.models import Region
from survivors import lawful_use

# SIMFONI-PPA "bentuk kekerasan" (form of violence) for every Sintas case. [verify]
FORM_OF_VIOLENCE = "Perdagangan Orang (TPPO)"

# Victim's sex as SIMFONI writes it. [verify]
SEX = {"female": "Perempuan", "male": "Laki-laki", "unknown": "Tidak diketahui"}

# SIMFONI-PPA service kinds ("jenis layanan") for each service code of the catalogue
# (care/data/services.json); services not listed are exported as "Lainnya". [verify]
SERVICE_KIND = {
    "health_rehabilitation": "Kesehatan",
    "medical_care": "Kesehatan",
    "psychological_support": "Kesehatan",
    "social_rehabilitation": "Rehabilitasi Sosial",
    "safe_housing": "Penampungan Sementara",
    "repatriation": "Pemulangan",
    "transport": "Pemulangan",
    "social_reintegration": "Reintegrasi Sosial",
    "social_empowerment": "Reintegrasi Sosial",
    "economic_empowerment": "Reintegrasi Sosial",
    "legal_aid": "Bantuan Hukum",
    "legal_support": "Bantuan Hukum",
    "restitution_facilitation": "Bantuan Hukum",
    "police_report_forwarded": "Penegakan Hukum",
    "spiritual_guidance": "Pendampingan Tokoh Agama",
    "accompaniment": "Mediasi/Pendampingan",
}
OTHER_SERVICE = "Lainnya"

YES, NO = "Ya", "Tidak"

Row = dict[str, Any]


def _labels(choices: Any, codes: list[str]) -> str:
    names = dict(choices)
    return "; ".join(str(names.get(c, c)) for c in codes)


def _region(rows: dict[str, Region], code: str | None, level: int) -> str:
    if not code:
        return ""
    wanted = code if level == 2 else code[:2]
    region = rows.get(wanted)
    return f"{wanted} {region.name}" if region else wanted


# The whole mapping: (column, how to compute it from a case and its context). [verify]
COLUMNS: list[tuple[str, Callable[[Case, Row], str]]] = [
    ("no_registrasi_sintas", lambda c, x: str(c.pk)),
    ("tanggal_pelaporan", lambda c, x: c.identified_on.isoformat()),
    ("unit_layanan", lambda c, x: c.lead_organisation.name),
    ("provinsi_unit_layanan", lambda c, x: _region(x["regions"], c.lead_organisation.region_id, 1)),
    ("kabupaten_kota_unit_layanan", lambda c, x: _region(x["regions"], c.lead_organisation.region_id, 2)),
    ("provinsi_kejadian", lambda c, x: _region(x["regions"], c.exploitation_region_id or c.identification_region_id, 1)),
    ("kabupaten_kota_kejadian",
     lambda c, x: _region(x["regions"], c.exploitation_region_id or c.identification_region_id, 2)),
    ("negara_eksploitasi", lambda c, x: str(c.exploitation_country or "")),
    ("bentuk_kekerasan", lambda c, x: FORM_OF_VIOLENCE),
    ("jenis_kelamin_korban", lambda c, x: SEX.get(c.survivor.sex, SEX["unknown"])),
    ("kelompok_umur_korban", lambda c, x: str(dict(AgeBand.choices).get(c.survivor.age_band, ""))),
    ("korban_anak", lambda c, x: YES if c.survivor.is_child_at_identification else NO),
    ("kewarganegaraan_korban", lambda c, x: str(c.survivor.nationality or "")),
    ("provinsi_asal_korban", lambda c, x: _region(x["regions"], c.survivor.origin_province_id, 1)),
    ("kabupaten_kota_asal_korban", lambda c, x: _region(x["regions"], c.survivor.origin_regency_id, 2)),
    ("proses_tppo", lambda c, x: _labels(TppoProcess.choices, c.tppo_process)),
    ("cara_tppo", lambda c, x: _labels(TppoMeans.choices, c.tppo_means)),
    ("tujuan_eksploitasi", lambda c, x: _labels(TppoPurpose.choices, c.tppo_purpose)),
    ("modus", lambda c, x: str(dict(Modus.choices).get(c.modus, ""))),
    ("status_korban", lambda c, x: str(dict(TraffickingStatus.choices).get(c.trafficking_status, ""))),
    ("layanan_diterima", lambda c, x: "; ".join(sorted(x["services"].get(c.pk, [])))),
    ("status_kasus", lambda c, x: str(dict(CaseStatus.choices).get(c.status, c.status))),
]
HEADER = [name for name, _fn in COLUMNS]


def region_q(field: str, code: str) -> Q:
    """``field`` is the region ``code`` or lies within it."""
    return Q(**{field: code}) | Q(**{f"{field}__startswith": f"{code}."})


def cases_for_export(organisation: Any, region: Region, start: dt.date, end: dt.date) -> QuerySet[Case]:
    """The organisation's TPPO cases identified in the period whose place of identification lies in
    the region (the organisation's own region when no place was recorded), of the survivors the
    SIMFONI-PPA exit may include today (``survivors.lawful_use``: a statutory report, on the legal
    obligation; survivors without a statistics basis as ``SINTAS_STATISTICS_WITHOUT_CONSENT`` says)."""
    place = region_q("identification_region__code", region.code) | (
        Q(identification_region__isnull=True) & region_q("lead_organisation__region__code", region.code))
    return (
        Case.objects.filter(lead_organisation=organisation, identified_on__gte=start, identified_on__lte=end)
        .filter(lawful_use.included_q(lawful_use.Exit.SIMFONI, on=clock.today()))
        .exclude(trafficking_status=TraffickingStatus.NOT_A_VICTIM)
        .filter(place)
        .select_related("survivor", "lead_organisation")
        .order_by("identified_on", "opened_at")
    )


def rows_for_export(cases: list[Case]) -> list[list[str]]:
    """Header and rows. Three queries whatever the number of cases (cases, services, regions)."""
    services: dict[Any, list[str]] = {}
    deliveries = (ServiceDelivery.objects.filter(case__in=[c.pk for c in cases], status=ServiceDelivery.Status.RECORDED)
                  .exclude(service=None).values_list("case_id", "service__code").order_by("case_id", "service__code"))
    for case_id, code in deliveries:
        kind = SERVICE_KIND.get(code, OTHER_SERVICE)
        if kind not in services.setdefault(case_id, []):
            services[case_id].append(kind)
    codes: set[str] = set()
    for c in cases:
        for region_code in (c.lead_organisation.region_id, c.exploitation_region_id, c.identification_region_id,
                            c.survivor.origin_province_id, c.survivor.origin_regency_id):
            if region_code:
                codes.update({region_code[:2], region_code[:5]})
    context = {"services": services, "regions": Region.objects.in_bulk(codes)}
    return [HEADER] + [[fn(c, context) for _name, fn in COLUMNS] for c in cases]


def allowed_regions(organisation: Any) -> QuerySet[Region]:
    """The organisation's region and the kabupaten/kota within it (a provincial unit may export
    one kabupaten/kota)."""
    code = organisation.region_id
    return Region.objects.filter(Q(code=code) | (Q(code__startswith=f"{code}.") & Q(level__lte=2))).order_by("code")


VERBOSE = _("SIMFONI-PPA export")
