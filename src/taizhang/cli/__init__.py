"""The `taizhang` command: a thin adapter over the library (each stage has its own module)."""

from __future__ import annotations

import click

from taizhang import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="taizhang")
def cli() -> None:
    """taizhang (台账): turn Chinese government target texts into a ledger that can be tracked.

    \b
    Start here:
      taizhang extract examples/wuxi-district-leaders-2024.txt
      taizhang explain "全年有效高企突破1200家" --date 2024-06-28
    """


from taizhang.cli import extract as _extract  # noqa: E402
from taizhang.cli import ledger as _ledger  # noqa: E402
from taizhang.cli import month as _month  # noqa: E402
from taizhang.cli import office as _office  # noqa: E402
from taizhang.cli import research as _research  # noqa: E402
from taizhang.cli import results as _results  # noqa: E402
from taizhang.cli import sheets as _sheets  # noqa: E402
from taizhang.cli import track as _track  # noqa: E402
from taizhang.cli import web as _web  # noqa: E402

for _module in (_extract, _ledger, _office, _month, _research, _results, _sheets, _track, _web):
    for _command in _module.COMMANDS:
        cli.add_command(_command)
