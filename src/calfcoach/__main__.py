"""``python -m calfcoach``: the same command line as the ``calfcoach`` script."""

from calfcoach.cli.app import run

run()
