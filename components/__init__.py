"""Coalition Footprint in Iraq: data loading, time queries and rendering for the Streamlit app."""
