"""The 截至 date a user works with: chosen once (the picker in the header, or `?as_of=`), kept in
the session, so that every page and every write's redirect keep it."""

from __future__ import annotations

from datetime import date

from fastapi import Request

SESSION_KEY = "as_of"


def page_as_of(request: Request, given: date | None) -> date:
    """`given` (and remember it), else the session's date, else today."""
    session = request.scope.get("session")
    if given is not None:
        if session is not None:
            session[SESSION_KEY] = given.isoformat()
        return given
    return session_as_of(session)


def session_as_of(session: dict[str, object] | None) -> date:
    """The date kept in a (decoded) session cookie, else today."""
    stored = session.get(SESSION_KEY) if session is not None else None
    if isinstance(stored, str):
        try:
            return date.fromisoformat(stored)
        except ValueError:
            pass
    return date.today()
