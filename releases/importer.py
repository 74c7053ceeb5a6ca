"""Reading CTDC data files (downloaded by users from CTDC) into the reference tables.

Three shapes are recognised from the header line:

- the 2024 Global Synthetic Dataset (27 variables, ISO alpha-3 countries, 1/NULL flags);
- the older k-anonymised Global Dataset (2017-2020 releases, up to 62 columns, ISO alpha-2,
  0/1/-99 flags), whose means-of-control flags are merged into the 2024 ones as Appendix II of the
  2024 codebook says;
- the recoded 10-column extract of the 2020 Global Dataset kept in ``../shared/data/ctdc/``.

The whole file is parsed and validated before anything is stored (``parse`` raises
``CtdcFormatError`` with every problem found, up to ``MAX_ERRORS``); storing is
``releases.services.ctdc_import``.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from . import ctdc
from .models import CtdcSource

MAX_ERRORS = 20
MAX_FILE_BYTES = 100 * 1024 * 1024

# Model field for each 2024 flag.
FLAG_FIELDS = {
    "meansDebtBondageEarnings": "means_debt_bondage_earnings",
    "meansThreats": "means_threats",
    "meansAbusePsyPhySex": "means_abuse_psy_phy_sex",
    "meansFalsePromises": "means_false_promises",
    "meansDrugsAlcohol": "means_drugs_alcohol",
    "meansDenyBasicNeeds": "means_deny_basic_needs",
    "meansExcessiveWorkHours": "means_excessive_work_hours",
    "meansWithholdDocs": "means_withhold_docs",
    "isForcedLabour": "is_forced_labour",
    "isSexualExploit": "is_sexual_exploit",
    "isOtherExploit": "is_other_exploit",
    "typeOfLabourAgriculture": "type_of_labour_agriculture",
    "typeOfLabourConstruction": "type_of_labour_construction",
    "typeOfLabourDomesticWork": "type_of_labour_domestic_work",
    "typeOfLabourHospitality": "type_of_labour_hospitality",
    "typeOfSexProstitution": "type_of_sex_prostitution",
    "typeOfSexPornography": "type_of_sex_pornography",
    "recruiterRelationIntimatePartner": "recruiter_relation_intimate_partner",
    "recruiterRelationFriend": "recruiter_relation_friend",
    "recruiterRelationFamily": "recruiter_relation_family",
    "recruiterRelationOther": "recruiter_relation_other",
}
assert set(FLAG_FIELDS) == set(ctdc.FLAGS)

# --- the older Global Dataset (CTDC Data Codebook v6; data dictionary of 15 Aug 2018) ------------

GLOBAL_2020_COLUMNS = [
    "yearOfRegistration", "Datasource", "gender", "ageBroad", "majorityStatus", "majorityStatusAtExploit",
    "MajorityEntry", "citizenship", "meansOfControlDebtBondage", "meansOfControlTakesEarnings",
    "meansOfControlRestrictsFinancialAccess", "meansOfControlThreats", "meansOfControlPsychologicalAbuse",
    "meansOfControlPhysicalAbuse", "meansOfControlSexualAbuse", "meansOfControlFalsePromises",
    "meansOfControlPsychoactiveSubstances", "meansOfControlRestrictsMovement", "meansOfControlRestrictsMedicalCare",
    "meansOfControlExcessiveWorkingHours", "meansOfControlUsesChildren", "meansOfControlThreatOfLawEnforcement",
    "meansOfControlWithholdsNecessities", "meansOfControlWithholdsDocuments", "meansOfControlOther",
    "meansOfControlNotSpecified", "meansOfControlConcatenated", "isForcedLabour", "isSexualExploit",
    "isOtherExploit", "isSexAndLabour", "isForcedMarriage", "isForcedMilitary", "isOrganRemoval",
    "typeOfExploitConcatenated", "typeOfLabourAgriculture", "typeOfLabourAquafarming", "typeOfLabourBegging",
    "typeOfLabourConstruction", "typeOfLabourDomesticWork", "typeOfLabourHospitality",
    "typeOfLabourIllicitActivities", "typeOfLabourManufacturing", "typeOfLabourMiningOrDrilling",
    "typeOfLabourPeddling", "typeOfLabourTransportation", "typeOfLabourOther", "typeOfLabourNotSpecified",
    "typeOfLabourConcatenated", "typeOfSexProstitution", "typeOfSexPornography",
    "typeOfSexRemoteInteractiveServices", "typeOfSexPrivateSexualServices", "typeOfSexConcatenated",
    "isAbduction", "RecruiterRelationship", "CountryOfExploitation", "recruiterRelationIntimatePartner",
    "recruiterRelationFriend", "recruiterRelationFamily", "recruiterRelationOther", "recruiterRelationUnknown",
]
GLOBAL_2020_REQUIRED = {"yearOfRegistration", "gender", "ageBroad", "citizenship", "isForcedLabour",
                        "isSexualExploit"}
# Appendix II of the 2024 codebook: the 2024 flag is 1 when any of its older flags is 1.
GLOBAL_2020_MERGE = {
    "meansDebtBondageEarnings": ["meansOfControlDebtBondage", "meansOfControlTakesEarnings"],
    "meansThreats": ["meansOfControlThreats", "meansOfControlUsesChildren", "meansOfControlThreatOfLawEnforcement"],
    "meansAbusePsyPhySex": ["meansOfControlPsychologicalAbuse", "meansOfControlPhysicalAbuse",
                            "meansOfControlSexualAbuse"],
    "meansFalsePromises": ["meansOfControlFalsePromises"],
    "meansDrugsAlcohol": ["meansOfControlPsychoactiveSubstances"],
    "meansDenyBasicNeeds": ["meansOfControlRestrictsFinancialAccess", "meansOfControlRestrictsMovement",
                            "meansOfControlRestrictsMedicalCare", "meansOfControlWithholdsNecessities"],
    "meansExcessiveWorkHours": ["meansOfControlExcessiveWorkingHours"],
    "meansWithholdDocs": ["meansOfControlWithholdsDocuments"],
    "isForcedLabour": ["isForcedLabour"],
    "isSexualExploit": ["isSexualExploit"],
    "isOtherExploit": ["isOtherExploit", "isForcedMarriage", "isForcedMilitary", "isOrganRemoval"],
    "typeOfLabourAgriculture": ["typeOfLabourAgriculture"],
    "typeOfLabourConstruction": ["typeOfLabourConstruction"],
    "typeOfLabourDomesticWork": ["typeOfLabourDomesticWork"],
    "typeOfLabourHospitality": ["typeOfLabourHospitality"],
    "typeOfSexProstitution": ["typeOfSexProstitution"],
    "typeOfSexPornography": ["typeOfSexPornography"],
    "recruiterRelationIntimatePartner": ["recruiterRelationIntimatePartner"],
    "recruiterRelationFriend": ["recruiterRelationFriend"],
    "recruiterRelationFamily": ["recruiterRelationFamily"],
    "recruiterRelationOther": ["recruiterRelationOther"],
}
GLOBAL_2020_GENDERS = {"Female": ctdc.GENDER_WOMAN, "Male": ctdc.GENDER_MAN,
                       "Transgender/NonConforming": ctdc.GENDER_TRANS}
MISSING_2020 = {"", "-99", "Unknown", "NA", "NULL"}

# --- the recoded extract (derived_gh-mrmoore_trafficking_cleaned.csv) -------------------------------

RECODED_COLUMNS = ["yearOfRegistration", "Datasource", "gender", "citizenship", "isForcedLabour",
                   "ControlCategory", "RecruiterCategory", "ExploitType", "Labor_Type", "ageCategories"]
RECODED_VALUES = {
    "Datasource": {"Case Management", "Hotline"},
    "ControlCategory": {"Other", "Threats", "Financial", "Physical", "Survival"},
    "RecruiterCategory": {"Not Specified", "Other", "Intimate Partner", "Family/Relative", "Friend/Acquaintance"},
    "ExploitType": {"Sexual Exploitation", "Forced Labor", "Other", "Forced Marriage"},
    "Labor_Type": {"Unknown", "Construction", "Manufacturing", "Domestic Work", "Other", "Aquafarming",
                   "Begging", "Agriculture", "Peddling", "Hospitality"},
}
RECODED_EXPLOIT = {"Sexual Exploitation": "isSexualExploit", "Forced Labor": "isForcedLabour",
                   "Other": "isOtherExploit", "Forced Marriage": "isOtherExploit"}
RECODED_CONTROL = {"Threats": "meansThreats", "Physical": "meansAbusePsyPhySex",
                   "Financial": "meansDebtBondageEarnings", "Survival": "meansDenyBasicNeeds"}
RECODED_RECRUITER = {"Intimate Partner": "recruiterRelationIntimatePartner",
                     "Family/Relative": "recruiterRelationFamily", "Friend/Acquaintance": "recruiterRelationFriend",
                     "Other": "recruiterRelationOther"}
RECODED_LABOUR = {"Construction": "typeOfLabourConstruction", "Domestic Work": "typeOfLabourDomesticWork",
                  "Agriculture": "typeOfLabourAgriculture", "Hospitality": "typeOfLabourHospitality"}


class CtdcFormatError(ValueError):
    """The file is not a CTDC file Sintas knows, or has values outside the codebook."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


