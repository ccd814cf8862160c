"""What changed between two dates: sites whose status changed, figures in force, events between."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from components.dataset import Dataset
from components.timeline import Snapshot, cited_cells, figures_in_force, snapshot

SITE_CHANGE_COLUMNS = [
    "site_id",
    "name",
    "change",  # appeared, gone, status, certainty
    "before_status",
    "before_certainty",
    "after_status",
    "after_certainty",
    "source_ids",
]
FIGURE_CHANGE_COLUMNS = [
    "force",
    "scope",
    "site_id",
    "before",
    "after",
    "before_as_of",
    "after_as_of",
    "source_ids",
]


@dataclass(frozen=True)
class Comparison:
    """The state on two dates and every difference between them (first is the earlier date)."""

    first: Snapshot
    second: Snapshot
    sites: pd.DataFrame
    figures: pd.DataFrame
    events: pd.DataFrame

    @property
    def changed_site_ids(self) -> frozenset[str]:
        return frozenset(self.sites["site_id"])


def compare(dataset: Dataset, one: dt.date | str, other: dt.date | str) -> Comparison:
    """Compares the footprint on two dates, in either order; raises ValueError for a bad date."""
    first, second = sorted((snapshot(dataset, one), snapshot(dataset, other)), key=_when)
    return Comparison(
        first=first,
        second=second,
        sites=_site_changes(first, second),
        figures=_figure_changes(first, second),
        events=_events_between(dataset, first.when, second.when),
    )


def _when(snap: Snapshot) -> dt.date:
    return snap.when


def _site_changes(first: Snapshot, second: Snapshot) -> pd.DataFrame:
    """One row per site whose status or shown certainty differs, or that is on one map only.

    Whole columns at once (a join on the site id): at 10,000 sites a loop over them took
    seconds, and this runs on every rerun in compare mode.
    """
    kept = ["site_id", "name", "status", "certainty", "source_ids"]
    both = first.sites[kept].merge(
        second.sites[kept], on="site_id", how="outer", suffixes=("_b", "_a"), indicator=True
    )
    only_before = (both["_merge"] == "left_only").to_numpy()
    only_after = (both["_merge"] == "right_only").to_numpy()
    status_differs = (both["status_b"] != both["status_a"]).to_numpy()
    certainty_differs = (both["certainty_b"] != both["certainty_a"]).to_numpy()
    change = np.select(
        [only_after, only_before, status_differs, certainty_differs],
        ["appeared", "gone", "status", "certainty"],
        default="",
    )
    picked = both[change != ""].assign(change=change[change != ""])
    picked = picked.sort_values("site_id", kind="stable").reset_index(drop=True)
    old = (picked["change"] != "appeared").to_numpy()
    new = (picked["change"] != "gone").to_numpy()

    def side(column: str, present: np.ndarray) -> list:
        return [v if here else None for v, here in zip(picked[column].tolist(), present)]

    cited = []
    for before, after, was, is_now in zip(
        picked["source_ids_b"].tolist(), picked["source_ids_a"].tolist(), old, new
    ):
        ids = tuple(before) if was else ()
        cited.append(ids + tuple(i for i in (after if is_now else ()) if i not in ids))
    rows = {
        "site_id": picked["site_id"].tolist(),
        "name": [a if here else b for a, b, here in zip(picked["name_a"], picked["name_b"], new)],
        "change": picked["change"].tolist(),
        "before_status": side("status_b", old),
        "before_certainty": side("certainty_b", old),
        "after_status": side("status_a", new),
        "after_certainty": side("certainty_a", new),
        "source_ids": cited,
    }
    return pd.DataFrame(rows, columns=SITE_CHANGE_COLUMNS).astype(object)


def _figure_changes(first: Snapshot, second: Snapshot) -> pd.DataFrame:
    """Counts of troops present that differ between the dates (plans are not counts)."""
    before, after = figures_in_force(first), figures_in_force(second)
    rows = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old is not None and new is not None and old["figure_id"] == new["figure_id"]:
            continue
        cited: tuple[str, ...] = ()
        for row in (old, new):
            if row is not None:
                cited += tuple(i for i in row["source_ids"] if i not in cited)
        force, scope, site = key
        rows.append(
            {
                "force": force,
                "scope": scope,
                "site_id": site or None,
                "before": None if old is None else int(old["value"]),
                "after": None if new is None else int(new["value"]),
                "before_as_of": None if old is None else old["as_of"],
                "after_as_of": None if new is None else new["as_of"],
                "source_ids": cited,
            }
        )
    return pd.DataFrame(rows, columns=FIGURE_CHANGE_COLUMNS)


def _events_between(dataset: Dataset, first: dt.date, second: dt.date) -> pd.DataFrame:
    """Events that fall after the first date and up to the second."""
    events = dataset.events
    inside = (events["date_last"] > pd.Timestamp(first)) & (
        events["date_first"] <= pd.Timestamp(second)
    )
    return events[inside].sort_values(["date_first", "event_id"]).reset_index(drop=True)


def comparison_table(dataset: Dataset, comparison: Comparison) -> pd.DataFrame:
    """Every change as one row (site, figure or event) with its sources spelled out, for export."""
    rows = []
    for change in comparison.sites.itertuples(index=False):
        labels, urls = cited_cells(dataset, change.source_ids)
        rows.append(
            {
                "what": "site",
                "id": change.site_id,
                "name": change.name,
                "change": change.change,
                "before": _pair(change.before_status, change.before_certainty),
                "after": _pair(change.after_status, change.after_certainty),
                "date": "",
                "sources": labels,
                "source_urls": urls,
            }
        )
    for change in comparison.figures.itertuples(index=False):
        labels, urls = cited_cells(dataset, change.source_ids)
        where = change.site_id or change.scope
        rows.append(
            {
                "what": "figure",
                "id": f"{change.force}|{change.scope}|{change.site_id or ''}",
                "name": f"{change.force} ({where})",
                "change": "figure",
                "before": ""
                if change.before is None
                else f"{change.before} ({change.before_as_of})",
                "after": "" if change.after is None else f"{change.after} ({change.after_as_of})",
                "date": "",
                "sources": labels,
                "source_urls": urls,
            }
        )
    # Only the columns used: turning the date columns into timestamps row by row costs seconds.
    events = comparison.events[["event_id", "title", "kind", "date", "source_ids"]]
    for event in events.itertuples(index=False):
        labels, urls = cited_cells(dataset, event.source_ids)
        rows.append(
            {
                "what": "event",
                "id": event.event_id,
                "name": event.title,
                "change": event.kind,
                "before": "",
                "after": "",
                "date": event.date,
                "sources": labels,
                "source_urls": urls,
            }
        )
    columns = ["what", "id", "name", "change", "before", "after", "date", "sources", "source_urls"]
    table = pd.DataFrame(rows, columns=columns)
    table.insert(0, "second_date", comparison.second.when.isoformat())
    table.insert(0, "first_date", comparison.first.when.isoformat())
    return table


def _pair(status: str | None, certainty: str | None) -> str:
    return "" if status is None else f"{status} ({certainty})"
