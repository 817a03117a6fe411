#!/usr/bin/env python3
"""Build a peer-mentoring program site. `python build.py --help` lists the commands."""
import sys

from generator.cli import main

if __name__ == "__main__":
    sys.exit(main())
