"""Between the planner's scenarios and the library's versions: a draft to save from what the
page shows, and a saved version back to the data and link it opens with."""

from __future__ import annotations

from dataclasses import dataclass

from planner.data import Dataset
from planner.library import snapshot
from planner.library.errors import LibraryError
from planner.library.records import Draft, Version, ZoneFile
from planner.links import Link, ScenarioFileError, from_file, to_file
from planner.summary import Summary
from planner.versions import Made
from planner.zone import DataError
from planner.zonefile import load_zone_csv


def draft(dataset: Dataset, link: Link, summary: Summary, zone_file: ZoneFile | None = None) -> Draft:
    """What a save stores: the complete scenario file, the data it ran on and the headline."""
    return Draft(
        scenario=to_file(dataset, link),
        zone=link.zone,
        preset=link.preset,
        data_version=dataset.digest,
        results=snapshot.to_json(snapshot.of_summary(summary)),
        zone_file=zone_file,
    )


@dataclass(frozen=True)
class Reopened:
    dataset: Dataset  # the bundled data, or the zone file the version was saved on
    link: Link
    made: Made


def reopen(bundled: Dataset, version: Version, lang: str) -> Reopened:
    """The data and link a saved version opens with; LibraryError if it cannot open here."""
    dataset = bundled
    if version.zone_file is not None:
        try:
            dataset = load_zone_csv(version.zone_file.content, version.zone_file.name, bundled)
        except DataError as error:
            raise LibraryError("library_zone_unreadable", reason=error) from None
    try:
        link = from_file(dataset, version.scenario, lang)
    except ScenarioFileError as error:
        raise LibraryError("library_scenario_unreadable", reason=error) from None
    return Reopened(dataset, link, Made(version.head.data_version, version.head.model_version))
