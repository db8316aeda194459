"""The server-rendered pages (Jinja templates over the same queries as the API)."""

from __future__ import annotations

from fastapi import APIRouter


def read_routers() -> list[APIRouter]:
    from taizhang.web.routers import (
        page_documents,
        page_overview,
        page_research,
        page_targets,
        page_work,
    )

    return [page_overview.router, page_documents.router, page_work.router, page_targets.router,
            page_research.router]


def write_routers() -> list[APIRouter]:
    """Mounted only outside public mode: logins, writes, and the office's private pages."""
    from taizhang.web.routers import (
        page_admin,
        page_auth,
        page_documents,
        page_targets,
        page_tasks,
        page_work,
    )

    return [page_auth.router, page_documents.write_router, page_targets.write_router,
            page_work.write_router, page_tasks.router, page_tasks.write_router, page_admin.router]
