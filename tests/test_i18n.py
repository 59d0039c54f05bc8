"""Every string exists in both languages; numbers follow each language's conventions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from planner import i18n

SOURCE = Path(__file__).resolve().parents[1] / "src" / "planner"


def test_every_string_has_russian_and_english() -> None:
    for key, entry in i18n.strings().items():
        if key.startswith("noun_"):  # a counted noun: each language's "other" form at least
            assert {f"{lang}_other" for lang in i18n.LANGUAGES} <= set(entry), key
            assert all(k.split("_")[0] in i18n.LANGUAGES for k in entry), key
        else:
            assert set(entry) == set(i18n.LANGUAGES), key
            assert all(entry[lang].strip() for lang in i18n.LANGUAGES), key
            fields = {lang: set(re.findall(r"{(\w+)}", entry[lang])) for lang in i18n.LANGUAGES}
            assert fields["ru"] == fields["en"], f"{key}: placeholders differ"


@pytest.mark.parametrize(
    ("n", "lang", "expected"),
    [
        (741, "ru", "741\u00a0компания"),
        (2, "ru", "2\u00a0компании"),
        (5, "ru", "5\u00a0компаний"),
        (11, "ru", "11\u00a0компаний"),
        (22, "ru", "22\u00a0компании"),
        (1, "en", "1\u00a0company"),
        (741, "en", "741\u00a0companies"),
        (10_000, "ru", "10\u00a0000\u00a0компаний"),
    ],
)
def test_counted_nouns_agree_with_their_number(n: int, lang: str, expected: str) -> None:
    assert i18n.count(n, lang, "companies") == expected


def test_a_value_that_rounds_to_zero_has_no_sign() -> None:
    assert i18n.number(-0.001, "ru", 2) == "0,00"
    assert i18n.number(-1.5, "en", 1) == "\u22121.5"


def test_every_key_the_code_asks_for_exists() -> None:
    used = set()
    for path in SOURCE.rglob("*.py"):
        used |= set(re.findall(r"(?<![.\w])text\(\s*\"(\w+)\"", path.read_text(encoding="utf-8")))
    assert used, "the pattern found no calls"
    assert used <= set(i18n.strings())


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "expected"),
    [
        (1234567, "ru", 0, "1\u00a0234\u00a0567"),
        (1234567, "en", 0, "1,234,567"),
        (3.5, "ru", 1, "3,5"),
        (3.5, "en", 1, "3.5"),
        (-25670, "ru", 0, "−25\u00a0670"),
        (float("nan"), "ru", 0, "—"),
    ],
)
def test_number(value: float, lang: str, decimals: int, expected: str) -> None:
    assert i18n.number(value, lang, decimals) == expected


def test_units_and_years() -> None:
    assert i18n.multiple(3.5, "ru") == "3,50×"
    assert i18n.million_m2(5_600_000, "en") == "5.60 million m²"
    assert i18n.percent(23.2, "ru") == "23,2\u00a0%"
    assert i18n.year(2029.9997, "ru") == "2030"
    assert i18n.year(None, "en") == "not reached"
