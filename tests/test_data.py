"""The bundled Epoch data and its loader: schema, reference values, validation."""

from __future__ import annotations

from importlib.resources import files

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from agi_timelines.constants import GPT3_FLOP, GPT4_FLOP, GPT4_YEAR
from agi_timelines.data import (
    EPOCH_VERSION,
    REQUIRED_COLUMNS,
    decimal_year,
    frontier_runs,
    notable_runs,
)

COLUMNS = [
    "model",
    "organization",
    "publication_date",
    "date",
    "training_compute_flop",
    "log10_flop",
    "domain",
    "confidence",
    "frontier_model",
]
HEADER = (
    "model,organization,publication_date,training_compute_flop,domain,frontier_model,confidence"
)


@pytest.fixture(scope="module")
def runs() -> pd.DataFrame:
    return frontier_runs()


def test_frontier_schema_and_size(runs: pd.DataFrame) -> None:
    assert list(runs.columns) == COLUMNS
    assert len(runs) == 121  # README: frontier_models.csv has 121 rows
    assert (runs["date"] >= 2010).sum() == 121
    assert (runs["date"] >= 2018).sum() == 75  # README: 75 rows since 2018
    assert runs["date"].dtype == np.float64
    assert runs["log10_flop"].dtype == np.float64
    assert runs["frontier_model"].dtype == bool
    assert pd.api.types.is_datetime64_any_dtype(runs["publication_date"])
    assert runs["date"].is_monotonic_increasing
    np.testing.assert_allclose(runs["log10_flop"], np.log10(runs["training_compute_flop"]))
    assert set(runs["confidence"]) == {"Confident", "Likely", "Speculative"}
    assert runs["confidence"].value_counts().to_dict() == {
        "Confident": 66,
        "Likely": 37,
        "Speculative": 18,
    }


def test_reference_rows_match_constants(runs: pd.DataFrame) -> None:
    by_model = runs.set_index("model")
    gpt4 = by_model.loc["GPT-4 (Mar 2023)"]
    assert gpt4["training_compute_flop"] == GPT4_FLOP == 2.1e25
    assert gpt4["date"] == pytest.approx(GPT4_YEAR, abs=0.005)
    assert gpt4["organization"] == "OpenAI"
    gpt3 = by_model.loc["GPT-3 175B (davinci)"]
    assert gpt3["training_compute_flop"] == pytest.approx(GPT3_FLOP, rel=0.02)
    assert runs["training_compute_flop"].max() == 5e26  # README: Grok 4, no row above 5e26


def test_provenance_attrs(runs: pd.DataFrame) -> None:
    assert runs.attrs["licence"] == "CC-BY 4.0"
    assert runs.attrs["version"] == EPOCH_VERSION == "2026-08-05"
    assert "epoch.ai" in runs.attrs["source"]
    assert "Epoch AI" in runs.attrs["citation"]
    readme = files("agi_timelines.data").joinpath("README.md").read_text()
    assert "CC-BY 4.0" in readme and "2026-08-05" in readme and "Please cite Epoch AI" in readme


def test_notable_runs() -> None:
    notable = notable_runs()
    assert len(notable) == 534
    assert (notable["date"] >= 2010).sum() == 472
    assert notable["organization"].isna().sum() == 15  # empty in the source, kept as <NA>
    assert notable.attrs["file"] == "notable_models.csv"
    assert set(frontier_runs()["model"]) <= set(notable["model"])


def test_user_file_roundtrip(tmp_path) -> None:
    path = tmp_path / "runs.csv"
    path.write_text(
        "model,publication_date,training_compute_flop\nB,2024-06-01,1e26\nA,2020-01-01,3e23\n"
    )
    runs = frontier_runs(path)
    assert runs["model"].tolist() == ["A", "B"]  # sorted by date
    np.testing.assert_allclose(runs["log10_flop"], [np.log10(3e23), 26.0])
    assert runs["organization"].isna().all() and not runs["frontier_model"].any()
    assert runs.attrs["version"].startswith("sha256:")
    assert runs.attrs["source"] == str(path)


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (
            "model,publication_date\nA,2020-01-01\n",
            r"missing column\(s\) \['training_compute_flop'\]",
        ),
        (f"{HEADER}\nA,Org,2020-01-01,,Language,False,Likely\n", r"training_compute_flop.*line 2"),
        (f"{HEADER}\nA,Org,2020-01-01,-3e23,Language,False,Likely\n", r"positive number.*'-3e23'"),
        (f"{HEADER}\nA,Org,2020-01-01,0,Language,False,Likely\n", r"training_compute_flop.*'0'"),
        (
            f"{HEADER}\nA,Org,2020-01-01,abc,Language,False,Likely\n",
            r"training_compute_flop.*'abc'",
        ),
        (f"{HEADER}\nA,Org,2020-01-01,inf,Language,False,Likely\n", r"training_compute_flop"),
        (
            f"{HEADER}\nA,Org,2020-01-01,1e20,L,False,Likely\n"
            "B,Org,March 2021,1e22,L,False,Likely\n",
            r"publication_date.*line 3 \(model 'B'\): 'March 2021'",
        ),
        (f"{HEADER}\n,Org,2020-01-01,1e20,L,False,Likely\n", r"column 'model' is empty"),
        (f"{HEADER}\nA,Org,2020-01-01,1e20,L,maybe,Likely\n", r"frontier_model.*'maybe'"),
        (f"{HEADER}\n", r"no data rows"),
        ("", r"not a readable CSV"),
    ],
)
def test_malformed_csv_names_the_problem(tmp_path, body: str, match: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(body)
    with pytest.raises(ValueError, match=match) as info:
        frontier_runs(path)
    if body:
        assert "bad.csv" in str(info.value)


def test_required_columns_are_documented() -> None:
    assert REQUIRED_COLUMNS == ("model", "publication_date", "training_compute_flop")


@given(
    st.dates(
        min_value=pd.Timestamp("1900-01-01").date(), max_value=pd.Timestamp("2200-12-31").date()
    )
)
def test_decimal_year_lies_in_its_year(day) -> None:
    value = decimal_year(pd.Series(pd.to_datetime([day]))).iloc[0]
    assert day.year <= value < day.year + 1
    next_day = decimal_year(pd.Series(pd.to_datetime([day]) + pd.Timedelta(days=1))).iloc[0]
    assert next_day > value


@pytest.mark.parametrize("loader", ["frontier_runs", "time_horizons"])
def test_every_loader_refuses_files_that_are_not_utf8_csv(loader, tmp_path):
    """Both tables are read by one safe reader.

    UTF-16, binary and non-regular files are named and refused before parsing.
    """
    import os

    import agi_timelines.data as data

    load = getattr(data, loader)
    utf16 = tmp_path / "table.csv"
    utf16.write_bytes("model,x\nA,1\n".encode("utf-16"))
    with pytest.raises(ValueError, match=r"table\.csv: is UTF-16"):
        load(utf16)
    binary = tmp_path / "table.bin"
    binary.write_bytes(b"model\x00,x\n")
    with pytest.raises(ValueError, match="NUL bytes"):
        load(binary)
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match="not a regular file"):
        load(fifo)
