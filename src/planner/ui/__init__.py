"""The Streamlit front end: the only package besides app.py that imports streamlit."""

from planner.ui.page import main

__all__ = ["main"]
