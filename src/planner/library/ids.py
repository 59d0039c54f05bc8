"""Short, unguessable, stable ids for entries and versions: `?s=<id>` in a link.

Twelve characters from 31 letters and digits (no 0/o, 1/l/i look-alikes) give 59 random
bits from the operating system's generator: guessing one saved version among a million
takes about 4 × 10¹¹ tries, each a request to the server.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # 31 characters, URL-safe, none confusable
LENGTH = 12
_ID = re.compile(rf"[{re.escape(ALPHABET)}]{{{LENGTH}}}")


def new_id() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def is_id(value: object) -> bool:
    """Whether `value` can be an id at all: checked before any query reaches the database."""
    return isinstance(value, str) and _ID.fullmatch(value) is not None
