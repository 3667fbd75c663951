"""Which interpreter a venv is built for: a request string, a `PythonInfo`, the running
interpreter, or the selection.

First thing the `venv/` action does: `resolve_target(python)` goes through the same request
parsing, discovery and resolution as every other command, so `--python 3.12` means what
`pyshim find 3.12` prints. No request means what the stdlib means, the interpreter running
this code (`sys._base_executable`), for the library and `python -m pyshim.venv`; only the
`pyshim venv` command asks for the version selected for the current directory
(`selection_default=True`, what `pyshim version` prints).
"""

from __future__ import annotations


from pyshim.base.record import Record
from pyshim.interpreters.pyinfo import PythonInfo


class Asked(Record):
    """What a venv's interpreter is asked as: the `--python` request, else the selection."""

    requests: tuple
    origin: str  # where the requests come from, for messages
    selection: object = None  # the Selection, when there was no --python


def asked_for(python: "str | None") -> Asked:
    """The requests `python` (a request string, or None for the selection) stands for; the
    command reads them once for discovery, installing on demand and `resolve_target`."""
    if python is None:
        from pyshim.selection.select import select

        selection = select()
        return Asked(selection.requests, selection.origin_text, selection)
    from pyshim.selection.request import parse_request

    return Asked((parse_request(str(python), "--python"),), "--python")


def resolve_target(python: Union[str, PythonInfo, None],
                   interpreters: Optional[Sequence[PythonInfo]] = None, *,
                   selection_default: bool = False, asked: "Asked | None" = None) -> PythonInfo:
    if isinstance(python, PythonInfo):
        return python
    if python is None and not selection_default:
        return running_interpreter()
    from pyshim.interpreters.discovery import find_interpreters_for
    from pyshim.interpreters.resolve import find_interpreter, not_installed, resolve_selection

    asked = asked if asked is not None else asked_for(python)
    found = interpreters if interpreters is not None else find_interpreters_for(asked.requests).interpreters
    if asked.selection is not None:
        return resolve_selection(asked.selection, found).interpreters[0]
    request = asked.requests[0]
    info = find_interpreter(request, found)
    if info is None and request.kind == "path":
        info = probe_path(request.raw)
    if info is None:
        raise not_installed(request, "--python", found)
    return info


def probe_path(executable: str) -> Optional[PythonInfo]:
    """An interpreter named by its path that no discovery source lists (probed, not cached)."""
    import os

    from pyshim.interpreters.pyinfo import Candidate, Source, check_not_a_shim, info_from_probe, run_probe

    candidate = Candidate(executable, Source.PATH, executable)
    data = run_probe(candidate)
    real = os.path.realpath(executable)
    if not isinstance(data, dict) or check_not_a_shim(data, candidate, real) is not None:
        return None
    return info_from_probe(data, candidate, real)


def running_interpreter() -> PythonInfo:
    """The interpreter running this code, as the stdlib's venv sees it: `sys._base_executable`
    (the base interpreter even when this runs inside a venv)."""
    import os
    import sys

    from pyshim.base.errors import VenvError

    executable = getattr(sys, "_base_executable", "") or sys.executable
    info = probe_path(os.path.abspath(executable)) if executable else None
    if info is None:
        raise VenvError(f"Unable to determine path to the running Python interpreter ({executable!r}); "
                        "name one with python= (or --python)")
    return info
