"""The validate command: `python -m components.validate PATH` checks a data directory, .zip or .xlsx."""

from __future__ import annotations

import sys
from pathlib import Path

from components.dataset import DatasetError, Problem, load_dataset
from components.upload import load_upload_file

USAGE = "usage: python -m components.validate DIR|FILE.zip|FILE.xlsx"


def main(argv: list[str] | None = None) -> int:
    """Prints the report; 0 = valid, 1 = problems found, 2 = bad usage.

    `validate PATH` (the form the earlier `components.dataset` command took) is accepted too.
    """
    args = sys.argv[1:] if argv is None else list(argv)
    if args in (["-h"], ["--help"]):
        print(USAGE)
        return 0
    if args[:1] == ["validate"]:
        args = args[1:]
    if len(args) != 1:
        print(USAGE, file=sys.stderr)
        return 2
    target = Path(args[0])
    try:
        if target.exists() and not target.is_dir():
            dataset = load_upload_file(target)
        else:
            dataset = load_dataset(target)
    except OSError as error:
        print(Problem(str(target), None, None, f"cannot be read ({error.strerror or error})"))
        print("FAILED: 1 problem")
        return 1
    except DatasetError as error:
        for problem in error.problems:
            print(problem)
        count = error.total
        if count > len(error.problems):
            print(f"... and {count - len(error.problems):,} more, not listed")
        print(f"FAILED: {count:,} problem{'s' if count != 1 else ''}")
        return 1
    for warning in dataset.warnings:
        print(f"warning: {warning}")
    print(
        f"OK: {len(dataset.sites)} sites, {len(dataset.site_status)} status periods, "
        f"{len(dataset.troop_figures)} troop figures, {len(dataset.events)} events, "
        f"{len(dataset.phases)} phases, {len(dataset.movements)} movements, "
        f"{len(dataset.sources)} sources"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
