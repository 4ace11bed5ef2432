"""Router of the Korea realignment map: one Streamlit page per use, the core does the work."""

import streamlit as st

st.set_page_config(page_title="US forces in Korea, June 2004", page_icon="🗺️", layout="wide")

pages = [
    st.Page("pages/map.py", title="Map", icon="🗺️", url_path="map", default=True),
]
st.navigation(pages).run()
