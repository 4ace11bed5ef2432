"""Serve the app from several processes behind nginx, with sticky sessions, all on 127.0.0.1.

    .venv/bin/python scripts/serve_multi.py [--port 8080] [--backends 2] [--duration SECONDS]

Starts N Streamlit processes of app.py on free loopback ports, then Debian's nginx (`apt-get install -y nginx`) as a
foreground process with its own config, pid, logs and temp files in a temporary folder (not the system service),
configured from deploy/nginx.conf: one cookie per browser picks its process (docs/scaling.md says why). Prints one
line `READY {json}` (url, ports, pids, access log) when everything answers, then runs until Ctrl-C, SIGTERM, the end
of --duration, or one of its processes dies, and stops everything it started.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "nginx.conf"


def find_nginx() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx", "/sbin/nginx") if os.access(p, os.X_OK)), None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def render_config(prefix: Path, listen: str, backends: list[int]) -> str:
    """deploy/nginx.conf with its three placeholders filled (and nothing else touched)."""
    text = TEMPLATE.read_text(encoding="utf-8")
    servers = " ".join(f"server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in backends)
    for name, value in (("NGINX_PREFIX", str(prefix)), ("LISTEN", listen), ("UPSTREAM_SERVERS", servers)):
        text = text.replace("${" + name + "}", value)
    return text


def wait_http(url: str, procs: list[subprocess.Popen], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        for p in procs:
            if p.poll() is not None:
                raise RuntimeError(f"{p.args[0]} exited with {p.returncode} while starting")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer in {timeout:.0f} s")
        time.sleep(0.25)


def stop(proc: subprocess.Popen) -> None:
    """Signal the process group (each child runs in its own), SIGKILL after 10 s."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(5)


class Stop(Exception):
    """SIGTERM or SIGINT: leave the main loop and clean up."""


def _raise_stop(signum, _frame) -> None:
    raise Stop(signal.Signals(signum).name)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=8080, help="nginx's port on 127.0.0.1 (0: any free port)")
    ap.add_argument("--backends", type=int, default=2, help="app processes (1-8)")
    ap.add_argument("--duration", type=float, default=None, help="stop after this many seconds")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (config, logs) at the end")
    args = ap.parse_args()
    nginx = find_nginx()
    if nginx is None:
        print("error: nginx is not installed; on Debian: apt-get install -y nginx", file=sys.stderr)
        return 2
    n = max(1, min(args.backends, 8))
    port = args.port or free_port()

    sys.path.insert(0, str(ROOT))
    from realignment import assets

    assets.prepare()  # Leaflet and the layers under static/vendor, as `make run` does

    prefix = Path(tempfile.mkdtemp(prefix="realign-nginx-"))
    os.chmod(prefix, 0o755)  # nginx's workers (an unprivileged user when started as root) read nothing else here
    procs: list[subprocess.Popen] = []
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)
    try:
        # one secret for all processes, so cookies Streamlit signs (XSRF, login) are valid on each of them
        env = {**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32)}
        ports = [free_port() for _ in range(n)]
        for i, p in enumerate(ports):
            log = (prefix / f"backend-{i + 1}.log").open("wb")
            cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1"]
            cmd += ["--server.port", str(p), "--server.headless", "true", "--browser.gatherUsageStats", "false"]
            procs.append(
                subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            )
        for p in ports:
            wait_http(f"http://127.0.0.1:{p}/_stcore/health", procs)
        (prefix / "tmp").mkdir()
        conf = prefix / "nginx.conf"
        conf.write_text(render_config(prefix, f"127.0.0.1:{port}", ports), encoding="utf-8")
        base = [nginx, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"]
        check = subprocess.run([*base, "-t", "-q"], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"nginx rejected {conf}:\n{check.stderr}")
        nginx_log = (prefix / "nginx.out").open("wb")
        procs.append(subprocess.Popen(base, stdout=nginx_log, stderr=subprocess.STDOUT, start_new_session=True))
        url = f"http://127.0.0.1:{port}"
        wait_http(f"{url}/_stcore/health", procs, timeout=30)
        info = {
            "url": url,
            "backends": [f"127.0.0.1:{p}" for p in ports],
            "pids": [p.pid for p in procs],
            "prefix": str(prefix),
            "access_log": str(prefix / "access.log"),
        }
        print("READY " + json.dumps(info), flush=True)
        print(f"Serving {url} from {n} processes; Ctrl-C stops everything.", file=sys.stderr, flush=True)
        deadline = time.monotonic() + args.duration if args.duration else None
        while deadline is None or time.monotonic() < deadline:
            dead = [p for p in procs if p.poll() is not None]
            if dead:
                raise RuntimeError(f"{dead[0].args[0]} (pid {dead[0].pid}) exited with {dead[0].returncode}")
            time.sleep(0.5)
        return 0
    except Stop:
        return 0
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        for f in [*sorted(prefix.glob("*.log")), prefix / "nginx.out"]:
            if f.exists() and f.stat().st_size:
                print(f"--- {f.name}\n{f.read_text(errors='replace')[-2000:]}", file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for p in reversed(procs):  # nginx first (SIGTERM: fast shutdown, open websockets too), then the app processes
            stop(p)
        if not args.keep:
            shutil.rmtree(prefix, ignore_errors=True)
        else:
            print(f"kept {prefix}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
