"""Correlated assumptions: ``[[correlations]]`` sampled through a Gaussian copula.

Two scenario structures keep compilation cheap: ``BASE`` (the preset with the data wall
off) and ``MIXED`` (every prior kind: log-normal and normal ci90s, uniform, beta and a
mixture), each with one fixed set of correlated paths whose ranks are numbers (shared
variables), so every rank below reuses one compiled engine.
"""

from __future__ import annotations

import json
import math
import warnings
import zlib

import numpy as np
import pymc as pm
import pytest
from scipy import stats

import agi_timelines as agt
from agi_timelines._seeds import SEED_BLOCK
from agi_timelines.priors import Mixture
from agi_timelines.scenario import CorrelationWarning, Scenario

BASE = Scenario.preset("aschenbrenner-2024").replace({"data_wall.enabled": False})
# the preset's requirement leaves >5% of draws censored; this one keeps the 90% interval finite
FINITE = BASE.replace({"requirement.ooms": agt.ci90(4.0, 7.0)})
RATES = ("compute.rate", "algorithms.rate")

MIXED = BASE.replace(
    {
        "algorithms.rate": agt.uniform(0.25, 0.65),
        "unhobbling.rate": agt.beta(2.0, 8.0),
        "requirement.ooms": agt.mixture(
            [agt.ci90(4.0, 7.0), agt.uniform(6.0, 10.0)], [0.6, 0.4], names=["near", "far"]
        ),
    }
)
PAIRS = [
    ("compute.rate", "algorithms.rate"),  # log-normal ~ uniform
    ("compute.rate", "requirement.ooms"),  # ~ mixture (same copula group)
    ("unhobbling.rate", "compute.slowdown_year"),  # beta ~ normal ci90
    ("algorithms.cap", "unhobbling.cap"),  # log-normal ~ log-normal
]
N = 200_000

# MIXED without correlations samples its mixture with pm.Mixture, which warns about transforms
pytestmark = pytest.mark.filterwarnings("ignore:No safe default transform:UserWarning")


def _correlated(base: Scenario, pairs: list[tuple[str, str]], ranks: list[float]) -> Scenario:
    for (a, b), rank in zip(pairs, ranks, strict=True):
        base = base.correlate(a, b, rank)
    return base


@pytest.fixture(scope="module")
def mixed_fc() -> tuple[agt.Forecast, agt.Forecast]:
    """``MIXED`` with ranks (0.6, -0.3, -0.7, 0.2), and without correlations; same seed."""
    scn = _correlated(MIXED, PAIRS, [0.6, -0.3, -0.7, 0.2])
    return agt.forecast(scn, draws=N, seed=11), agt.forecast(MIXED, draws=N, seed=11)


# -- the copula reproduces the targets and keeps the marginals ---------------------------------
def test_realized_rank_correlations_match_targets(mixed_fc):
    check = mixed_fc[0].correlation_check()
    assert list(check.target) == [0.6, -0.3, -0.7, 0.2]
    assert check.used.all()
    assert (check.error.abs() < 0.01).all(), check


@pytest.mark.parametrize(
    "ranks", [[-0.5, 0.4, 0.8, -0.1], [0.9, 0.0, 0.3, -0.9]], ids=["mixed-signs", "strong"]
)
def test_realized_rank_correlations_other_targets(ranks):
    fc = agt.forecast(_correlated(MIXED, PAIRS, ranks), draws=N, seed=3)
    check = fc.correlation_check()
    assert (check.error.abs() < 0.01).all(), check
    # pairs that were not listed stay independent (within Monte Carlo noise, ~1/sqrt(N))
    rho = fc.rank_correlations()
    assert abs(rho.loc["compute.cap", "algorithms.rate"]) < 0.01
    assert abs(rho.loc["unhobbling.rate", "requirement.ooms"]) < 0.01


