#!/usr/bin/env python3
"""Build a peer-mentoring program site. `python build.py --help` lists the commands."""
from generator.cli import exit_now, main

if __name__ == "__main__":
    exit_now(main(exits=True))
