"""What changed between two dates: sites whose status changed, figures in force, events between."""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from components import derived
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
FORCES_CHANGE_COLUMNS = ["site_id", "name", "before", "after", "source_ids"]
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
    # Sites whose named nations differ (both dates name some): not a status change, so the map
    # does not ring them, but the change table lists them.
    forces: pd.DataFrame

    @property
    def changed_site_ids(self) -> frozenset[str]:
        return frozenset(self.sites["site_id"])


def compare(
    dataset: Dataset, one: dt.date | str | Snapshot, other: dt.date | str | Snapshot
) -> Comparison:
    """Compares the footprint on two dates, in either order; raises ValueError for a bad date.

    A date may come as its (whole, unfiltered) snapshot, when the caller has it already.
    """
    first, second = sorted((_snapshot(dataset, one), _snapshot(dataset, other)), key=_when)
    return Comparison(
        first=first,
        second=second,
        sites=_site_changes(first, second),
        figures=_figure_changes(first, second),
        events=_events_between(dataset, first.when, second.when),
        forces=_forces_changes(first, second),
    )


# Snapshots kept per dataset for compare mode: the second date stays while the slider moves.
SNAPSHOTS_KEPT = 4
_SNAPSHOTS_LOCK = threading.Lock()


def _snapshot(dataset: Dataset, day: dt.date | str | Snapshot) -> Snapshot:
    """The snapshot of a date, from the few last asked for when it is one of them."""
    if isinstance(day, Snapshot):
        return day
    key = day.isoformat() if isinstance(day, dt.date) else str(day)
    # The dataset is shared by every session (each its own thread): one at a time here.
    with _SNAPSHOTS_LOCK:
        kept = derived.once(dataset, "compare_snapshots", OrderedDict)
        if key in kept:
            kept.move_to_end(key)
            return kept[key]
    snap = snapshot(dataset, day)
    with _SNAPSHOTS_LOCK:
        kept[key] = snap
        while len(kept) > SNAPSHOTS_KEPT:
            kept.popitem(last=False)
    return snap


def _when(snap: Snapshot) -> dt.date:
    return snap.when


def _site_changes(first: Snapshot, second: Snapshot) -> pd.DataFrame:
    """One row per site whose status or shown certainty differs, or that is on one map only.

    Whole columns at once, on plain object arrays: this runs on every rerun in compare mode,
    and at 10,000 sites a loop over the frames' rows took seconds.
    """
    kept = ("site_id", "name", "status", "certainty", "source_ids")
    # Each column with a None after its last row: index -1 (a site not on that map) picks it.
    old = {c: np.array([*first.sites[c].tolist(), None], dtype=object) for c in kept}
    new = {c: np.array([*second.sites[c].tolist(), None], dtype=object) for c in kept}
    every = np.array(sorted(set(old["site_id"][:-1]) | set(new["site_id"][:-1])), dtype=object)
    i = pd.Index(old["site_id"][:-1], dtype=object).get_indexer(every)
    j = pd.Index(new["site_id"][:-1], dtype=object).get_indexer(every)
    appeared, gone = i < 0, j < 0
    on_both = ~appeared & ~gone
    status = on_both & (old["status"][i] != new["status"][j])
    certainty = on_both & ~status & (old["certainty"][i] != new["certainty"][j])
    change = np.select(
        [appeared, gone, status, certainty], ["appeared", "gone", "status", "certainty"], ""
    )
    picked = np.flatnonzero(change != "")
    i, j = i[picked], j[picked]
    cited = []
    for before, after in zip(old["source_ids"][i].tolist(), new["source_ids"][j].tolist()):
        ids = tuple(before or ())
        cited.append(ids + tuple(s for s in (after or ()) if s not in ids))
    columns = {
        "site_id": every[picked],
        "name": np.where(j >= 0, new["name"][j], old["name"][i]),
        "change": change[picked].astype(object),
        "before_status": old["status"][i],
        "before_certainty": old["certainty"][i],
        "after_status": new["status"][j],
        "after_certainty": new["certainty"][j],
        "source_ids": cited,
    }
    # As objects: a string column would turn the missing side (None) into NaN, "nan" in tables.
    return pd.DataFrame(
        {name: pd.Series(list(values), dtype=object) for name, values in columns.items()},
        columns=SITE_CHANGE_COLUMNS,
    )


