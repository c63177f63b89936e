"""The one dotted-path walker (``agi_timelines.scenario._paths``) and its callers.

Every path the walker lists for a scenario can be read (the value plain attribute access
gives), replaced (by itself: the same scenario; by another valid value: that value) and
round-tripped through TOML; every path it rejects gets the one "unknown field path"
message, from ``replace``, from a correlation and from a sweep alike.
"""

from __future__ import annotations

import functools
import re
import warnings

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import agi_timelines as agt
from agi_timelines.priors import point
from agi_timelines.scenario import Scenario
from agi_timelines.scenario._paths import (
    PathError,
    fields,
    get,
    locate,
    paths,
    schema_paths,
    set_in,
)


def _quiet(fn, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", agt.InputWarning)
        return fn(*args)


PRESETS = {name: Scenario.preset(name) for name in Scenario.presets()}
_base = PRESETS["aschenbrenner-2024"]
VARIANTS = {
    **PRESETS,
    "wall-off": _base.replace({"data_wall.enabled": False}),
    "one-trend": _quiet(
        Scenario.from_dict,
        {
            "compute": {"rate": agt.ci90(0.4, 0.6).model_dump()},
            "requirement": {"ooms": agt.ci90(3.0, 9.0).model_dump()},
            "not_before": 2025.0,
            "correlations": [{"between": ["compute.rate", "requirement.ooms"], "rank": 0.3}],
        },
    ),
}
SCENARIOS = st.sampled_from(sorted(VARIANTS)).map(VARIANTS.__getitem__)
SCHEMA_PATHS = schema_paths(Scenario)
SLOW_OK = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _attr(obj, path):
    """Read the value at ``path`` by plain attribute access (independent of the walker)."""
    return functools.reduce(getattr, path.split("."), obj)


@st.composite
def scenario_and_path(draw):
    s = draw(SCENARIOS)
    return s, draw(st.sampled_from(paths(s)))


def test_schema_paths_are_leaves_under_sections():
    assert len(SCHEMA_PATHS) == len(set(SCHEMA_PATHS))
    for path in SCHEMA_PATHS:
        assert locate(Scenario, path) == ("sections" if path == "correlations" else "leaf")
        parts = path.split(".")
        for i in range(1, len(parts)):
            assert locate(Scenario, ".".join(parts[:i])) == "section", path
    # the sections the schema declares, each one reached
    assert {p.split(".")[0] for p in SCHEMA_PATHS} == set(Scenario.model_fields)
    assert "compute.spending.rate" in SCHEMA_PATHS and "correlations" in SCHEMA_PATHS


def test_every_prior_field_is_a_schema_path():
    for s in VARIANTS.values():
        assert set(s.prior_fields()) <= set(SCHEMA_PATHS)
        assert set(paths(s)) <= set(SCHEMA_PATHS)
        # a prior the scenario sets is listed; one it leaves to its default is not
        for path, prior in s.prior_fields().items():
            assert get(s, path) in (prior, None), path


@SLOW_OK
@given(scenario_and_path())
def test_a_listed_path_reads_replaces_and_round_trips(case):
    s, path = case
    value = get(s, path)
    assert value is not None
    assert value == _attr(s, path)
    same = _quiet(s.replace, {path: value})
    assert same == s
    back = Scenario.from_toml_string(same.to_toml_string())
    assert back == s and get(back, path) == value


@SLOW_OK
@given(st.data())
def test_replacing_a_prior_by_a_point_in_its_range_sets_that_point(data):
    s = data.draw(SCENARIOS)
    path = data.draw(st.sampled_from(sorted(s.prior_fields())))
    prior = s.prior_fields()[path]
    lo, hi = prior.tails() if prior.is_random else (prior.value, prior.value)
    assume(lo < float("inf") and hi < float("inf"))
    v = data.draw(st.floats(lo, hi, allow_nan=False))
    try:
        changed = _quiet(s.replace, {path: v})
    except ValueError as err:  # a scenario-level rule, not the path, refuses the value
        assume("calibration" not in str(err) and "requirement" not in str(err))
        raise
    assert get(changed, path) == point(v)
    assert _attr(changed, path) == point(v)
    # nothing else changed
    for other in paths(s):
        if other != path:
            assert get(changed, other) == get(s, other), other
    assert set(paths(changed)) == set(paths(s)) | {path}
    assert Scenario.from_toml_string(changed.to_toml_string()) == changed


NAMES = st.from_regex(r"[a-z_]{1,12}", fullmatch=True)


@SLOW_OK
@given(st.data())
def test_an_unknown_path_gets_one_message_everywhere(data):
    s = data.draw(SCENARIOS)
    known = data.draw(st.sampled_from(["", *SCHEMA_PATHS]))
    parent = known.rpartition(".")[0] if known and locate(Scenario, known) == "leaf" else known
    model = Scenario
    for part in filter(None, parent.split(".")):
        model = fields(model)[part]
    bad = data.draw(NAMES.filter(lambda n: n not in fields(model)))
    path = f"{parent}.{bad}" if parent else bad
    with pytest.raises(PathError) as walked:
        locate(Scenario, path)
    message = str(walked.value)
    where = parent or "scenario"
    assert message.startswith(f"unknown field path {path!r}: {where!r} has no field {bad!r}")
    assert message.endswith(f"(fields: {', '.join(fields(model))})")
    with pytest.raises(ValueError) as replaced:
        s.replace({path: 1.0})
    assert type(replaced.value) is ValueError and str(replaced.value) == message
    with pytest.raises(ValueError) as swept:
        agt.sweep(s, {path: [1.0]}, draws=1)
    assert str(swept.value) == f"sweep: {message}"
    with pytest.raises(ValueError, match="unknown prior field"):
        s.correlate(path, "compute.rate" if "compute.rate" in s.prior_fields() else "x", 0.1)


def test_a_path_through_a_leaf_is_not_a_section():
    s = PRESETS["aschenbrenner-2024"]
    with pytest.raises(
        ValueError, match=re.escape("field path 'horizon.year': 'horizon' is not a section")
    ):
        s.replace({"horizon.year": 2050.0})
    with pytest.raises(PathError, match="'horizon' has no field 'year'"):
        locate(Scenario, "horizon.year")


def test_get_on_an_unset_section_is_none_and_set_in_creates_it():
    s = PRESETS["aschenbrenner-2024"]
    assert s.calibration is None and get(s, "calibration.since") is None
    data = s.to_dict()
    set_in(data, Scenario, "calibration.since", 2019.0)
    assert data["calibration"] == {"since": 2019.0}
    with pytest.raises(PathError) as err:
        get(s, "compute.speed")
    assert err.value.owner is type(s.compute) and err.value.part == "speed"


def test_every_sweepable_field_is_a_leaf_the_walker_reads():
    for s in VARIANTS.values():
        for path in agt.sweepable_fields(s):
            assert locate(Scenario, path) == "leaf", path
            assert get(s, path) is not None or path in s.prior_fields(), path


def test_an_unknown_path_under_a_list_of_sections_is_unknown_not_unsettable():
    """An unknown field under ``correlations`` gets the unknown-path message.

    Found by hypothesis: ``correlations`` holds a list in the data, and ``replace`` said
    "'correlations' is not a section" before checking ``_`` against the schema.
    """
    s = PRESETS["aschenbrenner-2024"].replace(
        {"correlations": [{"between": ["compute.rate", "requirement.ooms"], "rank": 0.3}]}
    )
    with pytest.raises(PathError) as walked:
        locate(Scenario, "correlations._")
    with pytest.raises(ValueError) as replaced:
        s.replace({"correlations._": 1.0})
    assert str(replaced.value) == str(walked.value)
    assert "has no field '_' (fields: between, rank)" in str(walked.value)
