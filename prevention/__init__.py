"""Storage, queries, figures and exports for the prevention dashboard (no Streamlit here)."""
