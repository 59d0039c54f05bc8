"""Every string exists in both languages; numbers follow each language's conventions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from planner import i18n

SOURCE = Path(__file__).resolve().parents[1] / "src" / "planner"


def test_every_string_has_russian_and_english() -> None:
    for key, entry in i18n.strings().items():
        assert set(entry) == set(i18n.LANGUAGES), key
        assert all(entry[lang].strip() for lang in i18n.LANGUAGES), key
        fields = {lang: set(re.findall(r"{(\w+)}", entry[lang])) for lang in i18n.LANGUAGES}
        assert fields["ru"] == fields["en"], f"{key}: placeholders differ"


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
