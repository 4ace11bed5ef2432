"""Router of the Korea realignment map: one Streamlit page per use, the core does the work."""

import os
import sys
import time

import streamlit as st

_started = time.perf_counter()
_cpu_started = time.thread_time()
st.set_page_config(page_title="US forces in Korea, June 2004", page_icon="🗺️", layout="wide")

pages = [
    st.Page("pages/map.py", title="Map", icon="🗺️", url_path="map", default=True),
]
st.navigation(pages).run()

if os.environ.get("REALIGN_TIMING"):
    # read by bench/run.py: the server time of one script run
    # wall time, and the CPU time of this script thread alone (not inflated by a busy browser on the same cores)
    wall, cpu = 1000 * (time.perf_counter() - _started), 1000 * (time.thread_time() - _cpu_started)
    print(f"REALIGN_SCRIPT_MS {wall:.1f} CPU {cpu:.1f}", file=sys.stderr, flush=True)
