"""Differentially private counts with OpenDP (0.16).

A table is a vector of counts over categories fixed in advance (never taken from the data, which
would reveal which categories occur). Each survivor adds 1 to at most ``sensitivity`` cells, so
the vector's L1 sensitivity under adding or removing one survivor is ``sensitivity``. OpenDP's
``make_laplace`` on an integer vector domain adds discrete Laplace (two-sided geometric) noise of
scale ``sensitivity / epsilon`` to every cell, and its privacy map gives the epsilon actually spent,
which is what the ledger records. Rounding (already integers) and clamping at 0 are
post-processing and cost no privacy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import opendp.prelude as dp

dp.enable_features("contrib")

MECHANISM = "opendp.make_laplace (discrete Laplace on an integer vector, L1)"


@dataclass(frozen=True)
class NoisyCounts:
    counts: list[int]  # noisy, clamped at 0
    epsilon: float  # what the OpenDP privacy map says the release spends
    scale: float
    sensitivity: int


def measurement(n_cells: int, sensitivity: int, epsilon: float) -> tuple[dp.Measurement, float]:
    """The OpenDP measurement releasing ``n_cells`` counts at ``epsilon``, and its noise scale."""
    if epsilon <= 0:
        raise ValueError("epsilon must be positive")
    if sensitivity < 1 or n_cells < 1:
        raise ValueError("sensitivity and the number of cells must be positive")
    space = dp.vector_domain(dp.atom_domain(T=int), size=n_cells), dp.l1_distance(T=int)
    scale = sensitivity / epsilon
    meas = dp.m.make_laplace(*space, scale=scale)
    # The privacy map may round up by a hair; widen the scale until it is within the epsilon asked.
    while meas.map(sensitivity) > epsilon:
        scale *= 1.000001
        meas = dp.m.make_laplace(*space, scale=scale)
    return meas, scale


def noisy_counts(counts: Sequence[int], *, epsilon: Decimal | float, sensitivity: int = 1) -> NoisyCounts:
    meas, scale = measurement(len(counts), sensitivity, float(epsilon))
    noisy = meas([int(c) for c in counts])
    return NoisyCounts(counts=[max(0, int(round(v))) for v in noisy], epsilon=float(meas.map(sensitivity)),
                       scale=scale, sensitivity=sensitivity)
