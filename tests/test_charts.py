"""Chart shapes are cached and shared by every session, so nothing downstream may edit them."""

from __future__ import annotations

import copy

import pytest
from streamlit.elements import vega_charts

from planner.chartdata import series_labels
from planner.charts import (
    Spec,
    comparison_chart,
    fan_chart,
    fill,
    histogram_chart,
    stacked_area_chart,
    tornado_chart,
    trajectory_chart,
    waterfall_chart,
)

LABELS = series_labels("ru", "План")
SHAPES = {
    "trajectory": lambda: trajectory_chart(LABELS, "t", True, True),
    "stacked_area": lambda: stacked_area_chart(LABELS, "t", "cluster", ("a", "b"), True),
    "comparison": lambda: comparison_chart(LABELS, "t", True),
    "fan": lambda: fan_chart(LABELS, "t", True),
    "histogram": lambda: histogram_chart("x", "y", True),
    "tornado": lambda: tornado_chart("t", True, 5),
    "waterfall": lambda: waterfall_chart("t", True),
}


@pytest.mark.parametrize("name", SHAPES)
def test_streamlit_leaves_a_filled_shape_untouched(name: str) -> None:
    """Streamlit's own preparation of a spec (a private step, called here on purpose: if it
    moves, this test should say so) must not reach into the cached shape."""
    shape: Spec = SHAPES[name]()
    before = copy.deepcopy(shape)
    for use_container_width in (True, False):
        vega_charts._prepare_vega_lite_spec(fill(shape), use_container_width)
    assert shape == before
