"""Settings of the web application, read from `TAIZHANG_*` environment variables or `.env`.

One typed object, created once by the caller and handed to `create_app(settings)`; nothing is
read at import time. Unsafe values (a short secret key, a zero upload limit) are rejected with a
message that says what to set instead.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class WebSettings(BaseSettings):
    """What `taizhang serve` and `create_app` need to know."""

    model_config = SettingsConfigDict(env_prefix="TAIZHANG_", env_file=".env", extra="ignore")

    db: str = Field(
        "sqlite:///taizhang.db",
        description="SQLAlchemy URL of the ledger (SQLite file by default, or postgresql+psycopg://…).",
    )
    secret_key: str = Field(
        default_factory=lambda: secrets.token_urlsafe(32),
        description="Key that signs session cookies. Set it to keep sessions across restarts.",
    )
    public: bool = Field(
        False,
        description="Public read-only mode: confirmed targets, sources and statuses only; "
        "no write routes, notes, evidence files or users.",
    )
    max_upload_bytes: int = Field(
        20 * 1024 * 1024,
        description="Largest request body accepted (documents and evidence files), in bytes.",
    )
    upload_read_seconds: float = Field(
        60.0,
        description="Seconds an uploaded document may take to read (in a child process, which "
        "is then stopped and the upload refused).",
        gt=0,
    )
    evidence_dir: Path = Field(
        Path("evidence"),
        description="Folder where uploaded evidence files are stored.",
    )
    session_max_age: int = Field(
        8 * 3600, description="Seconds a login session stays valid."
    )
    cookie_secure: bool = Field(
        False,
        description="Mark session cookies Secure (set it when served over HTTPS).",
    )
    overview_cache_seconds: float = Field(
        60.0,
        description="Seconds the overview's aggregates are reused (0 = recompute every time); "
        "writes through this app clear them at once.",
        ge=0,
    )
    trusted_origins: str = Field(
        "",
        description="Other origins whose pages may post to this app, comma-separated "
        "(https://taizhang.example.gov.cn), when a proxy hands the app another Host; a write "
        "from any other origin than the app's own is refused.",
    )
    title: str = Field("台账 · 目标任务督查", description="Title shown in the page header.")
    office: str = Field("督查室", description="Who signs 催办 notices and the 督查通报.")
    dataset: Path | None = Field(
        None,
        description="A batch dataset (taizhang batch … -o DIR) that the 层层加码 page reads; "
        "unset: the page compares the ledger's own targets.",
    )

    @field_validator("secret_key")
    @classmethod
    def _long_secret(cls, value: str) -> str:
        if len(value) < 16:
            raise ValueError(
                "TAIZHANG_SECRET_KEY must be at least 16 characters; "
                "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'"
            )
        return value

    @field_validator("max_upload_bytes", "session_max_age")
    @classmethod
    def _positive(cls, value: int) -> int:
        if value <= 0:
            raise ValueError("must be a positive number")
        return value


ALLOWED_UPLOAD_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")
