"""What the library stores and returns: plain frozen values, no database objects."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from planner.library.limits import OWNER_LENGTH


@dataclass(frozen=True)
class Identity:
    """Who saves or changes an entry. `owner` is the key entries are owned by: the OpenID
    subject when the host signs people in (`verified`), otherwise the typed name folded."""

    owner: str
    name: str
    verified: bool


def owner_key(kind: str, value: str) -> str:
    """The key an owner is stored under: `kind:value`, or `kind:sha256(value)` when that
    would not fit the column (casefolding can make a name three times longer)."""
    key = f"{kind}:{value}"
    if len(key) <= OWNER_LENGTH:
        return key
    return f"{kind}:sha256:{hashlib.sha256(value.encode('utf-8', 'surrogatepass')).hexdigest()}"


@dataclass(frozen=True)
class ZoneFile:
    """An uploaded zone file a version was saved on, so it reopens on the same data."""

    name: str
    content: bytes


@dataclass(frozen=True)
class Draft:
    """A scenario about to be saved: its file, what it was computed with, its results."""

    scenario: str  # the scenario file's JSON (planner.links.to_file)
    zone: str
    preset: str
    data_version: str  # the data's full SHA-256
    results: str  # the headline's numbers (planner.library.snapshot), JSON
    zone_file: ZoneFile | None = None


@dataclass(frozen=True)
class Entry:
    id: str
    name: str
    author: str
    owner: str
    zone: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version_count: int
    latest_version_id: str
    archived: bool


@dataclass(frozen=True)
class VersionHead:
    """A version without its scenario: what a list of versions shows."""

    id: str
    entry_id: str
    number: int
    author: str
    created_at: datetime.datetime
    note: str
    zone: str
    preset: str
    data_version: str
    model_version: str
    app_version: str


@dataclass(frozen=True)
class Version:
    head: VersionHead
    entry_name: str
    scenario: str
    results: str
    zone_file: ZoneFile | None


@dataclass(frozen=True)
class Annotation:
    author: str
    created_at: datetime.datetime
    text: str


@dataclass(frozen=True)
class Page:
    """One page of a listing and how many entries match in all."""

    entries: tuple[Entry, ...]
    total: int
