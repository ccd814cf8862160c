"""The schema is a Frictionless data package the field's tools accept, and it checks the data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

frictionless = pytest.importorskip("frictionless")

from components.dataset import DATA_DIR, DatasetError, load_dataset  # noqa: E402


def test_frictionless_validates_the_bundled_data_package() -> None:
    report = frictionless.validate(str(DATA_DIR / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])[:10]


def test_frictionless_and_the_loader_both_refuse_a_broken_table(tmp_path: Path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    sites = copy / "sites.csv"
    text = sites.read_text(encoding="utf-8")
    header, first, rest = text.split("\n", 2)
    cells = first.split(",")
    cells[header.split(",").index("lat")] = "north"
    sites.write_text("\n".join([header, ",".join(cells), rest]), encoding="utf-8")
    report = frictionless.validate(str(copy / "datapackage.json"))
    assert not report.valid
    assert "type-error" in {error[0] for error in report.flatten(["type"])}
    with pytest.raises(DatasetError, match=r"sites\.csv, line 2, column lat"):
        load_dataset(copy)


def test_a_formula_in_a_list_field_is_still_refused(tmp_path: Path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    sites = copy / "sites.csv"
    text = sites.read_text(encoding="utf-8")
    sites.write_text(text.replace("Al Asad Airbase;", "=HYPERLINK(1);", 1), encoding="utf-8")
    with pytest.raises(DatasetError, match=r"column other_names: .*spreadsheet formula"):
        load_dataset(copy)


def test_a_nation_outside_the_vocabulary_or_uncited_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    periods = copy / "site_status.csv"
    text = periods.read_text(encoding="utf-8")
    assert ",australia;us,s-wiki-al-asad-2003;" in text
    periods.write_text(text.replace(",australia;us,", ",australia;narnia,", 1), encoding="utf-8")
    with pytest.raises(DatasetError, match=r"column forces: 'narnia' is not one of: us, uk"):
        load_dataset(copy)
    uncited = text.replace(
        ",australia;us,s-wiki-al-asad-2003;s-irna-al-asad-history,", ",australia;us,,", 1
    )
    periods.write_text(uncited, encoding="utf-8")
    with pytest.raises(DatasetError, match=r"column forces_source_ids: is empty, but forces"):
        load_dataset(copy)
    # Sources with no nation to support are refused too.
    orphan = text.replace(
        ',reported,,,,,"Iraqi control between', ',reported,,,,s-irna-al-asad-history,"Iraqi', 1
    )
    assert orphan != text
    periods.write_text(orphan, encoding="utf-8")
    with pytest.raises(DatasetError, match=r"column forces: is empty, but forces_source_ids"):
        load_dataset(copy)
