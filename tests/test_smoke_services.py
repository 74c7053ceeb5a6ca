from conftest import Personas


def test_personas_build(personas: Personas) -> None:
    assert personas.case_a.lead_organisation == personas.org_a
    assert personas.case_a.survivor.identity.full_name == "Sari Wulandari"
