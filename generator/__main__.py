"""`python -m generator`: the same commands as build.py and crp-mentoring."""
import sys

from generator.cli import main

sys.exit(main(prog="python -m generator"))
