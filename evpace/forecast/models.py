"""Forecasting models behind one protocol, on log monthly volume.

Every model takes a long-format frame (``unique_id, ds, y``; one series; ``y`` NaN for a gap), and gives
``predict(h, level)`` (``mean`` and ``lo-80``/``hi-80``… columns) and ``sample_paths(h, n, rng)`` (an
``n × h`` array of simulated monthly volumes). Volumes are modelled on the log scale, so shocks are
proportional and simulated volumes stay positive.

* ``naive`` / ``naive3``: the run-rate (last month, or the trailing three-month average) carried forward;
  paths are a random walk whose steps are the series' own month-on-month log changes, demeaned and
  bootstrapped — the baseline every other model is compared with.
* ``seasonal``: log volume minus a month-of-year index pooled across makers (January/February dips around
  the Lunar New Year, year-end peaks; :func:`evpace.forecast.data.seasonal_index`), then ETS (additive
  error, none/additive/damped trend chosen by AICc) on what is left; the index is added back.
* ``ets``: statsforecast's AutoETS on log volume, with its own 12-month season once the series has 36
  months, else without.
* ``theta``: statsforecast's AutoTheta (seasonal decomposition once the series has 36 months).
* ``arima``: statsforecast's AutoARIMA (seasonal once the series has 36 months).
* ``auto``: one of the above chosen per series by a small rolling-origin backtest on the series' own past
  (:mod:`evpace.forecast.select`).

Gaps: a model fits the latest unbroken stretch of months; when that is shorter than a year and the gap
before it is at most two months, the gap is filled log-linearly *for fitting only* and the model's
``notes`` say so. Zero or negative months are floored at one vehicle before taking logs.

Interval width: paths are spread around their per-month median by a factor ``width`` (1 = the model as
fitted); :data:`WIDTH` holds factors calibrated by the backtest (see ``docs/forecast.md``).
"""

from __future__ import annotations

import math
import warnings
from typing import Protocol, runtime_checkable

import numpy as np
import pandas as pd

LEVELS = (50, 80, 95)
#: Longest gap (months) bridged by interpolation for fitting, and the stretch length below which it is.
BRIDGE_GAP, SHORT_STRETCH = 2, 12
#: Months of history from which models use a 12-month season of their own.
OWN_SEASON_MONTHS = 36
#: Smallest month-on-month log spread a path gets (a perfectly flat history is not a certainty).
MIN_STEP_SD = 0.03
#: Interval width factors from the rolling-origin backtest (``benchmarks/bench_backtest.py``): per model, the
#: factor whose 80 % crossing intervals covered closest to 80 % on origins before 2024 (later origins are
#: the hold-out). The run-rate baselines stay at 1 (as defined); ``ensemble`` mixes its members at their
#: calibrated widths and then scales the mixture.
CALIBRATED: dict[str, float] = {"naive": 1.0, "naive3": 1.0, "seasonal": 3.5, "growth": 2.5, "ets": 3.0,
                                "theta": 2.5, "arima": 2.0, "ensemble": 0.6, "auto": 3.5}
#: Widths in force (the backtest empties it while it scores raw forecasts).
WIDTH: dict[str, float] = dict(CALIBRATED)


@runtime_checkable
class ForecastModel(Protocol):
    """What every model offers."""

    name: str
    notes: list[str]

    def fit(self, df: pd.DataFrame) -> ForecastModel: ...

    def predict(self, h: int, level: tuple[int, ...] = LEVELS) -> pd.DataFrame: ...

    def sample_paths(self, h: int, n: int, rng: np.random.Generator) -> np.ndarray: ...


def _months(ds: pd.Series) -> list[str]:
    return [f"{t.year:04d}-{t.month:02d}" for t in pd.to_datetime(ds)]


