"""evpace: EV makers' milestones, pace and targets from sourced data and news, every figure cited.

The Python API lives in :mod:`evpace.api`; the most used functions are re-exported here.
"""

from .api import conflicts, entities, facts, init, load, milestones, pace, series, stats, targets

__version__ = "0.1.0"
__all__ = ["conflicts", "entities", "facts", "init", "load", "milestones", "pace", "series", "stats", "targets"]
