"""The server-rendered pages (Jinja templates over the same queries as the API)."""

from __future__ import annotations

from fastapi import APIRouter


def read_routers() -> list[APIRouter]:
    from taizhang.web.routers import page_documents, page_overview, page_research, page_targets

    return [page_overview.router, page_documents.router, page_targets.router, page_research.router]


def write_routers() -> list[APIRouter]:
    from taizhang.web.routers import page_auth, page_documents, page_targets

    return [page_auth.router, page_documents.write_router, page_targets.write_router]
