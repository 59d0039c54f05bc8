"""The rules for text people type into the library: bounded, one line where it is a name,
no control characters, no lone surrogates. Text is stored as typed (after Unicode NFC) and
shown as plain text by every reader; nothing here escapes markup, because nothing stored is
ever rendered as markup."""

from __future__ import annotations

import unicodedata

from planner.library.errors import LibraryError
from planner.library.limits import AUTHOR_LENGTH, NAME_LENGTH

NOTE_LENGTH = 2_000  # a paragraph or two: what a meeting needs to know of a version
ANNOTATION_LENGTH = 1_000
SEARCH_LENGTH = 100

LIMITS = {"name": NAME_LENGTH, "author": AUTHOR_LENGTH, "note": NOTE_LENGTH, "annotation": ANNOTATION_LENGTH}


def _allowed(character: str, multiline: bool) -> bool:
    if character == "\t":
        return True
    if character == "\n":
        return multiline
    # Cc: controls; Cf: invisible format characters (bidi overrides, zero-width spaces) that
    # can disguise one name as another; Cs: lone surrogates; Co/Cn: private and unassigned
    # code points; Zl/Zp: line breaks a one-line field would hide.
    return unicodedata.category(character) not in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def clean(value: object, field: str, required: bool = True) -> str:
    """`value` as stored, or LibraryError naming the field and the rule it breaks."""
    if not isinstance(value, str):
        raise LibraryError("library_text_type", field=field)
    multiline = field in ("note", "annotation")
    limit = LIMITS[field]
    if len(value) > 4 * limit:  # refuse before normalising: NFC of a huge text costs time
        raise LibraryError("library_text_long", field=field, limit=limit)
    result = unicodedata.normalize("NFC", value.replace("\r\n", "\n")).strip()
    if required and not result:
        raise LibraryError("library_text_empty", field=field)
    if len(result) > limit:
        raise LibraryError("library_text_long", field=field, limit=limit)
    bad = next((c for c in result if not _allowed(c, multiline)), None)
    if bad is not None:
        raise LibraryError("library_text_character", field=field, code=f"U+{ord(bad):04X}")
    if not multiline:
        result = " ".join(result.split())  # runs of spaces and tabs in a name become one
    return result


def folded(*parts: str) -> str:
    """Text as a search compares it: casefolded, so «Рост» finds «РОСТ» on every database."""
    return "\n".join(parts).casefold()


def search_pattern(query: object) -> str | None:
    """A LIKE pattern for `query` with its wildcards escaped, or None for no search."""
    if not isinstance(query, str):
        return None
    words = query.strip()[:SEARCH_LENGTH].casefold()
    if not words:
        return None
    escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
