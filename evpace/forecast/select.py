"""The model registry, and ``auto``: a model chosen per series by a rolling-origin backtest on the series'
own past (only the months given to ``fit``, so it never looks past the forecast's ``as_of``).

Each candidate is refitted at origins 6, 9, 12, 15 and 18 months before the last month (as many as the
series allows with at least :data:`MIN_TRAIN` months to fit) and scored on the next six months' total:
``|log(predicted total / actual total)|``. The candidate with the lowest mean score wins; with no origin
to score on, ``seasonal`` (the pooled index suits young series) is used.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from .models import ARIMA, CALIBRATED, ETS, LEVELS, WIDTH, Combo, Growth, LogModel, Naive, Seasonal, Theta

#: Candidates ``auto`` chooses between.
AUTO_CANDIDATES = ("naive3", "seasonal", "growth", "ets", "theta")
#: Months before the end at which candidates are refitted, the horizon scored, and the shortest fit.
INNER_ORIGINS, INNER_H, MIN_TRAIN = (6, 9, 12, 15, 18), 6, 8
DEFAULT_CHOICE = "seasonal"
#: The model used when none is named: the one the backtest ranks best (see docs/forecast.md).
DEFAULT_MODEL = "ensemble"


class Auto(LogModel):
    """Delegates to the candidate with the best inner backtest score (see the module docstring)."""

    name = "auto"

    def __init__(self, index: np.ndarray | None = None, candidates: tuple[str, ...] = AUTO_CANDIDATES,
                 width: float | None = None) -> None:
        super().__init__(width)
        self.index = index
        self.candidates = candidates
        self._width_given = width is not None or "auto" in WIDTH

    def fit(self, df: pd.DataFrame) -> Auto:
        df = df.sort_values("ds").reset_index(drop=True)
        self.scores_ = inner_scores(df, self.candidates, self.index)
        scored = {k: v for k, v in self.scores_.items() if v is not None}
        self.choice_ = min(scored, key=scored.get) if scored else DEFAULT_CHOICE
        self.chosen_ = make_model(self.choice_, self.index)
        if self._width_given:
            self.chosen_.width = self.width
        self.chosen_.fit(df)
        self.uid_, self.last_, self.months_ = self.chosen_.uid_, self.chosen_.last_, self.chosen_.months_
        self.notes = list(self.chosen_.notes)
        if not scored:
            self.notes.append(f"too short to compare models on its own past: {DEFAULT_CHOICE} used")
        return self

    def sample_paths(self, h: int, n: int, rng: np.random.Generator) -> np.ndarray:
        return self.chosen_.sample_paths(h, n, rng)

    def predict(self, h: int, level: tuple[int, ...] = LEVELS, n: int = 2000, seed: int = 0) -> pd.DataFrame:
        return self.chosen_.predict(h, level, n, seed)

    def point(self, h: int) -> np.ndarray:
        return self.chosen_.point(h)

    @property
    def detail(self) -> str:
        shown = ", ".join(f"{k} {v:.3f}" for k, v in self.scores_.items() if v is not None)
        why = f" (6-month total log error on its own past: {shown})" if shown else ""
        return f"{self.choice_}: {self.chosen_.detail}{why}"


def inner_scores(df: pd.DataFrame, candidates: tuple[str, ...], index: np.ndarray | None
                 ) -> dict[str, float | None]:
    """Mean ``|log(predicted / actual)|`` of the next :data:`INNER_H` months' total per candidate."""
    y = df["y"].to_numpy(dtype=float)
    n = len(y)
    origins = []
    for k in INNER_ORIGINS:
        cut = n - k
        future = y[cut:cut + INNER_H]
        train = y[:cut]
        run = 0
        for v in train[::-1]:
            if not np.isfinite(v):
                break
            run += 1
        if cut > 0 and len(future) == INNER_H and np.isfinite(future).all() and run >= MIN_TRAIN:
            origins.append((cut, float(future.sum())))
    scores: dict[str, float | None] = {}
    for name in candidates:
        errs = []
        for cut, actual in origins:
            try:
                m = make_model(name, index).fit(df.iloc[:cut])
                errs.append(abs(float(np.log(m.point(INNER_H).sum() / max(actual, 1.0)))))
            except Exception:  # noqa: BLE001 - a candidate that cannot fit here is not chosen
                errs.append(np.inf)
        scores[name] = float(np.mean(errs)) if errs else None
    return scores


def _registry() -> dict[str, Callable[[np.ndarray | None], LogModel]]:
    return {
        "naive": lambda idx: Naive(1),
        "naive3": lambda idx: Naive(3),
        "seasonal": lambda idx: Seasonal(idx),
        "growth": lambda idx: Growth(idx),
        "ets": lambda idx: ETS(),
        "theta": lambda idx: Theta(),
        "arima": lambda idx: ARIMA(),
        "ensemble": lambda idx: Combo([Naive(3, width=CALIBRATED["naive3"]), Growth(idx, width=CALIBRATED["growth"]),
                                       Theta(width=CALIBRATED["theta"])]),
        "auto": lambda idx: Auto(idx),
    }


#: Every model by name (``auto`` last).
MODEL_NAMES = tuple(_registry())


def make_model(name: str, index: np.ndarray | None = None) -> LogModel:
    """A fresh, unfitted model by name; ``index`` is the pooled seasonal index (used by ``seasonal``)."""
    reg = _registry()
    if name not in reg:
        raise KeyError(name)
    return reg[name](index)
