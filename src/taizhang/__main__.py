from taizhang.cli import cli

cli()
