"""What can go wrong with the library, as sentences in the user's language.

Each error carries a key of `strings.toml` and its values rather than a finished English
sentence, so the app says it in Russian or English and the CLI in English, from one text.
"""

from __future__ import annotations

from planner.i18n import text
from planner.messages import Message, WordedError
from planner.zone import DataError


def _worded(value: object, lang: str) -> object:
    if isinstance(value, Message):
        return value.text(lang)
    if isinstance(value, DataError | WordedError):
        return value.text(lang)
    return value


class LibraryError(Exception):
    """A request the library refuses (a name too long, an entry not yours); nothing changed."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values

    def message(self, lang: str) -> str:
        # A field is named in the reader's language: «Название», not «name»; a reason that is
        # itself a worded error is worded in the reader's language too.
        values = {
            k: text(f"library_field_{v}", lang) if k == "field" else _worded(v, lang) for k, v in self.values.items()
        }
        return text(self.key, lang, **values)

    def __str__(self) -> str:
        return self.message("en")


class LibraryUnavailable(LibraryError):
    """The database cannot be reached or answered with an error of its own; the planner goes
    on without the library, and the cause is in the server's log."""

    def __init__(self, cause: str = "") -> None:
        super().__init__("library_unavailable")
        self.cause = cause  # the driver's first line, for logs and the command line; never shown in the app