def fit_stretch(periods: list[str], y: np.ndarray) -> tuple[np.ndarray, str, list[str]]:
    """The latest unbroken stretch of ``y`` (log-linearly bridging gaps of at most :data:`BRIDGE_GAP`
    months while the stretch is shorter than :data:`SHORT_STRETCH`). Returns (values, first month, notes)."""
    known = [i for i, v in enumerate(y) if np.isfinite(v)]
    if not known:
        raise ValueError("no known month to fit")
    end = known[-1]
    start, bridged = end, []
    while True:
        while start > 0 and np.isfinite(y[start - 1]):
            start -= 1
        if end - start + 1 >= SHORT_STRETCH or start == 0:
            break
        prev = [i for i in known if i < start]
        if not prev or start - prev[-1] - 1 > BRIDGE_GAP:
            break
        bridged += [periods[i] for i in range(prev[-1] + 1, start)]
        start = prev[-1]
    vals = np.array(y[start:end + 1], dtype=float)
    notes = []
    if bridged:
        idx = np.arange(len(vals))
        ok = np.isfinite(vals)
        vals = np.exp(np.interp(idx, idx[ok], np.log(np.maximum(vals[ok], 1.0))))
        notes.append(f"gap months {', '.join(sorted(bridged))} interpolated log-linearly for fitting only")
    if start > 0:
        notes.append(f"fitted on the unbroken stretch {periods[start]}..{periods[end]} ({end - start + 1} months)")
    if (vals <= 0).any():
        notes.append("months with zero volume floored at 1 before taking logs")
    return np.maximum(vals, 1.0), periods[start], notes


