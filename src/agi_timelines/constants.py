"""Reference numbers the model relies on, each with its source.

Every module takes these numbers from here, so a citation lives in one place.
Units are in the names: ``_FLOP`` for floating-point operations, ``_TOKENS`` for
training tokens, years are decimal calendar years.
"""

from __future__ import annotations

from typing import Final

# --- Reference training runs (Epoch AI, "Notable AI Models", snapshot 2026-08-05) -------------
GPT2_FLOP: Final = 1.9e21
"""GPT-2 (1.5B), 2019-02-14; Epoch AI notable models (Speculative)."""
GPT3_FLOP: Final = 3.1e23
"""GPT-3 175B, 2020-05-28; Epoch AI notable models (Confident)."""
GPT4_FLOP: Final = 2.1e25
"""GPT-4, 2023-03-15; Epoch AI notable models (90% CI 8e24-4e25)."""
GPT4_YEAR: Final = 2023.2
"""Decimal year of GPT-4's release (2023-03-15)."""

REFERENCE_RUNS: Final = {
    "GPT-2": (2019.12, GPT2_FLOP),
    "GPT-3": (2020.41, GPT3_FLOP),
    "GPT-4": (GPT4_YEAR, GPT4_FLOP),
}
"""Labelled reference points ``name -> (decimal year, training FLOP)``."""

# --- Chinchilla-style scaling law, Epoch AI's 2024 replication (Besiroglu et al. 2024) --------
# L(N, D) = E + A / N**alpha + B / D**beta, training compute C = 6 N D; the compute-optimal
# split of C between N and D does not depend on E, which is therefore not kept here.
CHINCHILLA_A: Final = 482.01
CHINCHILLA_B: Final = 2085.43
CHINCHILLA_ALPHA: Final = 0.3478
CHINCHILLA_BETA: Final = 0.3658
FLOP_PER_PARAM_TOKEN: Final = 6.0
"""Training FLOP per parameter per token (C = 6 N D)."""

# --- Data ----------------------------------------------------------------------------------
TEXT_STOCK_TOKENS: Final = 3e14
"""Stock of quality public human text, Villalobos et al. 2024 (90% CI 1e14-1e15)."""
TEXT_STOCK_GROWTH: Final = 0.07
"""Yearly growth of the public text stock, Villalobos et al. 2024 (~7%/yr)."""

# --- Time horizons (METR, Time Horizon 1.1, 2026-01-29; the bundled time_horizons.csv) -------
METR_DOUBLING_DAYS_2019: Final = 187.8
"""Doubling time of the 50% time horizon over all models 2019-2026, days (METR)."""
METR_DOUBLING_DAYS_2023: Final = (128.7, 104.4, 158.0)
"""Doubling time of the 50% horizon for models released from 2023 on: estimate and 95% CI,
days (METR)."""
DAYS_PER_YEAR: Final = 365.25
"""Mean length of a calendar year, days (doubling times in days = 365.25 / doublings per yr)."""

Z90: Final = 1.6448536269514722
"""Standard-normal quantile of 0.95: a central 90% interval is mean +/- Z90 sigma."""
