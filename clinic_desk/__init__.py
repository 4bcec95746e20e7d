"""Clinic Desk: the daily desk program of a small Swedish dental clinic for children."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # The version comes from the installed package's metadata; reading it costs tens of
    # milliseconds, so it is read when first asked for, not at every start (PEP 562).
    if name != "__version__":
        raise AttributeError(name)
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("clinic-desk")
    except PackageNotFoundError:  # running from a source tree that was never installed
        found = "0.0.0+source"
    globals()["__version__"] = found
    return found
