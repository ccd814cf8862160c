"""Narrowing the view: which statuses, certainties and countries the map, tables and exports show."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from components.timeline import Snapshot


@dataclass(frozen=True)
class SiteFilter:
    """What to keep; an empty choice keeps everything of that kind."""

    statuses: tuple[str, ...] = ()
    certainties: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return bool(self.statuses or self.certainties or self.countries)

    def keeps(self, sites: pd.DataFrame) -> pd.Series:
        """A boolean per site row: True where every chosen kind matches."""
        kept = pd.Series(True, index=sites.index)
        for column, chosen in (
            ("status", self.statuses),
            ("certainty", self.certainties),
            ("country", self.countries),
        ):
            if chosen:
                kept &= sites[column].isin(chosen)
        return kept

    def apply(self, snap: Snapshot) -> Snapshot:
        """The snapshot with only the sites kept (figures, phase and events stay whole)."""
        if not self.active:
            return snap
        sites = snap.sites[self.keeps(snap.sites)].reset_index(drop=True)
        return dataclasses.replace(snap, sites=sites)
