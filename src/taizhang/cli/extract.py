"""`taizhang extract`, `explain` and `eval`."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
