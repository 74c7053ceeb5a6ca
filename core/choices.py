"""Value lists used at intake. Where HTCDS 2.0 has a picklist, its value names are stored as they
are (see ``core/data/htcds/``), so an HTCDS export is a mapping, not a rewrite. The Indonesian legal
lists follow UU 21/2007 Pasal 1 (process, means, purpose) and the ILO forced-labour indicators."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")
    UNKNOWN = "unknown", _("not stated")


# HTCDS gender picklist values for each of ours (used by exports).
SEX_TO_HTCDS = {"female": "Feminine", "male": "Masculine", "unknown": "NonSpecifiedUnknown"}


class AgeBand(models.TextChoices):
    """The CTDC age brackets, so statistics line up with the global dataset."""

    A0_8 = "0-8", "0–8"
    A9_17 = "9-17", "9–17"
    A18_20 = "18-20", "18–20"
    A21_23 = "21-23", "21–23"
    A24_26 = "24-26", "24–26"
    A27_29 = "27-29", "27–29"
    A30_38 = "30-38", "30–38"
    A39_47 = "39-47", "39–47"
    A48 = "48+", "48+"
    UNKNOWN = "unknown", _("unknown")


CHILD_AGE_BANDS = {AgeBand.A0_8, AgeBand.A9_17}


def age_band_for(age: int) -> str:
    bounds = [(8, "0-8"), (17, "9-17"), (20, "18-20"), (23, "21-23"), (26, "24-26"), (29, "27-29"), (38, "30-38"), (47, "39-47")]
    for upper, band in bounds:
        if age <= upper:
            return band
    return "48+"


class Channel(models.TextChoices):
    POLICE = "police", _("police")
    KP2MI = "kp2mi", _("KP2MI/BP2MI")
    KEMLU = "kemlu", _("Kemlu repatriation")
    SAPA129 = "sapa129", _("SAPA 129 hotline")
    NGO_OUTREACH = "ngo_outreach", _("NGO outreach")
    FAMILY = "family", _("family")
    COMMUNITY = "community", _("community")
    SELF = "self", _("self-referral")


class TppoProcess(models.TextChoices):
    """UU 21/2007 Pasal 1 angka 1: the process element (proses)."""

    RECRUITMENT = "recruitment", _("recruitment")
    TRANSPORT = "transport", _("transport")
    HARBOURING = "harbouring", _("harbouring")
    SENDING = "sending", _("sending")
    TRANSFER = "transfer", _("transfer")
    RECEIPT = "receipt", _("receipt")


class TppoMeans(models.TextChoices):
    """The means element (cara). Not required when the survivor was a child (Pasal 1, UU 21/2007)."""

    THREAT = "threat_of_violence", _("threat of violence")
    VIOLENCE = "violence", _("use of violence")
    ABDUCTION = "abduction", _("abduction")
    CONFINEMENT = "confinement", _("confinement")
    FORGERY = "forgery", _("forgery")
    DECEPTION = "deception", _("deception")
    ABUSE_OF_POWER = "abuse_of_power", _("abuse of power")
    VULNERABILITY = "abuse_of_vulnerability", _("abuse of a position of vulnerability")
    DEBT_BONDAGE = "debt_bondage", _("debt bondage")
    PAYMENTS = "payments_or_benefits", _("giving payments or benefits")


class TppoPurpose(models.TextChoices):
    """The purpose element (tujuan): exploitation."""

    PROSTITUTION = "prostitution", _("prostitution")
    FORCED_LABOUR = "forced_labour", _("forced labour or services")
    SLAVERY = "slavery", _("slavery or similar practices")
    OPPRESSION = "oppression", _("oppression")
    EXTORTION = "extortion", _("extortion")
    SEXUAL_USE = "sexual_use", _("physical or sexual use")
    ORGAN_REMOVAL = "organ_removal", _("removal of organs or tissue")


class IloIndicator(models.TextChoices):
    """The ILO's 11 indicators of forced labour, used as a screening checklist."""

    VULNERABILITY = "abuse_of_vulnerability", _("abuse of vulnerability")
    DECEPTION = "deception", _("deception")
    MOVEMENT = "restriction_of_movement", _("restriction of movement")
    ISOLATION = "isolation", _("isolation")
    VIOLENCE = "physical_sexual_violence", _("physical and sexual violence")
    THREATS = "intimidation_threats", _("intimidation and threats")
    DOCUMENTS = "retention_of_documents", _("retention of identity documents")
    WAGES = "withholding_of_wages", _("withholding of wages")
    DEBT = "debt_bondage", _("debt bondage")
    CONDITIONS = "abusive_conditions", _("abusive working and living conditions")
    OVERTIME = "excessive_overtime", _("excessive overtime")


class ExploitationType(models.TextChoices):
    """HTCDS picklist ``typeofexploitation``."""

    FORCED_LABOUR = "ForcedLabour", _("forced labour")
    SEXUAL = "SexualExploitation", _("sexual exploitation")
    CHILD_LABOUR = "ChildLabour", _("child labour")
    FORCED_MARRIAGE = "ForcedMarriage", _("forced marriage")
    SERVITUDE = "Servitude", _("servitude")
    MILITARY = "ForcedMilitaryByNonStateActors", _("forced military service (by non-state actors)")
    ORGAN = "OrganRemoval", _("organ removal")
    BEGGING = "ForcedBegging", _("forced begging")
    ADOPTION = "ForcedAdoption", _("forced adoption")
    SURROGACY = "Surrogacy", _("surrogacy")
    OTHER = "Other", _("other")


