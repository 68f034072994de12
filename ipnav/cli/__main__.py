"""`python -m ipnav.cli`: the same as the `ipnav` command."""

from ipnav.cli import main

main()
