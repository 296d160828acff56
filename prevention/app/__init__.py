"""The Streamlit app: session plumbing, components shared by pages, panels of single pages, and views."""
