"""scripts/load.py stays on loopback and within its bounds (its traffic is exercised in test_proxy)."""

from __future__ import annotations

import pytest

from scripts.load import MAX_SESSIONS, loopback_only, main


@pytest.mark.parametrize("url", ["http://127.0.0.1:8501/", "http://localhost:1", "http://[::1]:2"])
def test_loopback_urls_are_accepted(url: str) -> None:
    assert loopback_only(url) == url.rstrip("/")


@pytest.mark.parametrize("url", ["http://example.org", "http://10.0.0.5:8501", "http://0.0.0.0"])
def test_other_hosts_are_refused(url: str) -> None:
    with pytest.raises(SystemExit, match="loopback addresses only"):
        loopback_only(url)


@pytest.mark.parametrize(
    "args", [["--sessions", str(MAX_SESSIONS + 1)], ["--sessions", "0"], ["--moves", "10000"]]
)
def test_counts_past_the_bounds_are_refused_before_anything_starts(args: list[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(args)
    assert stopped.value.code == 2  # argparse's usage error
