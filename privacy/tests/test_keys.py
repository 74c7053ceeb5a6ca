from __future__ import annotations

import datetime as dt
from typing import Any

from privacy.keys import keys_for, name_tokens, phonetic
from survivors.linkage import IdentityProbe


def test_names_normalised_titles_accents_punctuation_order() -> None:
    assert name_tokens("Hj. Siti Nurhaliza, S.Pd.") == ["nurhaliza", "siti"]
    assert name_tokens("Nurhaliza  Siti") == ["nurhaliza", "siti"]
    assert name_tokens("Ibu Sité  Nurhalìza") == ["nurhaliza", "site"]
    assert name_tokens("Ahmad bin Yusuf") == ["ahmad", "yusuf"]
    assert name_tokens("Soekarno Djojo") == ["jojo", "sukarno"]  # the old spelling read as the new


def test_phonetic_keys_agree_on_common_variants() -> None:
    assert phonetic("muhammad") == phonetic("mohamad")
    assert phonetic("wulandari") == phonetic(name_tokens("Woelandari")[0])
    assert phonetic("budi") != phonetic("bayu")


def test_keys_are_keyed_hashes_that_differ_by_kind(settings: Any) -> None:
    probe = IdentityProbe(full_name="Sari Wulandari", birth_date=dt.date(1999, 4, 12), regency_code="53.71")
    keys = keys_for(probe)
    assert keys["name_key_hash"] == keys_for(IdentityProbe(full_name="wulandari, SARI"))["name_key_hash"]
    assert len({keys["name_key_hash"], keys["name_phonetic_hash"], keys["birth_date_hash"], keys["region_hash"]}) == 4
    assert "sari" not in str(keys).lower() and "1999" not in str(keys)
    settings.SINTAS_HASH_KEY = "another key"
    assert keys_for(probe)["name_key_hash"] != keys["name_key_hash"]  # nothing without the key


def test_no_birth_date_no_region_gives_empty_keys() -> None:
    keys = keys_for(IdentityProbe(full_name="Sari"))
    assert keys["birth_date_hash"] == keys["birth_year_hash"] == keys["region_hash"] == ""
