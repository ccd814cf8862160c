"""Load test on loopback: concurrent sessions scrubbing the slider and concurrent uploads, with server memory and health latency.

Each session is a client speaking Streamlit's own websocket protocol (what the browser sends), so
the figures are the server's, not a browser's. Throughout, a sampler reads the server's resident
memory and times GET /_stcore/health. Bounded: at most MAX_SESSIONS sessions, MAX_MOVES slider
moves each, MAX_UPLOADS uploads, and --max-seconds for everything; only loopback addresses.

    python scripts/load.py                      # 10 and 30 sessions, 10 uploads, own server
    python scripts/load.py --sessions 10 --uploads 0 --moves 10
    python scripts/load.py --url http://127.0.0.1:8501 --server-pid 1234
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import http.cookiejar
import io
import ipaddress
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from components.i18n import day_words  # noqa: E402  (needs the repository on the path)

MAX_SESSIONS = 60
MAX_MOVES = 200
MAX_UPLOADS = 30
RERUN_TIMEOUT_S = 120
SAMPLE_EVERY_S = 0.5


def loopback_only(url: str) -> str:
    """The URL if its host is a loopback address; this script never loads another machine."""
    host = urlparse(url).hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise SystemExit(f"refusing {url}: the load test runs against loopback addresses only")
    return url.rstrip("/")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(data_dir: Path | None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = dict(os.environ)
    if data_dir is not None:
        env["FOOTPRINT_DATA_DIR"] = str(data_dir)
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "streamlit", "run", str(REPO / "app.py")),
            *("--server.port", str(port), "--server.address", "127.0.0.1"),
            *("--server.headless", "true", "--browser.gatherUsageStats", "false"),
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return process, url
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("the app did not become healthy in 60 s")


def resident_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB (Linux /proc)."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for one in pids:
        try:
            status = Path(f"/proc/{one}/status").read_text()
        except OSError:
            continue
        total += next(
            (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0
        )
    return total / 1024


@dataclass
class Sampler:
    """Samples server memory and health-check latency in a thread until stopped."""

    url: str
    pid: int | None
    memory_mb: list[float] = field(default_factory=list)
    health_ms: list[float] = field(default_factory=list)
    health_errors: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self._stop.is_set():
            if self.pid is not None:
                self.memory_mb.append(resident_mb(self.pid))
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=30) as reply:
                    reply.read()
                self.health_ms.append((time.perf_counter() - started) * 1000)
            except OSError:
                self.health_errors += 1
            self._stop.wait(SAMPLE_EVERY_S)

    def __enter__(self) -> Sampler:
        self._thread = threading.Thread(target=self.run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


class Session:
    """One browser's worth of traffic: a websocket session that reruns the page like the client."""

    def __init__(self, url: str, cookie: str = ""):
        self.url = url
        self.cookie = cookie  # a proxy's sticky-session cookie, sent with the websocket
        self.widgets: dict[str, str] = {}  # "date" slider, "upload" and "map_painted" ids
        self.session_id = ""
        self.errors: list[str] = []
        self.texts: list[str] = []  # markdown and captions of the last run, to check it
        self.painted = False  # the page's "map painted" button pressed, as a browser's map does

    async def __aenter__(self) -> Session:
        import websockets

        ws_url = self.url.replace("http://", "ws://", 1) + "/_stcore/stream"
        self.socket = await websockets.connect(
            ws_url,
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=60,
            additional_headers={"Cookie": self.cookie} if self.cookie else None,
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.socket.close()

    async def rerun(self, query: str = "", widget_states: list | None = None) -> float:
        """Sends a rerun as the browser does and waits for the script to finish; seconds taken."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        message = BackMsg()
        message.rerun_script.query_string = query
        message.rerun_script.page_script_hash = ""
        for state in widget_states or []:
            message.rerun_script.widget_states.widgets.append(state)
        started = time.perf_counter()
        self.texts = []
        await self.socket.send(message.SerializeToString())
        while True:
            raw = await asyncio.wait_for(self.socket.recv(), RERUN_TIMEOUT_S)
            reply = ForwardMsg()
            reply.ParseFromString(raw)
            kind = reply.WhichOneof("type")
            if kind == "new_session":
                self.session_id = reply.new_session.initialize.session_id
            elif kind == "delta":
                self._note(reply)
            elif kind == "script_finished":
                # Not this rerun's end: a fragment's own timed run (the page's paint fallback), or
                # a run cut short because the page asked for another (that one follows).
                if reply.script_finished in (
                    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
                    ForwardMsg.FINISHED_EARLY_FOR_RERUN,
                ):
                    continue
                taken = time.perf_counter() - started
                if "map_painted" in self.widgets and not self.painted:
                    # A browser's map presses the page's hidden button once its first markers
                    # are drawn (components/first_screen.py): the rest of the page, the slider
                    # and the uploader among it, comes with the run that starts.
                    self.painted = True
                    taken += await self.rerun("", [self.pressed("map_painted")])
                return taken

    def _note(self, reply) -> None:
        delta = reply.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "button" and element.button.id.endswith("-map_painted"):
            self.widgets["map_painted"] = element.button.id
        elif kind == "slider" and element.slider.id.endswith("-date"):
            self.widgets["date"] = element.slider.id
        elif kind == "file_uploader":
            self.widgets["upload"] = element.file_uploader.id
        elif kind == "markdown":
            self.texts.append(element.markdown.body)
        elif kind == "exception":
            self.errors.append(element.exception.message)
        elif kind == "alert" and element.alert.format == 1:  # an st.error on the page
            self.errors.append(element.alert.body[:200])

    def pressed(self, name: str):
        """A button's state when it has just been clicked."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        state = WidgetState(id=self.widgets[name])
        state.trigger_value = True
        return state

    def slider_state(self, day: dt.date):
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        state = WidgetState(id=self.widgets["date"])
        micros = (dt.datetime.combine(day, dt.time()) - dt.datetime(1970, 1, 1)).total_seconds()
        state.double_array_value.data.append(micros * 1_000_000)
        return state


async def scrub(url: str, moves: int, start: dt.date, latencies: list[float], errors: list[str]):
    async with Session(url) as session:
        latencies.append(await session.rerun(f"date={start.isoformat()}"))
        day = start
        for _ in range(moves):
            day += dt.timedelta(days=37)
            latencies.append(await session.rerun("", [session.slider_state(day)]))
            # The page must show the date asked for: a rerun that ignored the move is no load.
            if not any(t.startswith("### ") and day_words(day) in t for t in session.texts):
                errors.append(f"the page did not move to {day}")
                break
        errors += session.errors


def upload_file(url: str, session_id: str, name: str, data: bytes, cookie: str = "") -> str:
    """PUTs a file as the browser's uploader does; returns its file id."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    if cookie:
        opener.addheaders = [("Cookie", cookie)]
    opener.open(f"{url}/_stcore/health", timeout=30).read()  # sets the XSRF cookie
    token = next((c.value for c in jar if c.name == "_streamlit_xsrf"), "")
    if cookie:  # a fixed Cookie header replaces the jar's: carry the XSRF cookie in it too
        opener.addheaders = [("Cookie", f"{cookie}; _streamlit_xsrf={token}")]
    file_id = uuid.uuid4().hex
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: application/zip\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        f"{url}/_stcore/upload_file/{session_id}/{file_id}",
        data=body,
        method="PUT",
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "X-Xsrftoken": token,
        },
    )
    opener.open(request, timeout=120).read()
    return file_id


async def upload(
    url: str, name: str, data: bytes, latencies: list[float], errors: list[str], cookie: str = ""
):
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    async with Session(url, cookie) as session:
        await session.rerun("date=2020-01-01")
        started = time.perf_counter()
        file_id = await asyncio.to_thread(upload_file, url, session.session_id, name, data, cookie)
        state = WidgetState(id=session.widgets["upload"])
        info = state.file_uploader_state_value.uploaded_file_info.add()
        info.file_id, info.name, info.size = file_id, name, len(data)
        info.file_urls.file_id = file_id
        info.file_urls.upload_url = f"/_stcore/upload_file/{session.session_id}/{file_id}"
        await session.rerun("", [state])
        latencies.append(time.perf_counter() - started)
        if not any("Showing your data" in text for text in session.texts):
            errors.append(f"{name} was not shown")
        errors += session.errors


def synthetic_zip(sites: int) -> bytes:
    from components.synthetic import write_synthetic_dataset

    with tempfile.TemporaryDirectory() as work:
        directory = write_synthetic_dataset(Path(work) / "d", sites, events=sites * 2)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in directory.glob("*.csv"):
                archive.write(path, path.name)
        return buffer.getvalue()


def describe(values: list[float], unit: str, scale: float = 1.0) -> str:
    if not values:
        return "none"
    ordered = sorted(v * scale for v in values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return (
        f"median {statistics.median(ordered):.0f} {unit}, p95 {p95:.0f} {unit}, "
        f"max {ordered[-1]:.0f} {unit} (n={len(ordered)})"
    )


def run_phase(title: str, url: str, pid: int | None, work) -> bool:
    latencies: list[float] = []
    errors: list[str] = []
    with Sampler(url, pid) as sampler:
        started = time.perf_counter()
        try:
            asyncio.run(work(latencies, errors))
        except Exception as error:  # reported as a failure of this phase, with what happened
            errors.append(f"{type(error).__name__}: {error}")
        took = time.perf_counter() - started
    print(f"\n{title} ({took:.1f} s)")
    print(f"  reruns:        {describe(latencies, 'ms', 1000)}")
    print(f"  health check:  {describe(sampler.health_ms, 'ms')}, failed {sampler.health_errors}")
    if sampler.memory_mb:
        print(
            f"  server memory: {sampler.memory_mb[0]:.0f} MB at start, "
            f"{max(sampler.memory_mb):.0f} MB at most, {sampler.memory_mb[-1]:.0f} MB at the end"
        )
    print(f"  errors:        {len(errors)}" + "".join(f"\n    {e}" for e in errors[:5]))
    return not errors and not sampler.health_errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="*", default=[10, 30])
    parser.add_argument("--moves", type=int, default=20, help="slider moves per session")
    parser.add_argument("--uploads", type=int, default=10, help="concurrent uploads")
    parser.add_argument("--upload-sites", type=int, default=300, help="sites in each upload")
    parser.add_argument("--url", help="an app already running on loopback (default: start one)")
    parser.add_argument("--server-pid", type=int, help="its process id, to read its memory")
    parser.add_argument("--data-dir", type=Path, help="FOOTPRINT_DATA_DIR for the started app")
    parser.add_argument("--max-seconds", type=float, default=900, help="bound on the whole run")
    args = parser.parse_args(argv)
    if any(n < 1 or n > MAX_SESSIONS for n in args.sessions):
        parser.error(f"sessions must be between 1 and {MAX_SESSIONS}")
    if not 0 <= args.moves <= MAX_MOVES or not 0 <= args.uploads <= MAX_UPLOADS:
        parser.error(f"at most {MAX_MOVES} moves and {MAX_UPLOADS} uploads")
    process = None
    if args.url:
        url, pid = loopback_only(args.url), args.server_pid
    else:
        process, url = start_server(args.data_dir)
        pid = process.pid
    # The whole run is bounded: past --max-seconds the process exits, stopping its server.
    timer = threading.Timer(args.max_seconds, lambda: os._exit(3))
    timer.daemon = True
    timer.start()
    print(f"app at {url}, machine: {os.cpu_count()} CPUs; python {sys.version.split()[0]}")
    ok = True
    try:
        for count in args.sessions:

            async def sessions(latencies, errors, count=count):
                await asyncio.gather(
                    *(
                        scrub(
                            url,
                            args.moves,
                            dt.date(2003, 6, 1) + dt.timedelta(days=n),
                            latencies,
                            errors,
                        )
                        for n in range(count)
                    )
                )

            ok &= run_phase(f"{count} sessions x {args.moves} slider moves", url, pid, sessions)
        if args.uploads:
            data = synthetic_zip(args.upload_sites)

            async def uploads(latencies, errors):
                await asyncio.gather(
                    *(
                        upload(url, f"load-{n}.zip", data, latencies, errors)
                        for n in range(args.uploads)
                    )
                )

            title = f"{args.uploads} uploads at once ({len(data) / 1024:.0f} KB zip, {args.upload_sites} sites)"
            ok &= run_phase(title, url, pid, uploads)
    finally:
        timer.cancel()
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
    print("\nOK: no errors" if ok else "\nFAILED: see errors above")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
