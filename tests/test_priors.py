"""Tests of the priors.

Quantile functions against scipy, ci90 semantics, mixtures, and the draws the PyMC model actually
produces (docs/model.md: growth axes, requirement).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pymc as pm
import pytest
from scipy import stats

import agi_timelines as agt
from agi_timelines.scenario import Scenario

Z95 = stats.norm.ppf(0.95)
QS = np.array([1e-6, 0.001, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.999, 1 - 1e-6])


# --- ci90 -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("lo", "hi", "dist"),
    [
        (0.4, 0.75, "lognormal"),
        (1e-3, 1e3, "lognormal"),
        (3e13, 1e15, "lognormal"),
        (2028.5, 2032.0, "normal"),
        (-3.0, -1.0, "normal"),
        (-1.0, 5.0, "normal"),
    ],
)
def test_ci90_quantiles_are_lo_and_hi(lo, hi, dist):
    p = agt.ci90(lo, hi, dist=dist)
    q05, q50, q95 = p.ppf([0.05, 0.5, 0.95])
    assert q05 == pytest.approx(lo, rel=1e-12, abs=1e-12)
    assert q95 == pytest.approx(hi, rel=1e-12, abs=1e-12)
    median = math.sqrt(lo * hi) if dist == "lognormal" else (lo + hi) / 2
    assert q50 == pytest.approx(median, rel=1e-12, abs=1e-12)


def test_ci90_parameters_from_the_spec():
    # ci90: mu = (ln lo + ln hi)/2, sigma = (ln hi - ln lo) / (2 * 1.6449)
    base = agt.ci90(0.4, 0.75).as_base()
    assert base.kind == "lognormal"
    assert base.mu == pytest.approx((math.log(0.4) + math.log(0.75)) / 2, rel=1e-14)
    assert base.sigma == pytest.approx((math.log(0.75) - math.log(0.4)) / (2 * Z95), rel=1e-14)
    nbase = agt.ci90(2028.0, 2032.0, dist="normal").as_base()
    assert nbase.kind == "normal"
    assert (nbase.mu, nbase.sigma) == pytest.approx((2030.0, 4.0 / (2 * Z95)), rel=1e-14)


# --- ppf against scipy (parameterisations written out here, independently) ---------------
@pytest.mark.parametrize(
    ("prior", "reference"),
    [
        (agt.normal(2.0, 0.5), stats.norm(loc=2.0, scale=0.5)),
        (agt.normal(-1.0, 3.0), stats.norm(loc=-1.0, scale=3.0)),
        (agt.lognormal(math.log(0.5), 0.3), stats.lognorm(s=0.3, scale=0.5)),
        (agt.lognormal(-5.0, 1.2), stats.lognorm(s=1.2, scale=math.exp(-5.0))),
        (agt.uniform(2028.0, 2035.0), stats.uniform(loc=2028.0, scale=7.0)),
        (agt.uniform(-1.0, 0.5), stats.uniform(loc=-1.0, scale=1.5)),
        (agt.beta(2.0, 2.0), stats.beta(2.0, 2.0)),
        (agt.beta(0.5, 7.0), stats.beta(0.5, 7.0)),
    ],
    ids=["normal", "normal-neg", "lognormal", "lognormal-wide", "uniform", "uniform-neg",
         "beta-sym", "beta-skew"],
)  # fmt: skip
def test_ppf_matches_scipy(prior, reference):
    np.testing.assert_allclose(prior.ppf(QS), reference.ppf(QS), rtol=1e-12, atol=1e-12)
    assert prior.is_random
    lo, hi = prior.support
    assert lo <= reference.ppf(0) and reference.ppf(1) <= hi


def test_point_prior():
    p = agt.point(3.5)
    assert not p.is_random
    assert p.support == (3.5, 3.5)
    np.testing.assert_array_equal(p.ppf(QS), np.full(QS.shape, 3.5))
    assert agt.point(math.inf).ppf(0.5) == math.inf


def test_support_of_each_kind():
    assert agt.lognormal(0, 1).support == (0.0, math.inf)
    assert agt.normal(0, 1).support == (-math.inf, math.inf)
    assert agt.uniform(1, 2).support == (1.0, 2.0)
    assert agt.beta(2, 3).support == (0.0, 1.0)
    assert agt.ci90(1, 2).support == (0.0, math.inf)
    assert agt.ci90(1, 2, dist="normal").support == (-math.inf, math.inf)


# --- mixtures ---------------------------------------------------------------------------
ANCHORS = agt.mixture(
    [
        agt.ci90(27.0, 31.0, dist="normal"),  # lifetime-ish
        agt.ci90(32.0, 38.0, dist="normal"),  # neural-network horizons
        agt.normal(41.0, 1.0),  # genome
        agt.lognormal(math.log(44.0), 0.03),  # evolution
    ],
    weights=[0.1, 0.5, 0.15, 0.25],
    names=["lifetime", "horizons", "genome", "evolution"],
)


def _mixture_cdf(x):
    comps = [
        stats.norm(29.0, 2.0 / Z95),
        stats.norm(35.0, 3.0 / Z95),
        stats.norm(41.0, 1.0),
        stats.lognorm(s=0.03, scale=44.0),
    ]
    w = [0.1, 0.5, 0.15, 0.25]
    return sum(wi * c.cdf(x) for wi, c in zip(w, comps, strict=True))


def test_mixture_cdf_matches_independent_formula():
    x = np.linspace(20, 50, 301)
    np.testing.assert_allclose(ANCHORS.cdf(x), _mixture_cdf(x), rtol=1e-12, atol=1e-14)


def test_mixture_ppf_inverts_cdf():
    q = np.array([0.001, 0.01, 0.05, 0.1, 0.2, 0.4, 0.5, 0.6, 0.8, 0.9, 0.95, 0.99, 0.999])
    x = ANCHORS.ppf(q)
    assert np.all(np.diff(x) > 0)
    np.testing.assert_allclose(_mixture_cdf(x), q, rtol=0, atol=1e-9)
    # and the other way round
    xs = np.array([28.0, 33.0, 35.0, 40.5, 44.0])
    np.testing.assert_allclose(ANCHORS.ppf(ANCHORS.cdf(xs)), xs, rtol=0, atol=1e-7)


def test_mixture_support_and_names():
    lo, hi = ANCHORS.support
    assert lo == -math.inf and hi == math.inf
    assert ANCHORS.names == ["lifetime", "horizons", "genome", "evolution"]


# --- draws through the PyMC model match the priors ------------------------------------
KS_PRIORS = {
    "compute.rate": (agt.lognormal(math.log(0.5), 0.3), stats.lognorm(s=0.3, scale=0.5).cdf),
    "compute.slowdown_year": (agt.normal(2030.0, 1.5), stats.norm(2030.0, 1.5).cdf),
    "compute.late_rate": (agt.uniform(0.01, 0.2), stats.uniform(0.01, 0.19).cdf),
    "compute.cap": (
        agt.ci90(3.0, 7.0),
        stats.lognorm(s=math.log(7 / 3) / (2 * Z95), scale=math.sqrt(21.0)).cdf,
    ),
    "algorithms.rate": (agt.beta(2.0, 8.0), stats.beta(2.0, 8.0).cdf),
    "algorithms.slowdown_year": (
        agt.ci90(2028.0, 2033.0, dist="normal"),
        stats.norm(2030.5, 5.0 / (2 * Z95)).cdf,
    ),
    "requirement.ooms": (
        agt.mixture([agt.ci90(3.0, 6.0), agt.normal(10.0, 2.0)], [0.7, 0.3], ["near", "far"]),
        lambda x: (
            0.7 * stats.lognorm(s=math.log(2) / (2 * Z95), scale=math.sqrt(18)).cdf(x)
            + 0.3 * stats.norm(10.0, 2.0).cdf(x)
        ),
    ),
}


@pytest.fixture(scope="module")
def model_draws():
    data = {"compute": {}, "algorithms": {}, "requirement": {}}
    for path, (prior, _) in KS_PRIORS.items():
        section, field = path.split(".")
        data[section][field] = prior.model_dump(by_alias=True)
    scenario = Scenario.from_dict(data)
    n = 4000
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyMC: no default transform for a mixture
        model = agt.build_model(scenario, draws=n)
    names = [p.replace(".", "_") for p in KS_PRIORS]
    values = pm.draw([model[name] for name in names], random_seed=20240611)
    return dict(zip(KS_PRIORS, values, strict=True))


@pytest.mark.parametrize("path", list(KS_PRIORS))
def test_model_draws_follow_the_prior(model_draws, path):
    prior, cdf = KS_PRIORS[path]
    x = model_draws[path]
    assert x.shape == (4000,)
    result = stats.kstest(x, cdf)
    assert result.pvalue > 1e-3, f"{path}: KS p = {result.pvalue:.2g}"
    # the prior's own quantile function agrees with the draws (deciles, 5 MC SEs)
    q = np.linspace(0.1, 0.9, 9)
    emp_cdf_at_ppf = np.array([np.mean(x <= v) for v in np.atleast_1d(prior.ppf(q))])
    se = np.sqrt(q * (1 - q) / x.size)
    assert np.all(np.abs(emp_cdf_at_ppf - q) < 5 * se), (emp_cdf_at_ppf, q)


@pytest.mark.parametrize(
    "prior",
    [
        agt.ci90(0.4, 0.75),
        agt.ci90(2028, 2032, dist="normal"),
        agt.normal(3, 2),
        agt.lognormal(0.3, 0.7),
        agt.uniform(1, 4),
        agt.beta(2, 3),
        agt.point(2.5),
        agt.mixture([agt.ci90(1, 2), agt.ci90(3, 5)], [0.3, 0.7]),
    ],
    ids=lambda p: p.kind,
)
def test_median_is_the_half_quantile(prior):
    assert prior.median() == pytest.approx(float(np.asarray(prior.ppf(0.5))), rel=1e-9)


@pytest.mark.parametrize(
    "prior",
    [agt.ci90(0.4, 0.75), agt.normal(3, 2), agt.lognormal(0.3, 0.7), agt.uniform(1, 4)],
    ids=lambda p: p.kind,
)
def test_tails_are_the_quantiles_at_ten_standard_deviations(prior):
    from agi_timelines.priors import TAIL_Z

    p = stats.norm.cdf(-TAIL_Z)  # ~7.6e-24; the upper tail through isf, not ppf(1 - p) = inf
    dist = prior.scipy()
    expected = [dist.ppf(p), dist.isf(p)] if prior.kind != "uniform" else [1.0, 4.0]
    np.testing.assert_allclose(prior.tails(), expected, rtol=1e-9)
