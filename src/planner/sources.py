"""Source notes in the reader's language: the data keeps each note as published (English,
with its citations), and `sources_ru.csv` beside the data gives each note's Russian. A note
the table does not know — an uploaded file's own — is shown as it was written.
"""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from pathlib import Path

from planner.data import data_dir

TABLE = "sources_ru.csv"
MAX_TABLE_BYTES = 1024 * 1024


@lru_cache(maxsize=8)
def _table(path: str, stamp: float) -> dict[str, str]:
    del stamp  # part of the cache key: an edited table is read again
    file = Path(path)
    if not file.is_file() or file.stat().st_size > MAX_TABLE_BYTES:
        return {}
    rows = csv.DictReader(io.StringIO(file.read_text(encoding="utf-8")))
    return {row["en"]: row["ru"] for row in rows if row.get("en") and row.get("ru")}


def translations(folder: Path | None = None) -> dict[str, str]:
    """English note → Russian note, from the data folder's table (empty if it has none)."""
    file = (folder or data_dir()) / TABLE
    stamp = file.stat().st_mtime if file.is_file() else 0.0
    return _table(str(file), stamp)


def source_text(source: str, lang: str, folder: Path | None = None) -> str:
    """`source` in `lang`: its Russian from the table, or the note as written."""
    if lang != "ru":
        return source
    return translations(folder).get(source, source)
