"""Streamlit helpers: the only place besides app.py and views/ that imports streamlit."""
