"""netCDF files: compressed by default, lossless, and the level is the caller's choice."""

from __future__ import annotations

import h5py
import numpy as np
import pytest
import xarray as xr

import agi_timelines as agt


def _same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


@pytest.mark.parametrize("compression", [None, 0, 1, 9])
def test_round_trip_is_bit_identical(preset_fc, tmp_path, compression):
    path = preset_fc.to_netcdf(tmp_path / "fc.nc", compression=compression)
    back = agt.Forecast.from_netcdf(path)
    xr.testing.assert_identical(back.tree, preset_fc.tree)
    assert back.tree.attrs == preset_fc.tree.attrs
    for name, var in preset_fc.draws.variables.items():
        assert _same_bits(back.draws[name].values, var.values), name  # inf included
    assert np.isinf(back.arrival.values).any()


def test_compressed_by_default_with_shuffle(preset_fc, tmp_path):
    small = preset_fc.to_netcdf(tmp_path / "default.nc")
    plain = preset_fc.to_netcdf(tmp_path / "plain.nc", compression=0)
    with h5py.File(small) as f:
        var = f["prior/arrival_year"]
        assert var.compression == "gzip" and var.shuffle
    with h5py.File(plain) as f:
        assert f["prior/arrival_year"].compression is None
    assert small.stat().st_size < 0.9 * plain.stat().st_size


def test_a_loaded_compressed_forecast_can_be_written_uncompressed(preset_fc, tmp_path):
    back = agt.Forecast.from_netcdf(preset_fc.to_netcdf(tmp_path / "a.nc", compression=6))
    plain = back.to_netcdf(tmp_path / "b.nc", compression=None)
    with h5py.File(plain) as f:
        assert f["prior/arrival_year"].compression is None
    again = agt.Forecast.from_netcdf(plain)
    assert _same_bits(again.arrival.values, preset_fc.arrival.values)


@pytest.mark.parametrize("bad", [-1, 10, 2.5, True, "9"])
def test_bad_compression_names_the_parameter(preset_fc, tmp_path, bad):
    with pytest.raises(ValueError, match=r"compression must be a zlib level.*\[0, 9\]"):
        preset_fc.to_netcdf(tmp_path / "fc.nc", compression=bad)
    assert list(tmp_path.iterdir()) == []


def _draws_fc(n: int, dtype: type = np.float64) -> agt.Forecast:
    """Return a forecast tree of ``n`` synthetic draws.

    Over a chunk and a half, inf and NaN included, so edge chunks are padded.
    """
    rng = np.random.default_rng(7)
    arrival = 2025 + rng.lognormal(1.5, 1.0, n)
    arrival[rng.random(n) < 0.05] = np.inf
    rate = rng.normal(0.5, 0.1, n).astype(dtype)
    rate[:3] = np.nan
    attrs = {"scenario": agt.Scenario.preset("aschenbrenner-2024").to_toml_string(), "seed": 0}
    return agt.Forecast.from_draws({"arrival_year": arrival, "compute.rate": rate}, attrs)


@pytest.mark.parametrize("compression", [1, 2, 3, 4, 9])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_direct_chunks_read_back_through_hdf5s_own_filters(tmp_path, compression, dtype):
    from agi_timelines._netcdf import CHUNK_ELEMENTS, netcdf_encoding

    fc = _draws_fc(CHUNK_ELEMENTS + CHUNK_ELEMENTS // 2 + 3, dtype)
    ours = fc.to_netcdf(tmp_path / "ours.nc", compression=compression)
    # the reference: the same encoding, compressed by HDF5's zlib filter (xarray's writer)
    theirs = tmp_path / "theirs.nc"
    fc.tree.to_netcdf(theirs, engine="h5netcdf", encoding=netcdf_encoding(fc.tree, compression))
    with h5py.File(ours) as a, h5py.File(theirs) as b:
        for name in ("arrival_year", "compute_rate", "draw"):
            x, y = a[f"prior/{name}"], b[f"prior/{name}"]
            assert (x.compression, x.compression_opts, x.shuffle, x.chunks) == (
                y.compression,
                y.compression_opts,
                y.shuffle,
                y.chunks,
            )
            assert x.compression == "gzip" and x.shuffle
            assert _same_bits(x[()], y[()]), name  # h5py inflates and unshuffles
            assert dict(x.attrs).keys() == dict(y.attrs).keys()
    back = agt.Forecast.from_netcdf(ours)
    xr.testing.assert_identical(back.tree, fc.tree)
    for name, var in fc.draws.variables.items():
        assert _same_bits(back.draws[name].values, var.values), name
    # no larger than HDF5's own deflate (the placeholder chunks left behind are tiny)
    assert ours.stat().st_size < 1.01 * theirs.stat().st_size


def test_cli_and_api_write_the_same_values(preset_fc, tmp_path):
    from agi_timelines._netcdf import DEFAULT_COMPRESSION, compressed_buffer

    buffer = compressed_buffer(preset_fc.tree, DEFAULT_COMPRESSION)
    path = tmp_path / "buffer.nc"
    path.write_bytes(buffer.getvalue())
    xr.testing.assert_identical(agt.Forecast.from_netcdf(path).tree, preset_fc.tree)


def test_strings_booleans_and_packed_variables_are_left_to_hdf5s_filter(tmp_path):
    from agi_timelines._io import write_netcdf

    names = xr.DataArray(np.array(["aschenbrenner-2024", "epoch-trends"], dtype=object), dims="s")
    values = xr.DataArray(np.array([0.5, np.inf]), dims="s")
    flags = xr.DataArray(np.array([True, False]), dims="s")  # xarray stores int8
    packed = xr.DataArray(np.array([1.25, 2.5]), dims="s")
    packed.encoding = {"dtype": "int16", "scale_factor": 0.25}  # as read from a packed file
    data = {"scenario": names, "p": values, "flag": flags, "packed": packed}
    tree = xr.DataTree(xr.Dataset(data))
    path = write_netcdf(tree, tmp_path / "t.nc", compression=1)
    with xr.open_datatree(path, engine="h5netcdf") as back:
        assert back["scenario"].values.tolist() == ["aschenbrenner-2024", "epoch-trends"]
        assert _same_bits(back["p"].values, values.values)
        assert back["flag"].values.tolist() == [True, False]
        assert back["packed"].values.tolist() == [1.25, 2.5]
