"""Clinic Desk: the daily desk program of a small Swedish dental clinic for children."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("clinic-desk")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
