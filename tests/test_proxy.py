"""Two app processes behind Debian's nginx (deploy/nginx-footprint.conf): each browser sticks to one."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import shutil
import subprocess
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from scripts.load import Session, upload
from tests.conftest import tiny_tables, write_tables
from tests.test_browser import Server, free_port

REPO = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)

pytestmark = pytest.mark.skipif(
    NGINX is None,
    reason="the proxy test needs nginx: install Debian's package (apt-get install nginx)",
)


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    """Backends A and B (told apart by a phase name) behind nginx with the shipped config."""
    work = tmp_path_factory.mktemp("proxy")
    servers = {}
    for name in ("A", "B"):
        tables = tiny_tables()
        tables["phases"][2]["name"] = f"Late {name}"
        servers[name] = Server(write_tables(work / name, tables), work / f"{name}.log")
    port = free_port()
    site = (REPO / "deploy" / "nginx-footprint.conf").read_text()
    site = site.replace("127.0.0.1:8601", f"127.0.0.1:{servers['A'].port}")
    site = site.replace("127.0.0.1:8602", f"127.0.0.1:{servers['B'].port}")
    site = site.replace("listen 8080;", f"listen 127.0.0.1:{port};")
    temp = work / "nginx-temp"
    temp.mkdir()
    config = work / "nginx.conf"
    config.write_text(
        f"daemon off;\npid {work}/nginx.pid;\nerror_log {work}/error.log;\n"
        "events { worker_connections 256; }\n"
        f"http {{\naccess_log {work}/access.log;\n"
        + "".join(
            f"{kind}_temp_path {temp}/{kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        + f"{site}\n}}\n"
    )
    nginx = subprocess.Popen([NGINX, "-c", str(config), "-p", str(work)])
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                break
        except OSError:
            if time.monotonic() > deadline or nginx.poll() is not None:
                raise RuntimeError((work / "error.log").read_text()) from None
            time.sleep(0.2)
    yield url
    nginx.terminate()
    nginx.wait(timeout=10)
    for server in servers.values():
        server.stop()


async def backend_of(url: str, cookie: str, moves: int = 2) -> set[str]:
    """Which backend(s) one browser's session reached, through slider moves on one websocket."""
    seen = set()
    async with Session(url, cookie) as session:
        day = dt.date(2020, 1, 1)
        await session.rerun(f"date={day.isoformat()}")
        for _ in range(moves + 1):
            heading = next(t for t in session.texts if t.startswith("### "))
            seen |= {name for name in "AB" if f"Late {name}" in heading}
            day += dt.timedelta(days=30)
            await session.rerun("", [session.slider_state(day)])
    return seen


def test_browsers_are_spread_over_both_processes_and_each_sticks_to_one(proxy) -> None:
    reached = {}
    # Where a cookie lands depends on the backends' ports (free ones, so new each run): with 16
    # browsers the chance that all land in one process is about 1 in 30,000.
    for n in range(16):
        cookie = f"footprint_route=browser-{n}"
        reached[n] = asyncio.run(backend_of(proxy, cookie))
        assert len(reached[n]) == 1, reached  # every rerun of a session in one process
        # Ordinary requests with the same cookie go to the same process as the websocket.
        assert asyncio.run(backend_of(proxy, cookie, moves=0)) == reached[n]
    assert set().union(*reached.values()) == {"A", "B"}, reached


def test_an_upload_through_the_proxy_reaches_its_own_session(proxy, tmp_path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in write_tables(tmp_path / "mine", tiny_tables()).iterdir():
            archive.write(path, path.name)
    latencies: list[float] = []
    errors: list[str] = []
    for n in range(4):  # four browsers, each uploading to the process that holds its session
        cookie = f"footprint_route=browser-{n}"
        asyncio.run(upload(proxy, "mine.zip", buffer.getvalue(), latencies, errors, cookie))
    assert errors == [] and len(latencies) == 4


def test_a_new_browser_gets_a_route_cookie(proxy) -> None:
    with urllib.request.urlopen(f"{proxy}/_stcore/health", timeout=10) as reply:
        cookies = reply.headers.get_all("Set-Cookie")
    assert any(c.startswith("footprint_route=") and "HttpOnly" in c for c in cookies), cookies
