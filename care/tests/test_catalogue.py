from __future__ import annotations

from django.core.management import call_command

from care.models import Service, TimeLimitRule
from core.choices import Domain

PP_9_2008 = {"health_rehabilitation", "social_rehabilitation", "repatriation", "social_reintegration", "legal_aid"}


def test_the_five_integrated_services_of_pp_9_2008_are_loaded(db: None) -> None:
    integrated = set(Service.objects.filter(category=Service.Category.INTEGRATED).values_list("code", flat=True))
    assert integrated == PP_9_2008
    assert all("PP 9/2008" in s.legal_source for s in Service.objects.filter(code__in=PP_9_2008))


def test_recovery_services_of_uu_12_2022_and_the_police_act(db: None) -> None:
    recovery = set(Service.objects.filter(category=Service.Category.RECOVERY).values_list("code", flat=True))
    assert {"psychological_support", "spiritual_guidance", "safe_housing", "education", "civil_documents",
            "transport", "living_costs", "economic_empowerment", "medical_care", "legal_support",
            "sexual_content_removal", "periodic_monitoring", "community_support",
            "restitution_facilitation"} <= recovery
    act = Service.objects.get(code="police_report_forwarded")
    assert act.category == Service.Category.ACT and "Pasal 41" in act.legal_source


def test_every_service_serves_known_domains_and_has_both_names(db: None) -> None:
    for service in Service.objects.all():
        assert service.domains and set(service.domains) <= set(Domain.values), service.code
        assert service.name_id and service.name_en and service.legal_source


def test_time_limit_rules_are_data_with_legal_sources(db: None) -> None:
    rules = {r.code: r for r in TimeLimitRule.objects.all()}
    assert rules["services_after_application"].legal_source == "UU 21/2007 Pasal 52"
    assert rules["first_aid_urgent"].legal_source == "UU 21/2007 Pasal 53"
    assert rules["police_report_forwarding"].legal_source == "UU 12/2022 Pasal 41"
    assert (rules["police_report_forwarding"].duration_value, rules["police_report_forwarding"].duration_unit) == (
        72, "hours")


def test_reloading_the_catalogue_is_idempotent(db: None) -> None:
    before = Service.objects.count(), TimeLimitRule.objects.count()
    Service.objects.filter(code="legal_aid").update(name_en="changed")
    call_command("load_care_catalogue", verbosity=0)
    assert (Service.objects.count(), TimeLimitRule.objects.count()) == before
    assert Service.objects.get(code="legal_aid").name_en == "Legal aid"
