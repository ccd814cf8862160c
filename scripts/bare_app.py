"""A bare Streamlit page (a title only): the benchmark's floor for how soon any page can paint."""

import streamlit as st

st.title("Coalition Footprint in Iraq")
