"""Technopolis 2030 Planner — run with `streamlit run app.py`."""

import streamlit as st

from planner.ui import main

st.set_page_config(page_title="Technopolis 2030 Planner", page_icon="🏭", layout="wide")
main()
