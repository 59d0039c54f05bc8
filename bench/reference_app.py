"""The yardstick for app reruns: one slider, one Altair chart, nothing else."""

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

growth = st.slider("growth", 0.0, 40.0, 23.22, 0.01, key="growth")
years = np.arange(2024, 2031)
frame = pd.DataFrame({"year": years, "value": 1.6 * (1 + growth / 100) ** (years - 2024)})
st.altair_chart(
    alt.Chart(frame)
    .mark_line()
    .encode(x=alt.X(field="year", type="ordinal"), y=alt.Y(field="value", type="quantitative")),
    width="stretch",
)
