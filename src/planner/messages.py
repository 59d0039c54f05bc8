"""Messages worded in the reader's language: an error or a notice carries a key of the
message catalogue (`strings.toml` and `messages_*.toml` beside this module) and its values,
and is worded when shown — in Russian in the app by default, in English in logs, in `str()`
and on the command line unless asked otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner import i18n


@dataclass(frozen=True)
class Message:
    key: str
    values: tuple[tuple[str, object], ...] = ()

    def text(self, lang: str) -> str:
        """The message in `lang`; a value that is itself a Message is worded in `lang` too."""
        values = {name: value.text(lang) if isinstance(value, Message) else value for name, value in self.values}
        return i18n.text(self.key, lang, **values)

    def __str__(self) -> str:
        return self.text("en")


def message(key: str, /, **values: object) -> Message:
    """A message of the catalogue; positional `key`, so a value may itself be named "key"."""
    return Message(key, tuple(values.items()))


Wording = str | Message


def worded(value: Wording, lang: str) -> str:
    """A message in `lang`, or a text that has only one wording (a quoted value, a name)."""
    return value.text(lang) if isinstance(value, Message) else value


class WordedError(ValueError):
    """An error whose words come from the catalogue: `str()` is English, `.text(lang)` any
    language the catalogue has."""

    def __init__(self, wording: Wording) -> None:
        super().__init__(str(wording))
        self.wording = wording

    def text(self, lang: str) -> str:
        return worded(self.wording, lang)