def test_marginals_are_unchanged(mixed_fc):
    corr, indep = (fc.parameters() for fc in mixed_fc)
    levels = np.array([0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99])
    band = 5 * np.sqrt(2 * levels * (1 - levels) / N)  # 5 s.e. of a difference of two ECDFs
    correlated = {p for pair in PAIRS for p in pair}
    for path, prior in MIXED.random_fields().items():
        x, y = corr[path], indep[path]
        if path not in correlated:  # seeded by its own name, as without correlations
            np.testing.assert_array_equal(x, y, err_msg=path)
            continue
        assert not np.array_equal(x, y)
        ecdf = np.searchsorted(np.sort(x), np.quantile(y, levels)) / N
        assert np.all(np.abs(ecdf - levels) < band), (path, ecdf)
        assert stats.ks_2samp(x, y).pvalue > 1e-3, path
        cdf = prior.cdf if isinstance(prior, Mixture) else prior.scipy().cdf
        assert stats.kstest(x, cdf).pvalue > 1e-3, path


def test_copula_draws_follow_the_documented_recipe():
    """Return the copula's draws, built from the documented recipe.

    Group ``g`` in block ``j`` draws standard normals from seed ``(seed, j, crc32("copula:" +
    ",".join(g)))``, multiplies them by the Cholesky factor of ``2 sin(pi rank / 6)`` and maps each
    column through its prior's quantile function.
    """
    scn = _correlated(MIXED, PAIRS, [0.6, -0.3, -0.7, 0.2])
    seed, n = 4, SEED_BLOCK + 100  # two blocks
    params = agt.forecast(scn, draws=n, seed=seed).parameters()
    group = scn.correlation_groups()[0]
    assert group == ("compute.rate", "algorithms.rate", "requirement.ooms")
    chol = np.linalg.cholesky(scn.correlation_matrix(group))
    assert math.isclose(scn.correlation_matrix(group)[0, 1], 2 * math.sin(math.pi * 0.6 / 6))
    key = zlib.crc32(("copula:" + ",".join(group)).encode())
    priors = scn.random_fields()
    for j in range(2):
        (child,) = np.random.SeedSequence([seed, j, key]).spawn(1)
        normals = np.random.Generator(np.random.PCG64(child)).normal(size=(SEED_BLOCK, 3))
        scores = normals @ chol.T
        rows = slice(j * SEED_BLOCK, min((j + 1) * SEED_BLOCK, n))
        m = rows.stop - rows.start
        for k, path in enumerate(group):
            want = priors[path].ppf(stats.norm.cdf(scores[:m, k]))
            np.testing.assert_allclose(params[path][rows], want, rtol=1e-9, err_msg=path)


# -- what correlation does to the forecast ---------------------------------------------------
def test_positive_rate_correlation_widens_the_arrival_interval():
    def width(scn: Scenario) -> float:
        lo, hi = agt.forecast(scn, draws=100_000, seed=2).interval(0.9)
        return hi - lo

    indep = width(FINITE)
    pos, zero, neg = (width(FINITE.correlate(*RATES, r)) for r in (0.5, 0.0, -0.5))
    assert math.isfinite(indep)
    assert pos > 1.04 * indep and pos > 1.04 * zero
    assert neg < 0.96 * indep and neg < 0.96 * zero
    assert abs(zero - indep) < 0.02 * indep  # rank 0: independent, other random numbers


# -- reproducibility ---------------------------------------------------------------------------
def test_same_seed_identical_and_chunk_size_invariant():
    scn = FINITE.correlate(*RATES, 0.5)
    a = agt.forecast(scn, draws=70_000, seed=5)
    b = agt.forecast(scn, draws=70_000, seed=5, chunk_size=9_999)
    c = agt.forecast(scn, draws=40_000, seed=5)
    for name in a.draws.data_vars:
        x = a.draws[name].values.ravel()
        np.testing.assert_array_equal(x, b.draws[name].values.ravel(), err_msg=name)
        np.testing.assert_array_equal(x[:40_000], c.draws[name].values.ravel(), err_msg=name)
    other = agt.forecast(scn, draws=70_000, seed=6)
    assert not np.array_equal(a.arrival.values, other.arrival.values)


