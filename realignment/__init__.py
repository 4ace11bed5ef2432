"""Core of the Korea realignment map: content, geodata, measurements, views and maps.

It never imports Streamlit, so the same code serves the app, the tests and the CLI.
"""
