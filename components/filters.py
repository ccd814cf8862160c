"""Narrowing the view: which statuses, certainties, countries and forces the map, tables and
exports show."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from components.timeline import Snapshot

# The force filter's choice for periods whose sources name no nation: shown apart, never guessed.
NOT_STATED = "not_stated"


@dataclass(frozen=True)
class SiteFilter:
    """What to keep; an empty choice keeps everything of that kind."""

    statuses: tuple[str, ...] = ()
    certainties: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    forces: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return bool(self.statuses or self.certainties or self.countries or self.forces)

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
        if self.forces:
            kept &= self._keeps_forces(sites)
        return kept

    def _keeps_forces(self, sites: pd.DataFrame) -> pd.Series:
        """A site is kept when its period names one of the chosen nations, or names none and
        'not stated' is chosen."""
        chosen = set(self.forces)
        want_unstated = NOT_STATED in chosen
        if "forces" not in sites.columns:  # a table from before forces were recorded
            return pd.Series(want_unstated, index=sites.index)
        return pd.Series(
            [
                bool(chosen.intersection(named)) if named else want_unstated
                for named in sites["forces"]
            ],
            index=sites.index,
            dtype=bool,
        )

    def apply(self, snap: Snapshot) -> Snapshot:
        """The snapshot with only the sites kept (figures, phase and events stay whole)."""
        if not self.active:
            return snap
        sites = snap.sites[self.keeps(snap.sites)].reset_index(drop=True)
        return dataclasses.replace(snap, sites=sites)