# The order of the values of a parsed row (tuples: a full CTDC file holds some 200,000 rows).
RECORD_FIELDS = ("year", "gender", "age_band", "citizenship", "country_of_exploitation", "traffick_months",
                 "data_source", *FLAG_FIELDS.values(), "extra")


@dataclass
class Parsed:
    shape: str
    sha256: str
    rows: list[tuple[Any, ...]] = field(default_factory=list)

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(RECORD_FIELDS, row, strict=True)) for row in self.rows]


def _empty_record() -> dict[str, Any]:
    record: dict[str, Any] = {"year": None, "gender": "", "age_band": "", "citizenship": "",
                              "country_of_exploitation": "", "traffick_months": "", "data_source": "", "extra": {}}
    record.update({name: None for name in FLAG_FIELDS.values()})
    return record


class _Row:
    """Validation helpers for one row, collecting errors with the line number."""

    def __init__(self, line: int, errors: list[str]) -> None:
        self.line = line
        self.errors = errors

    def bad(self, column: str, value: str) -> None:
        self.errors.append(_("Line %(line)d, column %(column)s: unknown value %(value)r.")
                           % {"line": self.line, "column": column, "value": value[:40]})

    def year(self, value: str, missing: set[str]) -> int | None:
        value = value.strip()
        if value in missing:
            return None
        if value.isdigit() and 1990 <= int(value) <= 2100:
            return int(value)
        self.bad("yearOfRegistration", value)
        return None


