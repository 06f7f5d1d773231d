"""``python -m pyaddin``: the command line."""
from pyaddin.cli.main import main

main()
