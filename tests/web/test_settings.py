"""Settings: unsafe values are refused, and every setting is documented in README.md."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest
from pydantic import ValidationError

from taizhang.web import highlight, templating, themes
from taizhang.web.settings import WebSettings

DOCS = Path(__file__).parents[2] / "README.md"


def test_every_setting_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for name, field in WebSettings.model_fields.items():
        assert f"`TAIZHANG_{name.upper()}`" in text, name
        assert field.description, name


@pytest.mark.parametrize("values", [{"secret_key": "short"}, {"max_upload_bytes": 0},
                                    {"overview_cache_seconds": -1}])
def test_unsafe_settings_are_refused(values: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        WebSettings(**values)  # type: ignore[arg-type]


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TAIZHANG_PUBLIC", "true")
    monkeypatch.setenv("TAIZHANG_MAX_UPLOAD_BYTES", "1234")
    s = WebSettings()
    assert s.public is True and s.max_upload_bytes == 1234


@pytest.mark.parametrize("module", [highlight, templating, themes])
def test_doctests(module: object) -> None:
    result = doctest.testmod(module)  # type: ignore[arg-type]
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.postgres
def test_postgres_connections_run_without_jit(pg_engine) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    from taizhang.ledger import make_engine
    from taizhang.web.app import tune_engine

    engine = make_engine(pg_engine.url.render_as_string(hide_password=False))
    try:
        tune_engine(engine)
        for _ in range(2):  # also after the pool's rollback on check-in
            with engine.connect() as conn:
                assert conn.execute(text("SHOW jit")).scalar() == "off"
    finally:
        engine.dispose()
