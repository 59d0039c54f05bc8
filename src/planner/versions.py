"""The versions a result depends on besides its scenario: the app's release and the model's.

The data's version is its digest (`Dataset.digest`); the model's is bumped by hand whenever a
change moves any result for the same data and scenario, so a saved scenario can say that it
was computed differently, not only with other data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import metadata

# 1: the first planner; 2: Monte Carlo and tornado; 3: the forecast from the jump-off and
# zones together as a sum of runs; 4: capacity caps and the sites' project pipeline;
# 5: the Monte Carlo on scrambled Sobol' points (the same seed now gives other draws).
MODEL_VERSION = "5"
DISTRIBUTION = "technopolis-planner"
# What a link, file or stored version may give as the data's and the model's versions.
DATA_VERSION_PATTERN = re.compile(r"[0-9a-f]{8,64}")
MODEL_VERSION_PATTERN = re.compile(r"[0-9A-Za-z.]{1,16}")


def app_version() -> str:
    """The installed release, or a marker when run from a tree that was never installed."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "0+unknown"


@dataclass(frozen=True)
class Made:
    """The data and model a link, file or saved version was made with."""

    data_version: str  # the data's digest, or its first eight hex digits in a link
    model_version: str

    def differs(self, digest: str) -> bool:
        """Whether opening it on the data of `digest` computes with other data or another model."""
        return not digest.startswith(self.data_version) or self.model_version != MODEL_VERSION