def test_without_correlations_draws_are_as_before():
    """Each parameter of an uncorrelated scenario is still seeded by its own name.

    Block by block (the pre-copula recipe), so results without correlations did not change.
    """
    seed, n = 7, SEED_BLOCK + 50
    fc = agt.forecast(BASE, draws=n, seed=seed)
    assert json.loads(fc.tree.attrs["correlations"]) == []
    assert "correlations" not in BASE.to_toml_string()
    prior = BASE.compute.rate.as_base()
    got = fc.parameters()["compute.rate"]
    for j in range(2):
        (child,) = np.random.SeedSequence([seed, j, zlib.crc32(b"compute.rate")]).spawn(1)
        want = np.random.Generator(np.random.PCG64(child)).lognormal(
            prior.mu, prior.sigma, SEED_BLOCK
        )
        rows = slice(j * SEED_BLOCK, min((j + 1) * SEED_BLOCK, n))
        np.testing.assert_allclose(got[rows], want[: rows.stop - rows.start], rtol=1e-14)


def test_rank_is_a_number_not_structure():
    a, b = FINITE.correlate(*RATES, 0.5), FINITE.correlate(*RATES, -0.2)
    assert a.structure() == b.structure() != FINITE.structure()
    assert a.structure() != FINITE.correlate("compute.rate", "unhobbling.rate", 0.5).structure()
    # the pair is found in either order and its rank replaced in place
    c = a.correlate("unhobbling.rate", "compute.cap", 0.1)
    c = c.correlate("algorithms.rate", "compute.rate", 0.3)
    assert [(x.between, x.rank) for x in c.correlations] == [
        (("algorithms.rate", "compute.rate"), 0.3),
        (("unhobbling.rate", "compute.cap"), 0.1),
    ]


# -- bad input: errors and warnings name the pair -----------------------------------------------
@pytest.mark.parametrize(
    ("pairs", "named", "why"),
    [
        ([("compute.rate", "compute.rate", 0.5)], "compute.rate ~ compute.rate", "itself"),
        ([("compute.rate", "algorithms.rate", 1.0)], "compute.rate ~ algorithms.rate", "between"),
        ([("compute.rate", "algorithms.rate", -1.5)], "compute.rate ~ algorithms.rate", "between"),
        ([("compute.rate", "algorithms.rate", math.nan)], "compute.rate ~ algorithms.rate", "nan"),
        ([("compute.rat", "algorithms.rate", 0.5)], "compute.rat ~ algorithms.rate", "unknown"),
        ([("compute.rate", "horizon", 0.5)], "compute.rate ~ horizon", "not a prior"),
        ([("reference.year", "compute.rate", 0.5)], "reference.year ~ compute.rate", "not a prior"),
        ([("compute.spending.rate", "compute.rate", 0.5)], "compute.spending.rate ~", "not set"),
        (
            [("compute.rate", "algorithms.rate", 0.5), ("algorithms.rate", "compute.rate", 0.2)],
            "algorithms.rate ~ compute.rate",
            "listed twice",
        ),
        (
            [
                ("compute.rate", "algorithms.rate", 0.9),
                ("algorithms.rate", "unhobbling.rate", 0.9),
                ("compute.rate", "unhobbling.rate", -0.9),
            ],
            "compute.rate ~ unhobbling.rate (-0.9)",
            "not positive definite",
        ),
    ],
)
def test_bad_correlations_raise_naming_the_pair(pairs, named, why):
    data = BASE.to_dict()
    data["correlations"] = [{"between": [a, b], "rank": r} for a, b, r in pairs]
    with pytest.raises(ValueError, match="correlation") as err:
        Scenario.from_dict(data)
    assert named in str(err.value) and why in str(err.value), str(err.value)


