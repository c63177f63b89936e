"""Scenarios whose seeded draws `seeded_draws.npz` records (from the engine before issue 15).

Recorded with `agt.forecast(s, draws=GOLDEN_DRAWS, seed=GOLDEN_SEED)` per scenario, at the
indices `idx` (every 1007th draw plus the seed-block edges); `physical_wall_on` is the preset
with the wall of the first version (`binds = "physical"`).
"""

from agi_timelines import Scenario


def scenarios():
    preset = Scenario.preset("aschenbrenner-2024")
    out = {
        "preset_wall_on": preset,
        "preset_wall_off": preset.replace({"data_wall.enabled": False}),
        "three_prior": Scenario.from_dict(
            {
                "compute": {"rate": {"kind": "ci90", "lo": 0.4, "hi": 0.75}},
                "algorithms": {"rate": {"kind": "ci90", "lo": 0.25, "hi": 0.65}},
                "unhobbling": {"rate": 0.0},
                "requirement": {"ooms": {"kind": "ci90", "lo": 4.0, "hi": 9.0}},
            }
        ),
        "correlated_wall_on": preset.correlate("compute.rate", "algorithms.rate", 0.5).correlate(
            "algorithms.rate", "data_wall.tau", -0.3
        ),
        "split_mixture": Scenario.from_dict(
            {
                "compute": {
                    "spending": {
                        "rate": {"kind": "ci90", "lo": 0.3, "hi": 0.5},
                        "slowdown_year": {
                            "kind": "ci90",
                            "lo": 2027.0,
                            "hi": 2031.0,
                            "dist": "normal",
                        },
                        "late_rate": 0.05,
                        "cap": {"kind": "ci90", "lo": 2.0, "hi": 4.0},
                    },
                    "hardware": {"rate": {"kind": "uniform", "lower": 0.1, "upper": 0.16}},
                },
                "algorithms": {"rate": {"kind": "ci90", "lo": 0.25, "hi": 0.65}, "cap": 3.0},
                "requirement": {
                    "log10_flop": {
                        "kind": "mixture",
                        "components": [
                            {"kind": "ci90", "lo": 28.0, "hi": 31.0, "dist": "normal"},
                            {"kind": "ci90", "lo": 32.0, "hi": 36.0, "dist": "normal"},
                        ],
                        "weights": [0.6, 0.4],
                    }
                },
            }
        ),
        "epoch_calibrated": Scenario.preset("epoch-trends"),
    }
    return out


GOLDEN_DRAWS = 70_000
GOLDEN_SEED = 7
