"""What bench/run.py and bench/load.py share: servers on 127.0.0.1, the benchmark browser's flags, memory, stats."""

from __future__ import annotations

import contextlib
import math
import os
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import CHROMIUM_ARGS, Server, streamlit_server  # noqa: E402

# The tests' flags, plus: resolve no host but the loopback one. The machine has no internet; this makes any
# off-machine request (the baseline's default tile layer) fail at once and never leave the machine.
BENCH_CHROMIUM_ARGS = [*CHROMIUM_ARGS, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
# Many pages in one headless browser: keep every page's timers and rendering at full speed.
LOAD_CHROMIUM_ARGS = [
    *BENCH_CHROMIUM_ARGS,
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
]

PANEL = ".st-key-panel h3"
# The Leaflet map in the map's frame: the product's plugin keeps it, streamlit-folium also sets window.map.
MAP_JS = "((window.realign && window.realign.state && window.realign.state.map) || window.map)"
# Installed in the top page before its scripts run. It watches each same-origin iframe's document from its first
# moments (Playwright's init scripts do not reach the map's frame: that frame's window is reused from about:blank) and
# records, on that frame's clock, when the last path was added to a Leaflet map. The same figure for both apps,
# whether the layers arrive inline (baseline) or as files (product).
DRAWN_OBSERVER = """
(() => {
  if (window !== window.top) return;
  const attach = (doc) => {
    if (!doc || doc.__benchObserved || doc.URL === 'about:blank') return;
    doc.__benchObserved = true;
    const win = doc.defaultView;
    win.__benchPaths = 0;
    new win.MutationObserver((muts) => {
      for (const m of muts) for (const n of m.addedNodes) {
        if (n.nodeType !== 1) continue;
        if ((n.tagName === 'path' || (n.querySelector && n.querySelector('path')))
            && n.closest && n.closest('.leaflet-container')) {
          win.__benchDrawnMs = win.performance.now();
          win.__benchPaths = doc.querySelectorAll('.leaflet-container path').length;
          return;
        }
      }
    }).observe(doc, { childList: true, subtree: true });
  };
  const started = Date.now();
  const tick = setInterval(() => {
    for (const f of document.querySelectorAll('iframe')) { try { attach(f.contentDocument); } catch (e) {} }
    if (Date.now() - started > 120000) clearInterval(tick);
  }, 5);
})();
"""


@contextlib.contextmanager
def serve(script: Path, env: dict[str, str] | None = None, timeout: float = 60.0) -> Iterator[Server]:
    """`streamlit run script` on a free loopback port, as the tests start it; its log is removed afterwards."""
    with streamlit_server(env=env, timeout=timeout, script=script) as server:
        try:
            yield server
        finally:
            server.log.unlink(missing_ok=True)


def proc_status_kib(pid: int, field: str) -> int | None:
    """A memory field (VmRSS, VmHWM) of /proc/<pid>/status, in KiB."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    m = re.search(rf"^{field}:\s+(\d+) kB", text, re.M)
    return int(m.group(1)) if m else None


def rss_mib(pid: int) -> float | None:
    kib = proc_status_kib(pid, "VmRSS")
    return None if kib is None else round(kib / 1024, 1)


def script_times(log: str, cpu: bool = False) -> list[float]:
    """Server-side time of each script run (REALIGN_SCRIPT_MS lines), wall clock or CPU of the script thread."""
    return [float(w if not cpu else c) for w, c in re.findall(r"REALIGN_SCRIPT_MS ([\d.]+) CPU ([\d.]+)", log)]


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    k = max(0, math.ceil(q / 100 * len(ordered)) - 1)
    return round(float(ordered[k]), 1)


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far (/proc/<pid>/stat), in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def descendants(pid: int) -> list[int]:
    """Every live process below pid (children, their children, ...)."""
    children: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(d.name))
    out, todo = [], [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out
