"""The rules file: defaults ship in the package, user files override key by key."""

from __future__ import annotations

from pathlib import Path

import pytest

from taizhang.track.rules import RulesError, default_rules_text, load_rules


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_load_and_carry_a_version(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TAIZHANG_RULES", raising=False)
    rules = load_rules()
    assert rules.version == "default-2026.2"
    assert rules.schedule.tolerance <= rules.schedule.serious_gap
    assert "失业率" in rules.lower_is_better
    assert rules.score("overdue") == 0.0


def test_user_file_overrides_only_its_keys(tmp_path: Path) -> None:
    path = write(tmp_path, 'version = "office-7"\n[schedule]\nserious_gap = 0.3\n')
    rules = load_rules(path)
    assert rules.version == "office-7"
    assert rules.schedule.serious_gap == 0.3
    assert rules.schedule.tolerance == load_rules(None).schedule.tolerance
    assert rules.rate.serious_gap == 0.2


def test_env_var_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "[freshness]\nstale_after_days = 30\n")
    monkeypatch.setenv("TAIZHANG_RULES", str(path))
    assert load_rules().stale_after_days == 30


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[schedule]\nserius_gap = 0.3\n", "schedule.serius_gap"),
        ("[schedule]\nserious_gap = 'high'\n", "schedule.serious_gap"),
        ("[schedule]\ntolerance = 0.5\nserious_gap = 0.1\n", "schedule.serious_gap"),
        ("[rate]\ntolerance = -1\n", "rate.tolerance"),
        ("[level]\ntolerance = 0.1\n", "'level' is now 'rate'"),
        ("[rank.weights]\nspeed = 1\n", "rank.weights.speed"),
        ("[rank.status_score]\nbehind = 2\n", "rank.status_score.behind"),
        ("[freshness]\nstale_after_days = 1.5\n", "freshness.stale_after_days"),
        ("[comparators]\nlower_is_better = '失业率'\n", "comparators.lower_is_better"),
        ("[period]\nannual_from_year_start = 1\n", "period.annual_from_year_start"),
        ("schedule = 3\n", "schedule"),
        ("version = ''\n", "version"),
        (
            "[rank.weights]\ncompletion = 0\ntimeliness = 0\nreporting = 0\nevidence = 0\n",
            "rank.weights",
        ),
    ],
)
def test_bad_keys_are_named(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(RulesError) as info:
        load_rules(write(tmp_path, text))
    assert key in str(info.value)
    assert "rules.toml" in str(info.value)


def test_unreadable_and_invalid_files(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="cannot read"):
        load_rules(tmp_path / "missing.toml")
    with pytest.raises(RulesError, match="not valid TOML"):
        load_rules(write(tmp_path, "[schedule\n"))


def test_defaults_ship_inside_the_package() -> None:
    assert "[schedule]" in default_rules_text()
