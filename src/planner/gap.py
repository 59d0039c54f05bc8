"""The gap by cluster: which clusters account for a missed goal, and by how much.

A goal is stated for the whole zone, so each cluster's part of it is set by the reference
scenario (the chosen preset): a cluster is expected to deliver the share of the goal's
increment that it delivers in the preset. The gaps then add up exactly to the zone's gap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.metrics import Metric
from planner.outlook import Outlook


@dataclass(frozen=True)
class ClusterGap:
    key: str
    expected: float  # the cluster's part of the goal's increment
    achieved: float  # what the scenario delivers in the cluster
    share: float  # the cluster's share of the increment in the reference

    @property
    def gap(self) -> float:
        """Positive when the cluster falls short of its part."""
        return self.expected - self.achieved


def increments(outlook: Outlook, metric: Metric, year: int) -> np.ndarray:
    """New floor area (m²) or new jobs by cluster in `year`, over the jump-off."""
    by_cluster = metric.by_cluster(outlook.projection)
    return by_cluster[:, outlook.projection.year_index(year)] - by_cluster[:, 0]


def goal_increment(outlook: Outlook, metric: Metric) -> float:
    """What the goal still needs from the jump-off: new floor area in m², or new jobs."""
    return metric.needed(metric.of(outlook).goal, outlook.projection)


def cluster_gaps(outlook: Outlook, reference: Outlook, metric: Metric) -> tuple[ClusterGap, ...]:
    """Each cluster's expected part of the goal, what the scenario achieves there, widest
    shortfall first."""
    year = metric.of(outlook).year
    achieved = increments(outlook, metric, year)
    basis = increments(reference, metric, year)
    if basis.sum() <= 0:  # a reference that builds nothing: fall back to its mix of new area
        basis = reference.projection.mix.copy()
    shares = basis / basis.sum()
    expected = goal_increment(outlook, metric) * shares
    gaps = [
        ClusterGap(key, float(e), float(a), float(s))
        for key, e, a, s in zip(outlook.projection.cluster_keys, expected, achieved, shares, strict=True)
    ]
    return tuple(sorted(gaps, key=lambda g: g.gap, reverse=True))