def _forces_changes(first: Snapshot, second: Snapshot) -> pd.DataFrame:
    """One row per site on both maps whose sources name different nations on the two dates.

    Only where both dates name some: a period that names none says nothing of who left ("not
    stated"), so it is no change of nations. Whole columns first (this runs on every rerun in
    compare mode); only the few sites whose lists differ are looked at one by one.
    """
    if "forces" not in first.sites.columns or "forces" not in second.sites.columns:
        return pd.DataFrame(columns=FORCES_CHANGE_COLUMNS)
    old_ids = first.sites["site_id"].to_numpy(dtype=object)
    j = pd.Index(second.sites["site_id"], dtype=object).get_indexer(old_ids)
    on_both = np.flatnonzero(j >= 0)
    old_forces = first.sites["forces"].to_numpy(dtype=object)[on_both]
    new_forces = second.sites["forces"].to_numpy(dtype=object)[j[on_both]]
    differ = np.fromiter(
        (a != b for a, b in zip(old_forces, new_forces)), dtype=bool, count=len(on_both)
    )
    rows = []
    for k in np.flatnonzero(differ):
        before, after = tuple(old_forces[k] or ()), tuple(new_forces[k] or ())
        if not before or not after or set(before) == set(after):
            continue
        i, n = on_both[k], j[on_both[k]]
        ids = tuple(first.sites["forces_source_ids"].iat[i] or ())
        later = second.sites["forces_source_ids"].iat[n] or ()
        rows.append(
            {
                "site_id": old_ids[i],
                "name": second.sites["name"].iat[n],
                "before": before,
                "after": after,
                "source_ids": ids + tuple(x for x in later if x not in ids),
            }
        )
    return pd.DataFrame(rows, columns=FORCES_CHANGE_COLUMNS)


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
    # Sorted once per dataset: sorting what falls between on every rerun took longer than
    # finding it (100,000 events at 10,000 sites).
    events = derived.once(
        dataset,
        "events_by_date",
        lambda: dataset.events.sort_values(["date_first", "event_id"]).reset_index(drop=True),
    )
    inside = (events["date_last"] > pd.Timestamp(first)) & (
        events["date_first"] <= pd.Timestamp(second)
    )
    return events[inside].reset_index(drop=True)


def comparison_table(dataset: Dataset, comparison: Comparison) -> pd.DataFrame:
    """Every change as one row (site, nations, figure or event) with its sources spelled out,
    for export."""
    rows = []

    def add(what, id_, name, change, before, after, date, source_ids) -> None:
        labels, urls = cited_cells(dataset, source_ids)
        rows.append((what, id_, name, change, before, after, date, labels, urls))

    for site in comparison.sites.itertuples(index=False):
        before = _pair(site.before_status, site.before_certainty)
        after = _pair(site.after_status, site.after_certainty)
        add("site", site.site_id, site.name, site.change, before, after, "", site.source_ids)
    for change in comparison.forces.itertuples(index=False):
        before, after = "; ".join(change.before), "; ".join(change.after)
        add("forces", change.site_id, change.name, "forces", before, after, "", change.source_ids)
    for figure in comparison.figures.itertuples(index=False):
        key = f"{figure.force}|{figure.scope}|{figure.site_id or ''}"
        name = f"{figure.force} ({figure.site_id or figure.scope})"
        before = "" if figure.before is None else f"{figure.before} ({figure.before_as_of})"
        after = "" if figure.after is None else f"{figure.after} ({figure.after_as_of})"
        add("figure", key, name, "figure", before, after, "", figure.source_ids)
    # Only the columns used: turning the date columns into timestamps row by row costs seconds.
    events = comparison.events[["event_id", "title", "kind", "date", "source_ids"]]
    for event in events.itertuples(index=False):
        add("event", event.event_id, event.title, event.kind, "", "", event.date, event.source_ids)
    columns = ["what", "id", "name", "change", "before", "after", "date", "sources", "source_urls"]
    table = pd.DataFrame(rows, columns=columns)
    table.insert(0, "second_date", comparison.second.when.isoformat())
    table.insert(0, "first_date", comparison.first.when.isoformat())
    return table


def change_count(comparison: Comparison) -> int:
    """How many rows comparison_table has: site, nation and figure changes, and events."""
    return (
        len(comparison.sites)
        + len(comparison.forces)
        + len(comparison.figures)
        + len(comparison.events)
    )


def comparison_preview(dataset: Dataset, comparison: Comparison, limit: int) -> pd.DataFrame:
    """The first `limit` rows of comparison_table, made from no more changes than that: at
    10,000 sites two dates can differ by tens of thousands of rows, too many to build and send
    on every rerun (the CSV, made when asked for, has them all)."""
    head = replace(
        comparison,
        sites=comparison.sites.head(limit),
        forces=comparison.forces.head(limit),
        figures=comparison.figures.head(limit),
        events=comparison.events.head(limit),
    )
    return comparison_table(dataset, head).head(limit)


def _pair(status: str | None, certainty: str | None) -> str:
    return "" if status is None else f"{status} ({certainty})"