class ForcedLabourIndustry(models.TextChoices):
    """HTCDS picklist ``forcedlabourindustry`` (ISIC Rev. 4 sections)."""

    A = "A_AgricultureForestryAndFishing", _("agriculture, forestry and fishing")
    B = "B_MiningAndQuarrying", _("mining and quarrying")
    C = "C_Manufacturing", _("manufacturing")
    D = "D_ElectricityGasSteamAndAirConditioningSupply", _("electricity, gas, steam and air conditioning")
    E = "E_WaterSupplySewerageWasteManagement", _("water supply, sewerage and waste management")
    F = "F_Construction", _("construction")
    G = "G_WholesaleAndRetailTradeRepairOfMotorVehicles", _("wholesale and retail trade")
    H = "H_TransportationAndStorage", _("transportation and storage")
    I = "I_AccommodationAndFoodServiceActivities", _("accommodation and food service")  # noqa: E741
    J = "J_InformationAndCommunication", _("information and communication")
    K = "K_FinancialAndInsuranceActivities", _("financial and insurance activities")
    L = "L_RealEstateActivities", _("real estate activities")
    M = "M_ProfessionalScientificAndTechnicalActivities", _("professional, scientific and technical activities")
    N = "N_AdministrativeAndSupportServiceActivities", _("administrative and support services")
    O = "O_PublicAdministrationAndDefence", _("public administration and defence")  # noqa: E741
    P = "P_Education", _("education")
    Q = "Q_HumanHealthAndSocialWorkActivities", _("human health and social work")
    R = "R_ArtsEntertainmentAndRecreation", _("arts, entertainment and recreation")
    S = "S_OtherServiceActivities", _("other service activities")
    T = "T_ActivitiesOfHouseholdsAsEmployers", _("households as employers (domestic work)")
    U = "U_ActivitiesOfExtraterritorialOrganizations", _("extraterritorial organisations")


class RecruitmentMethod(models.TextChoices):
    """HTCDS picklist ``methodofrecruitment``."""

    BUSINESS = "AtAPlaceOfBusiness", _("at a place of business")
    EDUCATION = "AtAnEducationalInstitution", _("at an educational institution")
    WORK = "AtWork", _("at work")
    SOCIAL_NETWORKS = "ThroughOnlineSocialNetworks", _("through online social networks")
    ONLINE_AD = "ThroughAnOnlineAdvertisement", _("through an online advertisement")
    TV_AD = "ThroughATelevisionAdvert", _("through a television advert")
    NEWSPAPER_AD = "ThroughANewspaperAdvert", _("through a newspaper advert")
    FAMILY = "ThroughFamilyOrFamilyEvents", _("through family or family events")
    FRIENDS = "ThroughFriendsOrSocialEvents", _("through friends or social events")
    OTHER = "Other", _("other")


class RecruiterRelation(models.TextChoices):
    """The recruiter's relation to the survivor (the CTDC recruiter flags)."""

    INTIMATE_PARTNER = "intimate_partner", _("intimate partner")
    FRIEND = "friend", _("friend")
    FAMILY = "family", _("family member")
    AGENT = "agent", _("broker or agent (sponsor, calo)")
    OTHER = "other", _("other")
    UNKNOWN = "unknown", _("unknown")


class TraffickingStatus(models.TextChoices):
    """HTCDS picklist ``traffickingstatus``; the glossary's diduga korban / korban / bukan korban."""

    POSSIBLE = "PossibleVictimOfTrafficking", _("possible victim of trafficking")
    ACTUAL = "ActualVictimOfTrafficking", _("victim of trafficking")
    NOT_A_VICTIM = "NotAVictimOfTrafficking", _("not a victim of trafficking")


class StatusDecidedBy(models.TextChoices):
    """HTCDS picklist ``traffickingstatusdecisionmakingorg``."""

    POLICE = "Police", _("police")
    NGO = "NGO", _("NGO")
    COURT = "CourtOrProsecution", _("court or prosecution")
    GOVERNMENT = "NonPoliceGovernmentalOrganization", _("government body other than police")
    OTHER = "Other", _("other")


class Modus(models.TextChoices):
    MIGRANT_WORK = "migrant_work", _("migrant work abroad")
    DOMESTIC_WORK = "domestic_work", _("domestic work")
    SEXUAL = "sexual_exploitation", _("sexual exploitation")
    CHILD = "child_exploitation", _("child exploitation")
    SHIP_CREW = "ship_crew", _("fishing or ship crew")
    ONLINE_SCAM = "online_scam", _("online-scam compound")
    INTERNSHIP = "internship_fraud", _("internship or scholarship fraud")
    FORCED_MARRIAGE = "forced_marriage", _("forced marriage")
    ORGAN = "organ_removal", _("organ removal")
    OTHER = "other", _("other")


class UrgentNeed(models.TextChoices):
    MEDICAL = "medical", _("medical care")
    SHELTER = "shelter", _("shelter")
    SAFETY = "safety", _("safety (threat from traffickers)")


class Domain(models.TextChoices):
    """The six recovery domains (DOMAIN.md section 2), in the order the case file shows them."""

    SAFETY = "safety", _("safety")
    LEGAL = "legal", _("legal protection")
    MENTAL = "mental", _("mental wellbeing")
    ECONOMIC = "economic", _("economic empowerment and education")
    SOCIAL = "social", _("social support")
    PHYSICAL = "physical", _("physical wellbeing")