def _flag_2024(row: _Row, column: str, value: str) -> bool | None:
    value = value.strip()
    if value in ("", ctdc.NULL, "NA"):
        return None
    if value in ("1", "1.0", "True", "true"):
        return True
    if value in ("0", "0.0", "False", "false"):
        return False
    row.bad(column, value)
    return None


def _flag_2020(row: _Row, column: str, value: str) -> bool | None:
    value = value.strip()
    if value in MISSING_2020:
        return None
    if value in ("1", "1.0", "True", "true"):
        return True
    if value in ("0", "0.0", "False", "false"):
        return False
    row.bad(column, value)
    return None


def _country_alpha3(row: _Row, column: str, value: str) -> str:
    value = value.strip().upper()
    if value in ("", ctdc.NULL, "NA"):
        return ""
    if value in ctdc.ALPHA3_VALUES:
        return value
    row.bad(column, value)
    return ""


def _country_alpha2(row: _Row, column: str, value: str) -> str:
    value = value.strip().upper()
    if value in MISSING_2020 | {"0", "00", "-99", "UNKNOWN"}:
        return ""
    if value in ctdc.ALPHA3:
        return ctdc.ALPHA3[value]
    row.bad(column, value)
    return ""


def _age(row: _Row, column: str, value: str, missing: set[str]) -> str:
    if value.strip() in missing:
        return ""
    band = ctdc.age_from_ctdc(value)
    if band is None:
        row.bad(column, value)
        return ""
    return band


