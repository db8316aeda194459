"""Tracking thresholds as data: the shipped `default_rules.toml`, overridden by a user file.

Offices set their own 红黄绿灯 thresholds, so none is hard-coded: a user file (``--rules FILE``
or ``TAIZHANG_RULES``) holds only the keys it changes and is merged over the defaults. Unknown
keys and bad values are rejected with the dotted name of the key, never silently ignored.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from taizhang.errors import TaizhangError

ENV_VAR = "TAIZHANG_RULES"
SCORED_STATUSES = ("achieved", "on_track", "behind", "seriously_behind", "overdue")
RANK_COMPONENTS = ("completion", "timeliness", "reporting", "evidence")
# keys of older rules files, refused with their new name rather than silently ignored
RENAMED = {"level": "rate"}
RENAMED_WHY = {
    "level": "since rules version default-2026.2 only growth rates and shares are compared "
    "directly with their target; levels follow 序时进度 like increments",
}


class RulesError(TaizhangError):
    """A rules file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class Gap:
    """Two thresholds on a shortfall: ≤ tolerance is on track, ≤ serious_gap is behind."""

    tolerance: float
    serious_gap: float


@dataclass(frozen=True, slots=True)
class Rules:
    """Everything the status and the league table depend on, with its version string."""

    version: str
    include_soft: bool
    annual_from_year_start: bool
    schedule: Gap
    rate: Gap
    bound_serious_excess: float
    approx_tolerance: float
    lower_is_better: tuple[str, ...]
    stale_after_days: int
    rank_weights: tuple[tuple[str, float], ...]
    status_score: tuple[tuple[str, float], ...]

    def weight(self, component: str) -> float:
        return dict(self.rank_weights)[component]

    def score(self, status: str) -> float:
        return dict(self.status_score)[status]


def default_rules_text() -> str:
    """The shipped defaults, as TOML text (what `--rules` files override)."""
    return resources.files("taizhang.track").joinpath("default_rules.toml").read_text("utf-8")


def load_rules(path: str | os.PathLike[str] | None = None) -> Rules:
    """Defaults, overridden by `path`, else by the file named in TAIZHANG_RULES, if any."""
    defaults = tomllib.loads(default_rules_text())
    chosen = path if path is not None else os.environ.get(ENV_VAR) or None
    if chosen is None:
        return rules_from_mapping(defaults)
    file = Path(chosen)
    try:
        user = tomllib.loads(file.read_text("utf-8"))
    except OSError as exc:
        raise RulesError(f"cannot read rules file {file}: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"rules file {file} is not valid TOML: {exc}") from exc
    try:
        return rules_from_mapping(_merge(defaults, user, ""))
    except RulesError as exc:
        raise RulesError(f"{file}: {exc}") from exc


def rules_from_mapping(data: Mapping[str, Any]) -> Rules:
    """Validate a complete mapping (defaults already merged) and build `Rules`."""
    get = _Getter(data)
    rules = Rules(
        version=get.text("version"),
        include_soft=get.flag("scope.include_soft"),
        annual_from_year_start=get.flag("period.annual_from_year_start"),
        schedule=_gap(get, "schedule"),
        rate=_gap(get, "rate"),
        bound_serious_excess=get.number("bound.serious_excess"),
        approx_tolerance=get.number("comparators.approx_tolerance", upper=1.0),
        lower_is_better=get.words("comparators.lower_is_better"),
        stale_after_days=int(get.number("freshness.stale_after_days", integer=True)),
        rank_weights=tuple((c, get.number(f"rank.weights.{c}")) for c in RANK_COMPONENTS),
        status_score=tuple(
            (s, get.number(f"rank.status_score.{s}", upper=1.0)) for s in SCORED_STATUSES
        ),
    )
    if sum(w for _, w in rules.rank_weights) <= 0:
        raise RulesError("rank.weights: at least one weight must be positive")
    return rules


def _gap(get: _Getter, section: str) -> Gap:
    gap = Gap(get.number(f"{section}.tolerance"), get.number(f"{section}.serious_gap"))
    if gap.serious_gap < gap.tolerance:
        raise RulesError(
            f"{section}.serious_gap ({gap.serious_gap}) must not be below "
            f"{section}.tolerance ({gap.tolerance})"
        )
    return gap


def _merge(base: Mapping[str, Any], user: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    """Deep-merge `user` over `base`; a key `base` does not know is an error."""
    merged = dict(base)
    for key, value in user.items():
        name = f"{prefix}{key}"
        if key not in base and f"{prefix}{key}" in RENAMED:
            raise RulesError(f"{name!r} is now {RENAMED[name]!r}: {RENAMED_WHY[name]}")
        if key not in base:
            known = ", ".join(f"{prefix}{k}" for k in base)
            raise RulesError(f"unknown key {name!r}; known keys here: {known}")
        if isinstance(base[key], Mapping):
            if not isinstance(value, Mapping):
                raise RulesError(f"{name} must be a table ([{name}]), got {value!r}")
            merged[key] = _merge(base[key], value, f"{name}.")
        else:
            merged[key] = value
    return merged


class _Getter:
    """Typed access to dotted keys with errors that name the key."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data

    def raw(self, dotted: str) -> Any:
        node: Any = self.data
        for part in dotted.split("."):
            if not isinstance(node, Mapping) or part not in node:
                raise RulesError(f"missing key {dotted!r}")
            node = node[part]
        return node

    def text(self, dotted: str) -> str:
        value = self.raw(dotted)
        if not isinstance(value, str) or not value.strip():
            raise RulesError(f"{dotted} must be a non-empty string, got {value!r}")
        return value

    def flag(self, dotted: str) -> bool:
        value = self.raw(dotted)
        if not isinstance(value, bool):
            raise RulesError(f"{dotted} must be true or false, got {value!r}")
        return value

    def number(self, dotted: str, *, upper: float | None = None, integer: bool = False) -> float:
        value = self.raw(dotted)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise RulesError(f"{dotted} must be a number, got {value!r}")
        if integer and not float(value).is_integer():
            raise RulesError(f"{dotted} must be a whole number, got {value!r}")
        if value < 0 or (upper is not None and value > upper):
            bound = f"between 0 and {upper}" if upper is not None else "0 or more"
            raise RulesError(f"{dotted} must be {bound}, got {value!r}")
        return float(value)

    def words(self, dotted: str) -> tuple[str, ...]:
        value = self.raw(dotted)
        if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
            raise RulesError(f"{dotted} must be a list of non-empty strings, got {value!r}")
        return tuple(value)
