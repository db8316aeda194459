"""One router per resource; `api` and `pages` list which are mounted in each mode."""