def _parse_2024(row: _Row, data: dict[str, str]) -> dict[str, Any]:
    record = _empty_record()
    record["year"] = row.year(data["yearOfRegistration"], {"", ctdc.NULL})
    gender = data["gender"].strip()
    if gender not in ("", ctdc.NULL):
        if gender in ctdc.GENDERS:
            record["gender"] = gender
        else:
            row.bad("gender", gender)
    record["age_band"] = _age(row, "ageBroad", data["ageBroad"], {"", ctdc.NULL})
    record["citizenship"] = _country_alpha3(row, "citizenship", data["citizenship"])
    record["country_of_exploitation"] = _country_alpha3(row, "CountryOfExploitation", data["CountryOfExploitation"])
    months = data["traffickMonths"].strip()
    if months not in ("", ctdc.NULL):
        normalised = ctdc.months_from_ctdc(months)
        if normalised is None:
            row.bad("traffickMonths", months)
        else:
            record["traffick_months"] = normalised
    for flag, model_field in FLAG_FIELDS.items():
        record[model_field] = _flag_2024(row, flag, data[flag])
    return record


def _merge(values: list[bool | None]) -> bool | None:
    if any(v is True for v in values):
        return True
    if any(v is False for v in values):
        return False
    return None


def _parse_2020(row: _Row, data: dict[str, str]) -> dict[str, Any]:
    record = _empty_record()
    record["year"] = row.year(data["yearOfRegistration"], MISSING_2020)
    record["data_source"] = data.get("Datasource", "").strip()[:40]
    gender = data["gender"].strip()
    if gender not in MISSING_2020:
        if gender in GLOBAL_2020_GENDERS:
            record["gender"] = GLOBAL_2020_GENDERS[gender]
        else:
            row.bad("gender", gender)
    record["age_band"] = _age(row, "ageBroad", data["ageBroad"], MISSING_2020)
    record["citizenship"] = _country_alpha2(row, "citizenship", data["citizenship"])
    if "CountryOfExploitation" in data:
        record["country_of_exploitation"] = _country_alpha2(row, "CountryOfExploitation",
                                                            data["CountryOfExploitation"])
    for flag, sources in GLOBAL_2020_MERGE.items():
        values = [_flag_2020(row, column, data[column]) for column in sources if column in data]
        record[FLAG_FIELDS[flag]] = _merge(values)
    return record


def _parse_recoded(row: _Row, data: dict[str, str]) -> dict[str, Any]:
    record = _empty_record()
    record["year"] = row.year(data["yearOfRegistration"], MISSING_2020)
    for column, allowed in RECODED_VALUES.items():
        if data[column].strip() not in allowed:
            row.bad(column, data[column])
    record["data_source"] = data["Datasource"].strip()
    gender = data["gender"].strip()
    if gender in GLOBAL_2020_GENDERS:
        record["gender"] = GLOBAL_2020_GENDERS[gender]
    elif gender not in MISSING_2020:
        row.bad("gender", gender)
    record["age_band"] = _age(row, "ageCategories", data["ageCategories"], MISSING_2020)
    record["citizenship"] = _country_alpha2(row, "citizenship", data["citizenship"])
    # The extract gives one type of exploitation per record: that flag is 1, the other two 0.
    exploit = RECODED_EXPLOIT.get(data["ExploitType"].strip())
    if exploit:
        for flag in ctdc.EXPLOIT_FLAGS:
            record[FLAG_FIELDS[flag]] = flag == exploit
    forced = _flag_2020(row, "isForcedLabour", data["isForcedLabour"])
    if forced is True:
        record["is_forced_labour"] = True
    control = RECODED_CONTROL.get(data["ControlCategory"].strip())
    if control:
        record[FLAG_FIELDS[control]] = True
    recruiter = RECODED_RECRUITER.get(data["RecruiterCategory"].strip())
    if recruiter:
        record[FLAG_FIELDS[recruiter]] = True
    labour = RECODED_LABOUR.get(data["Labor_Type"].strip())
    if labour:
        record[FLAG_FIELDS[labour]] = True
    record["extra"] = {"ExploitType": data["ExploitType"].strip(), "Labor_Type": data["Labor_Type"].strip(),
                       "ControlCategory": data["ControlCategory"].strip(),
                       "RecruiterCategory": data["RecruiterCategory"].strip()}
    return record


