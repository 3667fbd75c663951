"""One exception hierarchy for every user-facing failure.

Each error carries the exit status pyshim ends with and a one-line message that says what is
wrong, where it came from and how to fix it. `cli.main` is the only place that catches them and
prints; everything below it raises (or returns values) and never prints.
"""

from __future__ import annotations


class PyshimError(Exception):
    """Base class: a problem the user can fix, reported as one line."""

    exit_status: int = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(PyshimError):
    """The command line itself is wrong."""

    exit_status = 2


class InvalidVersionName(PyshimError):
    """A version name that could escape pyshim's folders or is not a name at all."""


class VersionFileError(PyshimError):
    """A `.python-version` (or global version file) that cannot be used."""


class VersionNotInstalled(PyshimError):
    """A selected or requested version that no discovered interpreter satisfies."""


class CommandNotFound(PyshimError):
    """A command that none of the selected versions provides."""

    exit_status = 127


class ShimRecursion(PyshimError):
    """A shim that would end up running itself again."""

    exit_status = 126


class VenvError(PyshimError):
    """A virtual environment that cannot be created, found or removed."""


class VenvOSError(VenvError, OSError):
    """A build the file system refused: one line for pyshim's CLI, still an OSError (with the
    original errno) for code written against the stdlib's venv, which lets OSError through."""

    def __init__(self, error: OSError, message: str) -> None:
        VenvError.__init__(self, message)
        self.errno, self.strerror, self.filename = error.errno, error.strerror, error.filename


class ActivationError(PyshimError):
    """A venv path or prompt that cannot be carried safely into a shell."""


class InstallError(PyshimError):
    """An interpreter could not be installed: no build for this platform, a bad download, an unsafe archive."""
