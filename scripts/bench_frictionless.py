"""Measures whether frictionless could do the loader's generic checks (types, required, unique,
foreign keys) at scale: frictionless's validate against components.dataset.load_dataset on
synthetic datasets of the bundled data's shape, in the same run. Prints figures (issue 13).

    python scripts/bench_frictionless.py [--sizes 1000 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import frictionless

from components.dataset import SCHEMA_PATH, load_dataset
from components.synthetic import write_synthetic_dataset


def seconds(action, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("sites | rows in all tables | load_dataset (all checks) | frictionless validate | ratio")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as temporary:
            directory = write_synthetic_dataset(Path(temporary) / "data", size)
            shutil.copy(SCHEMA_PATH, directory / "datapackage.json")
            rows = sum(
                sum(1 for _ in path.open(encoding="utf-8")) - 1 for path in directory.glob("*.csv")
            )
            ours, _ = seconds(lambda d=directory: load_dataset(d), args.repeat)
            theirs, report = seconds(
                lambda d=directory: frictionless.validate(str(d / "datapackage.json")), args.repeat
            )
            valid = "valid" if report.valid else f"INVALID ({len(report.flatten())} errors)"
            print(
                f"{size:,} | {rows:,} | {ours:.2f} s | {theirs:.2f} s ({valid}) | {theirs / ours:.1f}x"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