def detect_shape(header: list[str]) -> str:
    """The shape of a file from its header, or CtdcFormatError naming what is wrong."""
    names = [ctdc.VARIABLE_ALIASES.get(h, h) for h in header]
    as_set = set(names)
    if len(as_set) != len(names):
        raise CtdcFormatError([_("The header repeats a column.")])
    if as_set == set(RECODED_COLUMNS):
        return CtdcSource.Shape.GLOBAL_2020_RECODED
    if as_set & {"traffickMonths", "meansDebtBondageEarnings", "ageBroad"} and "meansOfControlDebtBondage" not in as_set \
            and "Datasource" not in as_set:
        missing = [v for v in ctdc.VARIABLES if v not in as_set]
        unknown = [h for h in header if ctdc.VARIABLE_ALIASES.get(h, h) not in ctdc.VARIABLES]
        problems = []
        if unknown:
            problems.append(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
        if missing:
            problems.append(_("Missing columns of the 2024 Global Synthetic Dataset: %(columns)s.")
                            % {"columns": ", ".join(missing)})
        if problems:
            raise CtdcFormatError(problems)
        return CtdcSource.Shape.SYNTHETIC_2024
    if as_set & set(GLOBAL_2020_COLUMNS) - {"yearOfRegistration"}:
        unknown = [h for h in header if h not in GLOBAL_2020_COLUMNS]
        missing = sorted(GLOBAL_2020_REQUIRED - as_set)
        problems = []
        if unknown:
            problems.append(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
        if missing:
            problems.append(_("Missing columns of the CTDC Global Dataset: %(columns)s.")
                            % {"columns": ", ".join(missing)})
        if problems:
            raise CtdcFormatError(problems)
        return CtdcSource.Shape.GLOBAL_2020
    raise CtdcFormatError([_("This is not a CTDC data file Sintas knows (the 2024 Global Synthetic Dataset, "
                             "the Global Dataset of 2017-2020, or its recoded extract). Columns found: %(columns)s.")
                           % {"columns": ", ".join(header[:12])}])


PARSERS: dict[str, Callable[[_Row, dict[str, str]], dict[str, Any]]] = {
    CtdcSource.Shape.SYNTHETIC_2024: _parse_2024,
    CtdcSource.Shape.GLOBAL_2020: _parse_2020,
    CtdcSource.Shape.GLOBAL_2020_RECODED: _parse_recoded,
}


def parse(raw: bytes) -> Parsed:
    """Parse and validate a whole file; raise CtdcFormatError listing the problems found."""
    if len(raw) > MAX_FILE_BYTES:
        raise CtdcFormatError([_("The file is larger than %(mb)d MB.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)}])
    sha256 = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise CtdcFormatError([_("The file is not text (UTF-8 or Windows-1252).")]) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration as exc:
        raise CtdcFormatError([_("The file is empty.")]) from exc
    shape = detect_shape(header)
    names = [ctdc.VARIABLE_ALIASES.get(h, h) for h in header]
    parser = PARSERS[shape]
    errors: list[str] = []
    rows = []
    for line, values in enumerate(reader, start=2):
        if not values or all(not v.strip() for v in values):
            continue
        if len(values) != len(names):
            errors.append(_("Line %(line)d has %(found)d values; the header has %(expected)d.")
                          % {"line": line, "found": len(values), "expected": len(names)})
        else:
            record = parser(_Row(line, errors), dict(zip(names, values, strict=True)))
            rows.append(tuple(record[f] for f in RECORD_FIELDS))
        if len(errors) >= MAX_ERRORS:
            errors.append(_("Stopped after %(n)d problems.") % {"n": MAX_ERRORS})
            break
    if errors:
        raise CtdcFormatError(errors)
    if not rows:
        raise CtdcFormatError([_("The file has a header but no records.")])
    return Parsed(shape=shape, sha256=sha256, rows=rows)
