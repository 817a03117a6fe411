"""Metadata lives in pyproject.toml; this only ships the defaults a program builds with.

forms/, site_src/, mkdocs.yml and examples/ sit at the top of the repository, where staff edit
them; a wheel carries copies in generator/bundled/ (generator/resources.py finds either).
"""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SHIPPED = ("forms", "site_src", "mkdocs.yml", "examples")


class BuildWithDefaults(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):  # an editable install reads the checkout itself
            return
        root = Path(__file__).resolve().parent
        target = Path(self.build_lib) / "generator" / "bundled"
        for name in SHIPPED:
            source, dest = root / name, target / name
            if source.is_dir():
                shutil.copytree(source, dest, dirs_exist_ok=True,
                                ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".snapshots", "snapshots"))
            else:
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, dest)


setup(cmdclass={"build_py": BuildWithDefaults})
