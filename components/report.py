"""What the page shows of a refused dataset: counts by kind, the first problems of each file, a full report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from components.dataset import DatasetError

# Enough to see what is wrong and where; a browser tab stays responsive at any number of problems.
FIRST_PER_FILE = 10


@dataclass(frozen=True)
class ProblemReport:
    """A refused dataset's problems, bounded for the page, with the full report for download."""

    total: int
    # (file, column or "", number of problems), files in the order their problems came.
    counts: list[tuple[str, str, int]]
    # The first FIRST_PER_FILE problems of each file, as text.
    first: list[str]
    # Every problem the loader kept (at most dataset.MAX_PROBLEMS_PER_FILE a file), one a line.
    text: str

    @property
    def shown_all(self) -> bool:
        return len(self.first) == self.total


def problem_report(
    error: DatasetError, per_file: int = FIRST_PER_FILE, rename: dict[str, str] | None = None
) -> ProblemReport:
    """`rename` replaces file names in the report: a server path by what a visitor may see."""
    if rename:
        error = DatasetError(
            [replace(p, file=rename.get(p.file, p.file)) for p in error.problems],
            Counter({(rename.get(f, f), c): n for (f, c), n in error.counts.items()}),
        )
    first: list[str] = []
    shown: dict[str, int] = {}
    order: dict[str, int] = {}
    for problem in error.problems:
        order.setdefault(problem.file, len(order))
        if shown.get(problem.file, 0) < per_file:
            shown[problem.file] = shown.get(problem.file, 0) + 1
            first.append(str(problem))
    counts = sorted(
        ((file, column, count) for (file, column), count in error.counts.items()),
        key=lambda item: (order.get(item[0], len(order)), -item[2], item[1]),
    )
    lines = [f"{error.total:,} problem{'s' if error.total != 1 else ''}", ""]
    lines += [f"{count:,}\t{file}\t{column or '(row or file)'}" for file, column, count in counts]
    lines += ["", *(str(problem) for problem in error.problems)]
    if error.total > len(error.problems):
        lines.append(
            f"... and {error.total - len(error.problems):,} more, not listed (counted above)"
        )
    return ProblemReport(error.total, counts, first, "\n".join(lines) + "\n")
