"""The CTDC data model in one place: the 27 variables of the 2024 Global Synthetic Dataset, their
value sets, and the mapping from Sintas fields to them.

Source: "The Global Synthetic Data Codebook" (CTDC, IOM, February 2024), section 5 and the variable
pages; Appendix II for the 2021 → 2024 merge of the means-of-control flags, which the importer also
applies to files in the older 63-column "Global Dataset" shape (CTDC Data Codebook v6, 2017).

Countries are ISO 3166-1 alpha-3 in the 2024 shape and alpha-2 in the older one; flags are 1 or
NULL (missing) in the 2024 shape and 0/1/-99 in the older one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django_countries.data import ALT_CODES

from core.choices import AgeBand

# --- The 27 variables, in the codebook's order ---------------------------------------------------

MEANS_FLAGS = [
    "meansDebtBondageEarnings", "meansThreats", "meansAbusePsyPhySex", "meansFalsePromises",
    "meansDrugsAlcohol", "meansDenyBasicNeeds", "meansExcessiveWorkHours", "meansWithholdDocs",
]
EXPLOIT_FLAGS = ["isForcedLabour", "isSexualExploit", "isOtherExploit"]
LABOUR_FLAGS = ["typeOfLabourAgriculture", "typeOfLabourConstruction", "typeOfLabourDomesticWork",
                "typeOfLabourHospitality"]
SEX_FLAGS = ["typeOfSexProstitution", "typeOfSexPornography"]
RECRUITER_FLAGS = ["recruiterRelationIntimatePartner", "recruiterRelationFriend", "recruiterRelationFamily",
                   "recruiterRelationOther"]
FLAGS = MEANS_FLAGS + EXPLOIT_FLAGS + LABOUR_FLAGS + SEX_FLAGS + RECRUITER_FLAGS  # variables 7-27 but 6

VARIABLES = ["yearOfRegistration", "gender", "ageBroad", "citizenship", "CountryOfExploitation",
             "traffickMonths", *FLAGS]
assert len(VARIABLES) == 27

# Variable 14 is spelled two ways in the codebook (list: meansWithholdDocs; variable page:
# meansWithholdDocuments). Both are accepted on import; exports use the list's spelling.
VARIABLE_ALIASES = {"meansWithholdDocuments": "meansWithholdDocs"}

NULL = "NULL"

# Variable 2, gender.
GENDER_WOMAN = "Woman"
GENDER_MAN = "Man"
GENDER_TRANS = "Trans/Transgender/NonConforming"
GENDERS = [GENDER_WOMAN, GENDER_MAN, GENDER_TRANS]

# Variable 3, ageBroad: the CTDC brackets, written as in the CTDC files ("0--8").
AGE_BANDS = [b.value for b in AgeBand if b != AgeBand.UNKNOWN]  # "0-8" ... "48+" (Sintas' own spelling)


def age_to_ctdc(band: str) -> str:
    """Sintas' "0-8" → CTDC's "0--8"; "48+" stays; unknown → NULL."""
    if band not in AGE_BANDS:
        return NULL
    return band.replace("-", "--")


def age_from_ctdc(value: str) -> str | None:
    """"0--8", "0-8", "0–8", "Age 0-8", "09-17" → "0-8"; None when not a CTDC bracket."""
    text = value.strip().removeprefix("Age").strip().replace("–", "-").replace("--", "-")
    if "-" in text:
        low, _, high = text.partition("-")
        if low.isdigit() and high.isdigit():
            text = f"{int(low)}-{int(high)}"
    return text if text in AGE_BANDS else None


# Variable 6, traffickMonths.
TRAFFICK_MONTHS = ["0-12 (0-1 yr)", "13-24 (1-2 yrs)", "25+ (2+ yrs)"]
TRAFFICK_MONTHS_SHORT = {"0-12": TRAFFICK_MONTHS[0], "13-24": TRAFFICK_MONTHS[1], "25+": TRAFFICK_MONTHS[2]}


def months_to_ctdc(months: int | None) -> str:
    if months is None:
        return NULL
    if months <= 12:
        return TRAFFICK_MONTHS[0]
    if months <= 24:
        return TRAFFICK_MONTHS[1]
    return TRAFFICK_MONTHS[2]


def months_from_ctdc(value: str) -> str | None:
    text = value.strip().replace("–", "-").replace("--", "-")
    if text in TRAFFICK_MONTHS:
        return text
    return TRAFFICK_MONTHS_SHORT.get(text.split(" ")[0])


# --- Countries ------------------------------------------------------------------------------------

ALPHA3 = {alpha2: codes[0] for alpha2, codes in ALT_CODES.items()}
ALPHA3_VALUES = set(ALPHA3.values()) | {"XKX"}  # Kosovo: user-assigned code used by some data sets
ALPHA3["XK"] = "XKX"


def country_to_ctdc(alpha2: str) -> str:
    return ALPHA3.get((alpha2 or "").upper(), NULL)


# --- Sintas → CTDC: the whole mapping, here and nowhere else ------------------------------------
#
# Each flag is 1 when any of the listed Sintas codes was recorded on the case, else NULL (the
# 2024 convention: NULL means "not recorded", never "no"). A flag with no Sintas source is always
# NULL (meansDrugsAlcohol, typeOfSexPornography): Sintas does not record them yet.
# Keys: "means" = Case.tppo_means (core.choices.TppoMeans), "ilo" = Case.ilo_indicators
# (IloIndicator), "purpose" = Case.tppo_purpose (TppoPurpose), "exploitation" =
# Case.exploitation_types (ExploitationType), "industry" = Case.forced_labour_industry
# (ForcedLabourIndustry), "modus" = Case.modus (Modus), "recruiter" = Case.recruiter_relation
# (RecruiterRelation).

FLAG_SOURCES: dict[str, dict[str, set[str]]] = {
    "meansDebtBondageEarnings": {"means": {"debt_bondage"}, "ilo": {"debt_bondage", "withholding_of_wages"}},
    "meansThreats": {"means": {"threat_of_violence"}, "ilo": {"intimidation_threats"}},
    "meansAbusePsyPhySex": {"means": {"violence"}, "ilo": {"physical_sexual_violence"}},
    "meansFalsePromises": {"means": {"deception"}, "ilo": {"deception"}},
    "meansDrugsAlcohol": {},
    "meansDenyBasicNeeds": {"means": {"confinement"}, "ilo": {"restriction_of_movement", "isolation"}},
    "meansExcessiveWorkHours": {"ilo": {"excessive_overtime"}},
    "meansWithholdDocs": {"ilo": {"retention_of_documents"}},
    "isForcedLabour": {
        "exploitation": {"ForcedLabour", "ChildLabour", "Servitude", "ForcedBegging"},
        "purpose": {"forced_labour", "slavery"},
    },
    "isSexualExploit": {"exploitation": {"SexualExploitation"}, "purpose": {"prostitution", "sexual_use"}},
    "isOtherExploit": {
        "exploitation": {"ForcedMarriage", "ForcedMilitaryByNonStateActors", "OrganRemoval", "ForcedAdoption",
                         "Surrogacy", "Other"},
        "purpose": {"organ_removal"},
    },
    "typeOfLabourAgriculture": {"industry": {"A_AgricultureForestryAndFishing"}},
    "typeOfLabourConstruction": {"industry": {"F_Construction"}},
    "typeOfLabourDomesticWork": {"industry": {"T_ActivitiesOfHouseholdsAsEmployers"}, "modus": {"domestic_work"}},
    "typeOfLabourHospitality": {"industry": {"I_AccommodationAndFoodServiceActivities"}},
    "typeOfSexProstitution": {"purpose": {"prostitution"}},
    "typeOfSexPornography": {},
    "recruiterRelationIntimatePartner": {"recruiter": {"intimate_partner"}},
    "recruiterRelationFriend": {"recruiter": {"friend"}},
    "recruiterRelationFamily": {"recruiter": {"family"}},
    "recruiterRelationOther": {"recruiter": {"agent", "other"}},
}
assert set(FLAG_SOURCES) == set(FLAGS)

SEX_TO_CTDC = {"female": GENDER_WOMAN, "male": GENDER_MAN}

# The Sintas fields the mapping reads (the selector fetches exactly these, nothing identifying).
CASE_FIELDS = ["identified_on", "tppo_means", "ilo_indicators", "tppo_purpose", "exploitation_types",
               "forced_labour_industry", "modus", "recruiter_relation", "exploitation_country",
               "exploitation_started_on", "exploitation_ended_on", "survivor__sex", "survivor__age_band",
               "survivor__nationality"]


def _months(start: dt.date | None, end: dt.date | None) -> int | None:
    if not (start and end):
        return None
    return max(0, (end.year - start.year) * 12 + end.month - start.month)


def case_to_ctdc(row: dict[str, Any]) -> dict[str, str]:
    """One case (a dict of CASE_FIELDS) as one CTDC 2024 record: 27 strings, "NULL" for missing."""
    codes: dict[str, set[str]] = {
        "means": set(row.get("tppo_means") or []),
        "ilo": set(row.get("ilo_indicators") or []),
        "purpose": set(row.get("tppo_purpose") or []),
        "exploitation": set(row.get("exploitation_types") or []),
        "industry": {row.get("forced_labour_industry") or ""},
        "modus": {row.get("modus") or ""},
        "recruiter": {row.get("recruiter_relation") or ""},
    }
    record = {
        "yearOfRegistration": str(row["identified_on"].year),
        "gender": SEX_TO_CTDC.get(row.get("survivor__sex") or "", NULL),
        "ageBroad": age_to_ctdc(row.get("survivor__age_band") or ""),
        "citizenship": country_to_ctdc(str(row.get("survivor__nationality") or "")),
        "CountryOfExploitation": country_to_ctdc(str(row.get("exploitation_country") or "")),
        "traffickMonths": months_to_ctdc(_months(row.get("exploitation_started_on"), row.get("exploitation_ended_on"))),
    }
    for flag in FLAGS:
        hit = any(codes[key] & values for key, values in FLAG_SOURCES[flag].items())
        record[flag] = "1" if hit else NULL
    return record


def exploitation_label(record: dict[str, Any]) -> str:
    """The sensitive attribute of the l-diversity check: which exploitation flags are set."""
    set_flags = [f for f in EXPLOIT_FLAGS if str(record.get(f)) in ("1", "True")]
    return "+".join(set_flags) or NULL


def rows_in_order(records: Iterable[dict[str, str]]) -> list[list[str]]:
    return [[r[v] for v in VARIABLES] for r in records]