def test_bad_correlation_in_a_file_names_file_and_pair(tmp_path):
    path = tmp_path / "bad.toml"
    text = BASE.to_toml_string() + '\n[[correlations]]\nbetween = ["compute.rate", "tau"]\n'
    path.write_text(text + "rank = 0.3\n")
    with pytest.raises(ValueError, match=r"bad\.toml: .*compute\.rate ~ tau: unknown"):
        Scenario.from_toml(path)


def test_point_masses_and_unused_fields_are_ignored_with_a_warning():
    with pytest.warns(CorrelationWarning, match="compute.rate ~ unhobbling.late_rate: .*point"):
        scn = FINITE.replace({"unhobbling.late_rate": 0.05}).correlate(
            "compute.rate", "unhobbling.late_rate", 0.5
        )
    assert scn.active_correlations() == [] and scn.correlation_groups() == []
    fc = agt.forecast(scn, draws=5_000, seed=1)
    plain = agt.forecast(FINITE.replace({"unhobbling.late_rate": 0.05}), draws=5_000, seed=1)
    np.testing.assert_array_equal(fc.arrival.values, plain.arrival.values)
    assert json.loads(fc.tree.attrs["correlations"])[0]["used"] is False
    assert fc.correlation_check().used.tolist() == [False]
    walled = Scenario.preset("aschenbrenner-2024").correlate("compute.rate", "data_wall.tau", 0.3)
    with pytest.warns(CorrelationWarning, match="data_wall.tau' is not used") as caught:
        walled.replace({"data_wall.enabled": False})
    assert [w.filename for w in caught] == [__file__]  # the user's line, not the library's
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        FINITE.correlate(*RATES, 0.5)  # a valid pair warns about nothing


# -- serialisation and records -----------------------------------------------------------------
def test_toml_round_trip_with_correlations(tmp_path):
    scn = _correlated(MIXED, PAIRS, [0.6, -0.3, -0.7, 0.2 / 3])
    scn.to_toml(tmp_path / "s.toml")
    back = Scenario.from_toml(tmp_path / "s.toml")
    assert back == scn and back.structure() == scn.structure()
    assert back.to_toml_string() == scn.to_toml_string()
    assert scn.to_toml_string().count("[[correlations]]") == 4
    text = """
        [compute]
        rate = { kind = "ci90", lo = 0.4, hi = 0.75 }
        [algorithms]
        rate = { kind = "ci90", lo = 0.25, hi = 0.65 }
        [requirement]
        ooms = { kind = "ci90", lo = 4.0, hi = 9.0 }
        [[correlations]]
        between = ["compute.rate", "algorithms.rate"]
        rank = 0.5
    """
    handwritten = Scenario.from_toml_string(text)
    assert handwritten.correlations[0].between == RATES
    assert Scenario.from_toml_string(handwritten.to_toml_string()) == handwritten


def test_forecast_records_the_correlations(mixed_fc):
    fc = mixed_fc[0]
    records = json.loads(fc.tree.attrs["correlations"])
    assert records[0] == {
        "between": list(RATES),
        "rank": 0.6,
        "pearson": 2 * math.sin(math.pi * 0.6 / 6),
        "used": True,
    }
    expected = _correlated(MIXED, PAIRS, [0.6, -0.3, -0.7, 0.2])
    assert fc.scenario.correlations == expected.correlations
    rho = fc.rank_correlations(["compute.rate", "algorithms.rate", "compute.cap"])
    assert rho.shape == (3, 3) and np.allclose(np.diag(rho), 1) and np.allclose(rho, rho.T)
    with pytest.raises(ValueError, match=r"no sampled parameter 'compute\.speed'"):
        fc.rank_correlations(["compute.speed"])
    assert agt.forecast(BASE, draws=1_000, seed=0).correlation_check().empty


def test_model_holds_the_copula():
    model = agt.build_model(FINITE.correlate(*RATES, 0.5), draws=20)
    assert "copula_0_normals" in model.named_vars
    assert model["compute_rate"] in model.deterministics
    assert model["compute_cap"] in model.free_RVs
    draws = pm.draw(model["compute_rate"], random_seed=0)
    assert draws.shape == (20,) and np.all(draws > 0)
