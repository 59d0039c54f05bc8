"""Tidy tables and plain dictionaries of an Outlook, for the CLI, the app and downloads."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from planner.goals import GoalResult
from planner.outlook import Outlook


def yearly_frame(outlook: Outlook) -> pd.DataFrame:
    """One row per year with the zone's totals."""
    p = outlook.projection
    return pd.DataFrame(
        {
            "year": p.years,
            "floor_area_m2": p.floor_area_m2,
            "commissioned_m2": p.commissioned_m2_by_cluster.sum(axis=0),
            "occupied_m2": p.occupied_m2,
            "area_multiple": p.area_multiple,
            "jobs": p.jobs,
            "new_jobs": p.new_jobs,
            "companies": p.companies,
            "investment_rub": p.investment_rub,
        }
    )


def cluster_frame(outlook: Outlook) -> pd.DataFrame:
    """One row per cluster and year (long format)."""
    p = outlook.projection
    n_clusters, n_years = p.floor_area_m2_by_cluster.shape
    return pd.DataFrame(
        {
            "year": np.tile(p.years, n_clusters),
            "cluster": np.repeat(p.cluster_keys, n_years),
            "floor_area_m2": p.floor_area_m2_by_cluster.ravel(),
            "commissioned_m2": p.commissioned_m2_by_cluster.ravel(),
            "occupied_m2": p.occupied_m2_by_cluster.ravel(),
            "jobs": p.jobs_by_cluster.ravel(),
        }
    )


def goal_dict(result: GoalResult) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "reading": result.reading,
        "year": result.year,
        "target": result.target,
        "value": result.value,
        "met": result.met,
        "gap": result.gap,
        "year_met": result.year_met,
    }
    for lever, value in result.required:
        entry[f"required_{lever}"] = value
    return entry


def outlook_dict(outlook: Outlook, preset: str, data_version: str) -> dict[str, Any]:
    """Everything a script needs: totals per year, clusters, the scenario and both goals."""
    years = yearly_frame(outlook)
    clusters = cluster_frame(outlook)
    return {
        "zone": outlook.zone.key,
        "preset": preset,
        "data_version": data_version,
        "base_year": outlook.zone.base_year,
        "target_year": outlook.zone.target_year,
        "years": years["year"].tolist(),
        **{column: years[column].tolist() for column in years.columns if column != "year"},
        "clusters": {
            key: {column: group[column].tolist() for column in group.columns if column not in ("year", "cluster")}
            for key, group in clusters.groupby("cluster", sort=False)
        },
        "scenario": outlook.scenario.as_dict(),
        "goals": {"area_multiple": goal_dict(outlook.area), "new_jobs": goal_dict(outlook.jobs)},
    }
