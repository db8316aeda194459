"""JSON responses written directly, for the read paths that list many rows."""

from __future__ import annotations

import json
from typing import Any

from fastapi.responses import Response


def json_response(content: Any) -> Response:
    """`content` as UTF-8 JSON (Chinese unescaped). A route that returns this keeps its
    `response_model` for the OpenAPI documentation, but FastAPI does not validate the value
    again: the caller builds exactly the documented shape."""
    body = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(body, media_type="application/json")