class LogModel:
    """Shared fitting and output; subclasses implement ``_fit`` and ``_simulate`` on log volume."""

    name = "base"
    description = ""

    def __init__(self, width: float | None = None) -> None:
        self.width = WIDTH.get(self.name, 1.0) if width is None else width
        self.notes: list[str] = []

    # -- protocol ------------------------------------------------------------------------------------
    def fit(self, df: pd.DataFrame) -> LogModel:
        """Fit on one series in long format (``unique_id, ds, y``)."""
        if df["unique_id"].nunique() != 1:
            raise ValueError("fit one series at a time (one unique_id)")
        df = df.sort_values("ds")
        periods = _months(df["ds"])
        vals, first, self.notes = fit_stretch(periods, df["y"].to_numpy(dtype=float))
        self.uid_ = str(df["unique_id"].iloc[0])
        self.months_ = periods[periods.index(first):]
        self.last_ = self.months_[-1]
        self.logy_ = np.log(vals)
        self.moy_ = np.array([int(p[5:7]) - 1 for p in self.months_])  # month of year, 0 = January
        self.fallback_: Naive | None = None
        try:
            if len(self.logy_) < 4:
                raise ValueError("fewer than 4 months")
            self._fit(self.logy_)
        except Exception as exc:  # noqa: BLE001 - any failure of the library fit falls back to the run-rate
            self.notes.append(f"{self.name} could not be fitted ({exc}): trailing run-rate random walk instead")
            self.fallback_ = Naive(min(3, len(self.logy_)))
            self.fallback_._fit(self.logy_)
        return self

    def sample_paths(self, h: int, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n × h`` simulated monthly volumes for the ``h`` months after the last fitted month."""
        sim = self.fallback_._simulate if self.fallback_ else self._simulate
        logp = np.asarray(sim(h, n, rng), dtype=float)
        if n > 1 and float(np.std(logp[:, 0])) < MIN_STEP_SD / 2:  # e.g. a perfectly flat history
            logp = logp + np.cumsum(rng.normal(0.0, MIN_STEP_SD, size=(n, h)), axis=1)
        med = np.median(logp, axis=0)
        logp = med + self.width * (logp - med)
        return np.exp(np.clip(logp, -50, 50))

    def predict(self, h: int, level: tuple[int, ...] = LEVELS, n: int = 2000, seed: int = 0) -> pd.DataFrame:
        """Mean and central intervals per month from ``n`` simulated paths (fixed ``seed``)."""
        paths = self.sample_paths(h, n, np.random.default_rng(seed))
        ds = pd.to_datetime([_add(self.last_, i + 1) + "-01" for i in range(h)])
        out = {"unique_id": self.uid_, "ds": ds, "mean": paths.mean(axis=0), "median": np.median(paths, axis=0)}
        for lv in level:
            out[f"lo-{lv}"] = np.quantile(paths, (100 - lv) / 200, axis=0)
            out[f"hi-{lv}"] = np.quantile(paths, 1 - (100 - lv) / 200, axis=0)
        return pd.DataFrame(out)

    def point(self, h: int) -> np.ndarray:
        """Median monthly volume path (cheap: used to choose between models)."""
        return np.exp(self.fallback_._point(h) if self.fallback_ else self._point(h))

    @property
    def detail(self) -> str:
        """What was fitted, in words."""
        return self.fallback_.description if getattr(self, "fallback_", None) else self._detail()

    def _detail(self) -> str:
        return self.description

    # -- subclass hooks ------------------------------------------------------------------------------
    def _fit(self, logy: np.ndarray) -> None:
        raise NotImplementedError

    def _simulate(self, h: int, n: int, rng: np.random.Generator) -> np.ndarray:
        raise NotImplementedError

    def _point(self, h: int) -> np.ndarray:
        return np.median(self._simulate(h, 200, np.random.default_rng(0)), axis=0)

    def _future_moy(self, h: int) -> np.ndarray:
        return (self.moy_[-1] + 1 + np.arange(h)) % 12


def _add(period: str, n: int) -> str:
    idx = int(period[:4]) * 12 + int(period[5:7]) - 1 + n
    return f"{idx // 12:04d}-{idx % 12 + 1:02d}"


def _steps(logy: np.ndarray) -> np.ndarray:
    d = np.diff(logy)
    if d.size == 0:
        return np.array([0.0])
    return d - d.mean()


def _random_walk(start: np.ndarray | float, steps: np.ndarray, h: int, n: int, rng: np.random.Generator
                 ) -> np.ndarray:
    """Log paths: ``start`` plus cumulated bootstrapped steps (plus a floor of Gaussian noise)."""
    draws = rng.choice(steps, size=(n, h), replace=True)
    sd = float(np.std(steps))
    if sd < MIN_STEP_SD:
        draws = draws + rng.normal(0.0, math.sqrt(MIN_STEP_SD ** 2 - sd ** 2), size=(n, h))
    return start + np.cumsum(draws, axis=1)


class Naive(LogModel):
    """The run-rate carried forward: last month (``window=1``) or the trailing average of ``window`` months."""

    def __init__(self, window: int = 1, width: float | None = None) -> None:
        self.window = window
        self.name = "naive" if window == 1 else f"naive{window}"
        self.description = ("last month's volume carried forward" if window == 1 else
                            f"trailing {window}-month average carried forward") + \
            "; random walk of bootstrapped month-on-month log changes"
        super().__init__(width)

    def _fit(self, logy: np.ndarray) -> None:
        self.level_ = math.log(float(np.mean(np.exp(logy[-self.window:]))))
        self.steps_ = _steps(logy)

    def _simulate(self, h: int, n: int, rng: np.random.Generator) -> np.ndarray:
        return _random_walk(self.level_, self.steps_, h, n, rng)

    def _point(self, h: int) -> np.ndarray:
        return np.full(h, self.level_)


# -- ETS -------------------------------------------------------------------------------------------
def _auto_ets(logy: np.ndarray, season: int, spec: str):
    from statsforecast.models import AutoETS

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return AutoETS(season_length=season, model=spec).fit(logy).model_


class _EtsPaths:
    """Paths of an additive-error ETS fit: the library's point forecast plus innovations propagated through
    the state space (``y_{t+j} = ŷ_{t+j} + e_j + Σ_{i<j} c_{j-i} e_i``, ``c_k = α + β(φ+…+φ^k) + γ[k ≡ 0 mod m]``),
    innovations bootstrapped from the fit's residuals (vectorised: the library simulates path by path)."""

    def __init__(self, mod: dict) -> None:
        self.mod = mod
        comp = mod["components"]
        if comp[0] != "A" or comp[2] == "M":
            raise ValueError(f"unsupported ETS form {mod['method']}")
        a, b, g, phi = (0.0 if math.isnan(x) else float(x) for x in mod["par"][:4])
        self.alpha, self.beta, self.gamma = a, b if comp[1] != "N" else 0.0, g if comp[2] != "N" else 0.0
        self.phi = phi if comp[3] == "D" else 1.0
        res = np.asarray(mod["residuals"], dtype=float)
        res = res[np.isfinite(res)]
        self.res = res - res.mean() if res.size else np.array([0.0])

    def point(self, h: int) -> np.ndarray:
        from statsforecast.ets import pegelsfcast_C

        return np.asarray(pegelsfcast_C(h, self.mod), dtype=float)

    def simulate(self, h: int, n: int, rng: np.random.Generator) -> np.ndarray:
        k = np.arange(1, h)
        damp = np.cumsum(self.phi ** k) if k.size else np.array([])
        c = self.alpha + self.beta * damp + (self.gamma * (k % max(self.mod["m"], 1) == 0) if self.mod["m"] > 1
                                              else 0.0)
        cmat = np.eye(h)
        for j in range(1, h):
            cmat[j, :j] = c[:j][::-1]
        e = rng.choice(self.res, size=(n, h), replace=True)
        sd = float(np.std(self.res))
        if sd < MIN_STEP_SD:
            e = e + rng.normal(0.0, math.sqrt(MIN_STEP_SD ** 2 - sd ** 2), size=(n, h))
        return self.point(h) + e @ cmat.T


class ETS(LogModel):
    """statsforecast AutoETS on log volume (additive error; own season with 36+ months)."""

    name = "ets"

    def _fit(self, logy: np.ndarray) -> None:
        fits = [_auto_ets(logy, 1, "AZN")]
        if len(logy) >= OWN_SEASON_MONTHS:
            fits.append(_auto_ets(logy, 12, "AZA"))
        self.ets_ = _EtsPaths(min(fits, key=lambda m: m["aicc"]))

    def _simulate(self, h: int, n: int, rng: np.random.Generator) -> np.ndarray:
        return self.ets_.simulate(h, n, rng)

    def _point(self, h: int) -> np.ndarray:
        return self.ets_.point(h)

    def _detail(self) -> str:
        return f"{self.ets_.mod['method']} on log volume (statsforecast AutoETS)"


class Seasonal(LogModel):
    """Pooled month-of-year index removed, ETS on the rest, index added back."""

    name = "seasonal"

    def __init__(self, index: np.ndarray | None = None, width: float | None = None) -> None:
        super().__init__(width)
        self.index = None if index is None else np.asarray(index, dtype=float)

    def _fit(self, logy: np.ndarray) -> None:
        idx = self.index
        if idx is None:
            idx = np.zeros(12)
            self.notes.append("no pooled seasonal index given: none applied")
        self.index_ = idx
        self.ets_ = _EtsPaths(_auto_ets(logy - idx[self.moy_], 1, "AZN"))

    def _simulate(self, h: int, n: int, rng: np.random.Generator) -> np.ndarray:
        return self.ets_.simulate(h, n, rng) + self.index_[self._future_moy(h)]

    def _point(self, h: int) -> np.ndarray:
        return self.ets_.point(h) + self.index_[self._future_moy(h)]

    def _detail(self) -> str:
        return f"{self.ets_.mod['method']} on log volume less a pooled month-of-year index (statsforecast AutoETS)"


def _variogram(d: np.ndarray, max_lag: int = 6) -> tuple[float, float]:
    """Transient and persistent noise of a (deseasonalised log) series: ``Var(d[t+k] - d[t])`` (trend
    removed) fitted as ``2 sd_e² + k sd_u²`` over lags 1..``max_lag``; returns (sd_e, sd_u), each at least
    :data:`MIN_STEP_SD` / 2 and the persistent one at least :data:`MIN_STEP_SD`."""
    lags, v = [], []
    for k in range(1, min(max_lag, len(d) // 2) + 1):
        diff = d[k:] - d[:-k]
        if diff.size >= 3:
            lags.append(k)
            v.append(float(np.var(diff)))
    if len(lags) >= 2:
        b, a = np.polyfit(lags, v, 1)
        b, a = max(b, 0.0), max(a, 0.0)
    elif lags:
        a, b = 0.0, v[0]
    else:
        a, b = 0.0, 0.01
    return max(math.sqrt(a / 2), MIN_STEP_SD / 2), max(math.sqrt(b), MIN_STEP_SD)


class Growth(LogModel):
    """Pooled month-of-year index removed; the level (trailing three months) grows at the recent year-on-year
    rate, damped by ``phi`` a month; paths add a random walk of bootstrapped residual steps and a draw of
    the growth rate around its estimate."""

    name = "growth"

    def __init__(self, index: np.ndarray | None = None, phi: float = 0.9, width: float | None = None) -> None:
        super().__init__(width)
        self.index = None if index is None else np.asarray(index, dtype=float)
        self.phi = phi

    def _fit(self, logy: np.ndarray) -> None:
        self.index_ = np.zeros(12) if self.index is None else self.index
        d = logy - self.index_[self.moy_]
        n = len(d)
        k = min(3, n)
        if n >= 15:
            self.g_ = float(np.mean(d[-3:]) - np.mean(d[-15:-12])) / 12
            hist = [(np.mean(d[i - 3:i]) - np.mean(d[i - 15:i - 12])) / 12 for i in range(15, n + 1)]
            self.g_sd_ = float(np.std(hist[-12:])) if len(hist) >= 3 else 0.02
            self.basis_ = "year-on-year growth of the last three months"
        else:
            self.g_ = float(np.polyfit(np.arange(n), d, 1)[0]) if n >= 3 else 0.0
            self.g_sd_ = 0.03
            self.basis_ = f"log-linear slope of all {n} months"
        self.g_sd_ = max(self.g_sd_, 0.005)
        self.level_ = float(np.mean(d[-k:])) + self.g_ * (k - 1) / 2
        self.sd_e_, self.sd_u_ = _variogram(d)

    def _damped(self, h: int) -> np.ndarray:
        return np.cumsum(self.phi ** np.arange(1, h + 1))

    def _simulate(self, h: int, n: int, rng: np.random.Generator) -> np.ndarray:
        g = self.g_ + rng.normal(0.0, self.g_sd_, size=(n, 1))
        walk = np.cumsum(rng.normal(0.0, self.sd_u_, size=(n, h)), axis=1)
        noise = rng.normal(0.0, self.sd_e_, size=(n, h))
        return self.level_ + g * self._damped(h) + walk + noise + self.index_[self._future_moy(h)]

    def _point(self, h: int) -> np.ndarray:
        return self.level_ + self.g_ * self._damped(h) + self.index_[self._future_moy(h)]

    def _detail(self) -> str:
        return (f"trailing level × growth {math.exp(12 * self.g_) - 1:+.0%}/year ({self.basis_}), damped "
                f"{self.phi:g}/month, pooled month-of-year index")


class Combo(LogModel):
    """An equal-weight mixture of member models: each contributes ``n / k`` of the paths, so the spread
    includes the members' disagreement (forecast combination)."""

    name = "ensemble"

    def __init__(self, members: list[LogModel], width: float | None = None,
                 weights: list[float] | None = None) -> None:
        super().__init__(width)
        self.members = members
        w = np.ones(len(members)) if weights is None else np.asarray(weights, dtype=float)
        self.weights = w / w.sum()

    def fit(self, df: pd.DataFrame) -> Combo:
        for m in self.members:
            m.fit(df)
        first = self.members[0]
        self.uid_, self.last_, self.months_, self.moy_ = first.uid_, first.last_, first.months_, first.moy_
        self.notes = sorted({note for m in self.members for note in m.notes})
        return self

    def sample_paths(self, h: int, n: int, rng: np.random.Generator) -> np.ndarray:
        counts = np.floor(self.weights * n).astype(int)
        counts[np.argsort(-(self.weights * n - counts))[:n - counts.sum()]] += 1
        parts = [m.sample_paths(h, int(c), rng) for m, c in zip(self.members, counts, strict=True) if c > 0]
        logp = np.log(np.concatenate(parts, axis=0))
        med = np.median(logp, axis=0)
        return np.exp(med + self.width * (logp - med))

    def point(self, h: int) -> np.ndarray:
        return np.exp(np.average([np.log(m.point(h)) for m in self.members], axis=0, weights=self.weights))

    @property
    def detail(self) -> str:
        return "mixture of " + "; ".join(f"{w:.0%} {m.name} ({m.detail})"
                                         for m, w in zip(self.members, self.weights, strict=True))


class _LibraryModel(LogModel):
    """A statsforecast model with its own ``simulate`` (bootstrapped residuals)."""

    def _make(self, season: int):
        raise NotImplementedError

    def _fit(self, logy: np.ndarray) -> None:
        season = 12 if len(logy) >= OWN_SEASON_MONTHS else 1
        self.model_ = self._make(season)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.model_.fit(logy)

    def _simulate(self, h: int, n: int, rng: np.random.Generator) -> np.ndarray:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            paths = self.model_.simulate(h=h, n_paths=n, seed=int(rng.integers(2 ** 31 - 1)),
                                         error_distribution="bootstrap")
        return np.asarray(paths, dtype=float)

    def _point(self, h: int) -> np.ndarray:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return np.asarray(self.model_.predict(h=h)["mean"], dtype=float)


class Theta(_LibraryModel):
    """statsforecast AutoTheta on log volume."""

    name = "theta"
    description = "AutoTheta on log volume (statsforecast)"

    def _make(self, season: int):
        from statsforecast.models import AutoTheta

        return AutoTheta(season_length=season)


class ARIMA(_LibraryModel):
    """statsforecast AutoARIMA on log volume."""

    name = "arima"
    description = "AutoARIMA on log volume (statsforecast)"

    def _make(self, season: int):
        from statsforecast.models import AutoARIMA

        return AutoARIMA(season_length=season)

    def _detail(self) -> str:
        from statsforecast.arima import arima_string

        try:
            return f"{arima_string(self.model_.model_)} on log volume (statsforecast AutoARIMA)"
        except Exception:  # noqa: BLE001 - the description is cosmetic
            return self.description
