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
