"""The JSON API routers: reads always, writes only when not in public mode."""

from __future__ import annotations

from fastapi import APIRouter


def read_routers() -> list[APIRouter]:
    from taizhang.web.routers import documents, export, targets, tracking, units

    return [documents.router, units.router, targets.router, tracking.router, export.router]


def write_routers() -> list[APIRouter]:
    from taizhang.web.routers import documents, submissions, targets

    return [documents.write_router, targets.write_router, submissions.write_router]
