"""Keyed hashes of normalised identity values, for finding the same person without decrypting.

A name is normalised as people write Indonesian names differently: lower case, accents and
punctuation stripped, titles and honorifics removed (Bapak, Ibu, Hj., Dr., S.Pd. ...), "bin" and
"binti" dropped, the old spelling read as the new (oe -> u, dj -> j, tj -> c, sj -> sy, ch -> kh),
the tokens sorted (the order of given names and family names varies). The phonetic key then
collapses doubled letters and drops the vowels after a token's first letter and every silent "h",
so "Woelandari" and "Wulandari", or "Muhammad" and "Mohamad", agree.

Every key is an HMAC with ``SINTAS_HASH_KEY`` (``core.crypto.keyed_hash``) and its own purpose, so
a key of one kind never equals a key of another, and the columns reveal nothing without the key.
"""

from __future__ import annotations

import re
import unicodedata

from core.crypto import keyed_hash
from survivors.linkage import IdentityProbe

TITLES = frozenset({
    "bapak", "bpk", "pak", "ibu", "bu", "sdr", "sdri", "saudara", "saudari", "nona", "nn", "tuan", "tn", "ny",
    "nyonya", "haji", "hajjah", "hj", "h", "kh", "dr", "drs", "dra", "ir", "prof", "spd", "se", "sh", "mh", "st",
    "skm", "amd", "ssos", "spdi", "mpd", "ust", "ustadz", "ustadzah", "mbak", "mas", "kak", "dik", "adik",
    "bin", "binti", "almarhum", "alm",
})
_SPELLING = (("oe", "u"), ("dj", "j"), ("tj", "c"), ("sj", "sy"), ("ch", "kh"), ("ph", "f"), ("q", "k"),
             ("v", "f"), ("x", "ks"))
_VOWELS = re.compile(r"[aeiouy]")
_NOT_LETTER = re.compile(r"[^a-z\s]")

# The columns of survivors.Identity filled from these keys.
COLUMNS = ("name_key_hash", "name_phonetic_hash", "name_tokens_hash", "birth_date_hash", "birth_year_hash",
           "region_hash")


def name_tokens(name: str) -> list[str]:
    """The normalised tokens of a name, sorted, without titles."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace(".", "").replace("'", "").replace("`", "")  # "S.Pd." -> "spd", "Ma'ruf" -> "maruf"
    text = _NOT_LETTER.sub(" ", text)
    tokens = [t for t in text.split() if t not in TITLES]
    spelled = []
    for token in tokens:
        for old, new in _SPELLING[:5]:
            token = token.replace(old, new)
        spelled.append(token)
    return sorted(spelled)


def phonetic(token: str) -> str:
    """A rough phonetic key of one normalised token."""
    for old, new in _SPELLING[5:]:
        token = token.replace(old, new)
    if not token:
        return ""
    head, tail = token[0], token[1:]
    tail = tail.replace("h", "")
    tail = _VOWELS.sub("", tail)
    key = head
    for ch in tail:
        if ch != key[-1]:
            key += ch
    return key


def _h(value: str, purpose: str) -> str:
    return keyed_hash(value, purpose=f"linkage:{purpose}") if value else ""


def token_hash(token: str) -> str:
    return _h(token, "name_token")[:16]


def keys_for(probe: IdentityProbe) -> dict[str, str]:
    """The values of the vault's linkage columns for these identity values."""
    tokens = name_tokens(probe.full_name)
    region = f"R:{probe.regency_code}" if probe.regency_code else (f"P:{probe.province_code}" if probe.province_code else "")
    return {
        "name_key_hash": _h(" ".join(tokens), "name"),
        "name_phonetic_hash": _h(" ".join(sorted(phonetic(t) for t in tokens)), "name_phonetic"),
        "name_tokens_hash": " ".join(sorted({token_hash(t) for t in tokens})),
        "birth_date_hash": _h(probe.birth_date.isoformat() if probe.birth_date else "", "birth_date"),
        "birth_year_hash": _h(str(probe.birth_date.year) if probe.birth_date else "", "birth_year"),
        "region_hash": _h(region, "region"),
    }
