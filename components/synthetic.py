"""Synthetic datasets of any size, in the bundled data's shape, for benchmarks and scale tests."""

from __future__ import annotations

import csv
import datetime as dt
import random
import shutil
from pathlib import Path

from components.dataset import load_schema

STATUS_CYCLE = ("active", "drawdown", "handed_over", "active", "closed")


def write_synthetic_dataset(
    directory: str | Path,
    sites: int,
    periods_per_site: int = 4,
    events: int = 1_000,
    figures: int = 200,
    seed: int = 7,
) -> Path:
    """Writes a valid dataset with `sites` sites spread over Iraq and returns its directory.

    Each site gets `periods_per_site` back-to-back status periods (the last one open-ended), so
    the loader's no-overlap rule holds; `events` is spread at random over sites and days.
    """
    if sites < 0 or events < 0 or figures < 0:
        raise ValueError("sizes cannot be negative")
    if not 1 <= periods_per_site <= 1_000:
        raise ValueError("periods_per_site must be between 1 and 1,000")
    rng = random.Random(seed)
    target = Path(directory)
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    schema = load_schema()
    columns = {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in schema["resources"]}
    source_ids = [f"src-{n}" for n in range(20)]
    tables: dict[str, list[dict[str, object]]] = {name: [] for name in columns}
    for n, source_id in enumerate(source_ids):
        tables["sources"].append(
            {
                "source_id": source_id,
                "publisher": f"Synthetic publisher {n}",
                "title": f"Synthetic report {n}",
                "published": f"{2003 + n}-01-15",
                "language": "en",
                "url": f"https://example.org/synthetic/{n}",
                "quote_original": "Synthetic passage.",
                "quote_english": "Synthetic passage.",
                "accessed": "2026-11-23",
            }
        )
    first_day = dt.date(2003, 3, 20)
    span_days = (dt.date(2026, 9, 30) - first_day).days
    for n in range(sites):
        site_id = f"site-{n:05d}"
        tables["sites"].append(
            {
                "site_id": site_id,
                "name_en": f"Synthetic site {n}",
                "name_ar": f"موقع {n}",
                "lat": round(rng.uniform(29.5, 37.0), 4),
                "lon": round(rng.uniform(39.5, 47.5), 4),
                "location_precision": "site",
                "country": "Iraq",
                "kind": rng.choice(["air_base", "camp", "headquarters", "airport"]),
                "source_ids": rng.choice(source_ids),
            }
        )
        cuts = sorted(rng.sample(range(1, span_days), periods_per_site))
        for k, cut in enumerate(cuts):
            start = first_day + dt.timedelta(days=cut)
            last = k == periods_per_site - 1
            end = "" if last else (first_day + dt.timedelta(days=cuts[k + 1] - 1)).isoformat()
            tables["site_status"].append(
                {
                    "period_id": f"{site_id}-p{k}",
                    "site_id": site_id,
                    "status": STATUS_CYCLE[k % len(STATUS_CYCLE)],
                    "start": start.isoformat(),
                    "end": end,
                    "certainty": rng.choice(["reported", "reported", "planned", "disputed"]),
                    "source_ids": rng.choice(source_ids),
                }
            )
    for n in range(events):
        day = first_day + dt.timedelta(days=rng.randrange(span_days))
        tables["events"].append(
            {
                "event_id": f"event-{n:06d}",
                "date": day.isoformat(),
                "kind": rng.choice(["announcement", "talks", "convoy", "handover"]),
                "title": f"Synthetic event {n}",
                "site_ids": f"site-{rng.randrange(sites):05d}" if sites else "",
                "certainty": "reported",
                "source_ids": rng.choice(source_ids),
            }
        )
    for n in range(figures):
        day = first_day + dt.timedelta(days=rng.randrange(span_days))
        value = rng.randrange(500, 170_000)
        kind = rng.choice(["reported", "reported", "planned"])
        tables["troop_figures"].append(
            {
                "figure_id": f"fig-{n:05d}",
                "date": day.isoformat(),
                "force": rng.choice(["us", "coalition_other", "coalition_total"]),
                "scope": "iraq",
                "value": value,
                "qualifier": "about",
                "kind": kind,
                "counts": "presence" if kind == "reported" else "target",
                "certainty": "reported",
                "source_ids": source_ids[0],
            }
        )
    year_starts = list(range(2003, 2027, 3))
    for k, year in enumerate(year_starts):
        end = f"{year_starts[k + 1] - 1}-12-31" if k + 1 < len(year_starts) else ""
        tables["phases"].append(
            {
                "phase_id": f"phase-{k}",
                "name": f"Phase {k}",
                "start": f"{year}-01-01",
                "end": end,
                "dates_certainty": "reported",
                "date_source_ids": source_ids[0],
                "summary": "Synthetic phase.",
                "source_ids": source_ids[0],
            }
        )
    for n in range(min(sites - 1, 50)):
        tables["movements"].append(
            {
                "movement_id": f"move-{n}",
                "date": (first_day + dt.timedelta(days=rng.randrange(span_days))).isoformat(),
                "from_site_id": f"site-{n:05d}",
                "to_site_id": f"site-{n + 1:05d}",
                "description": "Synthetic relocation.",
                "certainty": "reported",
                "source_ids": source_ids[0],
            }
        )
    for resource in schema["resources"]:
        with (target / resource["path"]).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns[resource["name"]])
            writer.writeheader()
            writer.writerows(tables[resource["name"]])
    return target
