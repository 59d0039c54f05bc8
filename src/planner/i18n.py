"""User-facing text in Russian (default) and English, and number formats per language.

All copy lives in `strings.toml` beside this module, one table per key with `ru` and `en`,
so a translator edits one file and a test checks both languages are complete.
"""

from __future__ import annotations

import math
import tomllib
from functools import cache, lru_cache
from pathlib import Path

from babel import Locale
from babel.numbers import format_decimal

LANGUAGES = ("ru", "en")
DEFAULT_LANGUAGE = "ru"
NBSP = "\u00a0"  # Russian groups thousands with a (non-breaking) space
MINUS = "\u2212"  # the typographic minus the text uses; CLDR's Russian data gives a hyphen
_LOCALES = {"ru": Locale("ru"), "en": Locale("en")}


@cache
def strings() -> dict[str, dict[str, str]]:
    """Every string: `strings.toml` (the app's words) and `messages_*.toml` (errors and
    notices by subject). A key given in two files is an error, not a silent override."""
    catalogue: dict[str, dict[str, str]] = {}
    for path in sorted(Path(__file__).parent.glob("*.toml")):
        if path.name != "strings.toml" and not path.name.startswith("messages_"):
            continue
        entries = tomllib.loads(path.read_text(encoding="utf-8"))
        twice = set(entries) & set(catalogue)
        if twice:
            raise KeyError(f"{path.name} repeats {sorted(twice)[:5]}")
        catalogue.update(entries)
    return catalogue


def text(key: str, lang: str, /, **values: object) -> str:
    """The string `key` in `lang`, with `{name}` fields filled from `values`."""
    entry = strings()[key]
    template = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return template.format(**values) if values else template


def number(value: float, lang: str, decimals: int = 0) -> str:
    """1 234 567,8 in Russian, 1,234,567.8 in English (CLDR's grouping and decimal sign, from
    Babel); an em dash for a missing value; no sign on a value that rounds to zero."""
    if value is None or not math.isfinite(value):
        return "—"
    return _formatted(float(value), lang, decimals)


# A page shows about a hundred numbers, most of them the same from one rerun to the next,
# and Babel takes ≈ 30 µs for each: remembered, a rerun formats only what changed.
@lru_cache(maxsize=8192)
def _formatted(value: float, lang: str, decimals: int) -> str:
    if round(value, decimals) == 0:
        value = 0.0
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    formatted = format_decimal(value, format=pattern, locale=_LOCALES.get(lang, _LOCALES[DEFAULT_LANGUAGE]))
    return formatted.replace("-", MINUS)


def count(value: int, lang: str, noun: str) -> str:
    """A whole number with its noun in the plural form CLDR gives for it: «741 компания»,
    «2 компании», «5 компаний»; «1 company», «741 companies»."""
    locale = _LOCALES.get(lang, _LOCALES[DEFAULT_LANGUAGE])
    form = locale.plural_form(abs(value))
    entry = strings()[f"noun_{noun}"]
    word = entry.get(f"{lang}_{form}") or entry[f"{lang}_other"]
    return f"{number(value, lang)}{NBSP}{word}"


def signed(value: float, lang: str, decimals: int = 0) -> str:
    return ("+" if value >= 0 else "") + number(value, lang, decimals)


def multiple(value: float, lang: str, decimals: int = 2) -> str:
    return number(value, lang, decimals) + "×"


def million_m2(value_m2: float, lang: str, decimals: int = 2) -> str:
    return f"{number(value_m2 / 1e6, lang, decimals)} {text('unit_million_m2', lang)}"


def percent(value: float, lang: str, decimals: int = 1) -> str:
    return f"{number(value, lang, decimals)}{NBSP}%"


def probability_error(error: float, lang: str) -> str:
    """A probability's standard error (a share) in percentage points: «± 0,2 п. п.»."""
    return text("probability_error", lang, error=number(100 * error, lang, 1))


def year(value: float | None, lang: str) -> str:
    """A (fractional) year as the calendar year it falls in; a dash when never reached."""
    if value is None:
        return text("never", lang)
    return str(math.ceil(value - 1e-9))
