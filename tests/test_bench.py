"""Smoke test of scripts/bench.py: a quick run without the browser finishes and prints its figures.

It checks that the benchmark still works against the app and the naive baseline; it asserts no
timing (figures on a shared CI machine are noise; BENCHMARKS.md holds the real ones).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_quick_benchmark_runs_and_prints_every_section() -> None:
    run = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "bench.py"), "--quick", "--no-browser"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    out = run.stdout
    for expected in (
        "[bundled data] data:",
        "[bundled data] deck:",
        "[200 sites] deck:",
        "[30 sites] ours: rerun after a slider change",
        "[200 sites] naive: rerun after a slider change",
        "bytes per site shown",
        "ratios, naive / ours",
        "issue 7 targets:",
    ):
        assert expected in out, out
    # The app's map component keeps one key across slider changes: no remount from a key change.
    assert "[30 sites] ours:" in out and "distinct component keys 1" in out


def test_compare_mode_benchmark_prints_both_medians() -> None:
    run = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "bench.py"),
            "--compare-only",
            "--sizes",
            "30",
            "--changes",
            "2",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "[30 sites] ours: rerun after a slider change in compare mode" in run.stdout
    assert "[30 sites] compare mode: rerun median" in run.stdout
    assert "without compare" in run.stdout
