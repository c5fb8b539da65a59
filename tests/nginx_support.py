"""nginx as deploy/nginx.conf ships it, on a free local port: for tests/test_deploy.py and
benchmarks/deploy_push.py, which serve the hook's WEBROOT with the real server."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
NGINX = Path("/usr/sbin/nginx")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nginx_config(webroot: Path, port: int, prefix: Path) -> Path:
    """deploy/nginx.conf as shipped, with its WEBROOT and port replaced, in a minimal main config."""
    site = (DEPLOY / "nginx.conf").read_text("utf-8")
    site = site.replace("/srv/gk", str(webroot)).replace("listen 80;", f"listen 127.0.0.1:{port};")
    (prefix / "gk.conf").write_text(site, "utf-8")
    temp = prefix / "tmp"
    temp.mkdir()
    main = prefix / "nginx.conf"
    main.write_text(f"""
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {prefix}/gk.conf;
}}
""", "utf-8")
    return main


@contextmanager
def running_nginx(webroot: Path, prefix: Path):
    """nginx serving webroot/current; yields its port, stops it after."""
    prefix.mkdir(parents=True, exist_ok=True)
    port = free_port()
    conf = nginx_config(webroot, port, prefix)
    proc = subprocess.Popen([str(NGINX), "-p", str(prefix), "-e", str(prefix / "error.log"), "-c", str(conf),
                             "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(proc.stderr.read().decode()) from None
                if time.monotonic() > deadline:
                    raise RuntimeError("nginx did not start") from None
                time.sleep(0.1)
        yield port
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
