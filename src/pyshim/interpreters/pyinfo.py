"""`PythonInfo`: everything pyshim knows about one interpreter, and how to learn it.

Third step of the data flow. `probe(candidate)` runs `_probe.py` inside the interpreter with a
time-out and turns its JSON into a frozen `PythonInfo`; it never raises for a bad candidate but
returns a `ProbeFailure` value that says why (shown under `--verbose`). `cache.py` stores the raw
probe data so a warm run starts no interpreter at all.
"""

from __future__ import annotations

import os

from pyshim.base.record import Record

CHECK_MODULUS = 0xFFFFFFFFFFFFFFC5  # the largest prime below 2**64


def change_detector(data: bytes) -> str:
    """A 64-bit change detector over `data`, not a security check: the bytes read as one number,
    modulo a prime (a flipped bit or a moved byte changes it). Built-ins only: zlib's crc32
    costs every command that reads the probe cache a shared library's load (~0.4 ms)."""
    return "%016x-%d" % (int.from_bytes(data, "little") % CHECK_MODULUS, len(data))


with open(os.path.join(os.path.dirname(__file__), "_probe.py"), encoding="utf-8") as _probe_file:
    PROBE_SOURCE = _probe_file.read()
PROBE_HASH = change_detector(PROBE_SOURCE.encode("utf-8"))
PROBE_MARK = "PYSHIM-PROBE-8d3f2a"
DEFAULT_PROBE_TIMEOUT = 15.0
_RELEASE_ORDER = {"alpha": 0, "beta": 1, "candidate": 2, "final": 3}
_PRE_TAG = {"alpha": "a", "beta": "b", "candidate": "rc"}


class Source:
    """Where a candidate interpreter was found (plain text, shown as is); `ORDER` is the order
    sources are searched. Constants rather than an `enum`, which costs a command's start-up."""

    PYSHIM = "pyshim"
    VENV = "pyshim-venv"
    PYENV = "pyenv"
    UV = "uv"
    CONDA = "conda"
    PATH = "path"
    SYSTEM = "system"
    ORDER = (PYSHIM, VENV, PYENV, UV, CONDA, PATH, SYSTEM)


class Candidate(Record):
    """A file that may be an interpreter: where discovery found it and under what name."""

    executable: str  # absolute, symlinks in the last component kept (a venv's python is one)
    source: Source
    name: str  # the version name users type: "3.11.7", a venv name, or the path itself


class ProbeFailure(Record):
    candidate: Candidate
    reason: str
    transient: bool = False  # a time-out: load or a slow disk may cause it, so it is retried


class PythonInfo(Record):
    """One probed interpreter, immutable; built from probe data plus the `Candidate`.

    Values in pyshim are NamedTuples rather than dataclasses: importing `dataclasses` pulls in
    `inspect` and costs about 8 ms, paid by every command; a NamedTuple costs nothing extra.
    """

    name: str
    source: Source
    executable: str
    real_executable: str
    implementation: str
    version_info: Tuple[Any, ...]
    freethreaded: bool
    debug: bool
    machine: str
    pointer_bits: int
    platform: str
    prefix: str
    base_prefix: str
    base_exec_prefix: str
    is_venv: bool
    scheme: str
    scheme_paths: Dict[str, str]
    platlibdir: str = "lib"
    ldversion: str = ""
    abiflags: str = ""
    soabi: str = ""
    stdlib: str = ""
    ensurepip_wheels: Tuple[str, ...] = ()

    @property
    def release(self) -> Tuple[int, int, int]:
        return (int(self.version_info[0]), int(self.version_info[1]), int(self.version_info[2]))

    @property
    def prerelease(self) -> Optional[str]:
        level, serial = self.version_info[3], self.version_info[4]
        return None if level == "final" else f"{_PRE_TAG.get(level, level)}{serial}"

    @property
    def version(self) -> str:
        """The full version as PEP 440 text: "3.11.7", "3.13.0rc1"."""
        return "%d.%d.%d" % self.release + (self.prerelease or "")

    @property
    def minor_version(self) -> str:
        """"3.11", or "3.13t" for a free-threaded build: the pythonX.Y folder and command name."""
        return "%d.%d" % self.release[:2] + ("t" if self.freethreaded else "")

    @property
    def version_key(self) -> Tuple[int, int, int, int, int]:
        """Sort key: higher release first when reversed; finals above pre-releases."""
        level = _RELEASE_ORDER.get(self.version_info[3], 0)
        return self.release + (level, int(self.version_info[4]))

    @property
    def bin_dir(self) -> str:
        return os.path.dirname(self.executable)

    @property
    def is_system(self) -> bool:
        return self.source in (Source.PATH, Source.SYSTEM)

    @property
    def implementation_label(self) -> str:
        return {"cpython": "CPython", "pypy": "PyPy"}.get(self.implementation, self.implementation)

    def to_json(self) -> Dict[str, Any]:
        data = self._asdict()
        data["version"] = self.version
        data["version_info"] = list(self.version_info)
        data["ensurepip_wheels"] = list(self.ensurepip_wheels)
        return data


def venv_config_beside(executable: str) -> str:
    """Where the `pyvenv.cfg` of the venv holding `executable` (in its bin folder) would be."""
    return os.path.join(os.path.dirname(os.path.dirname(executable)), "pyvenv.cfg")


_TEXT_FIELDS = ("implementation", "machine", "platform", "prefix", "base_prefix", "base_exec_prefix", "scheme")
_OPTIONAL_TEXT_FIELDS = ("platlibdir", "ldversion", "abiflags", "soabi", "stdlib", "executable")
_FLAG_FIELDS = ("freethreaded", "debug", "is_venv")


def _is_int(value: Any, low: int, high: int) -> bool:
    return type(value) is int and low <= value <= high


def probe_data_problem(data: Any) -> Optional[str]:
    """What is wrong with a probe answer (fresh, or read back from the cache), or None.

    Every field `info_from_probe` reads is checked for its type and a sane range, so a
    corrupted or hand-edited cache entry is re-probed instead of crashing a command.
    """
    if not isinstance(data, dict):
        return "not an object"
    for key in _TEXT_FIELDS:
        if type(data.get(key)) is not str:
            return f"{key} is not text"
    for key in _OPTIONAL_TEXT_FIELDS:
        if key in data and type(data[key]) is not str:
            return f"{key} is not text"
    for key in _FLAG_FIELDS:
        if type(data.get(key)) is not bool:
            return f"{key} is not true or false"
    version = data.get("version_info")
    if not (isinstance(version, list) and len(version) == 5 and _is_int(version[0], 2, 9)
            and _is_int(version[1], 0, 999) and _is_int(version[2], 0, 999)
            and type(version[3]) is str and version[3] in _RELEASE_ORDER
            and _is_int(version[4], 0, 999)):
        return "version_info is not a Python version"
    if data.get("pointer_bits") not in (32, 64) or type(data.get("pointer_bits")) is not int:
        return "pointer_bits is not 32 or 64"
    paths = data.get("scheme_paths")
    if not isinstance(paths, dict) or not all(type(k) is str and type(v) is str for k, v in paths.items()):
        return "scheme_paths is not a table of paths"
    wheels = data.get("ensurepip_wheels", [])
    if not isinstance(wheels, list) or not all(type(w) is str for w in wheels):
        return "ensurepip_wheels is not a list of paths"
    return None


def info_from_probe(data: Dict[str, Any], candidate: Candidate, real_executable: str) -> PythonInfo:
    return PythonInfo(
        name=candidate.name,
        source=candidate.source,
        executable=candidate.executable,
        real_executable=real_executable,
        implementation=str(data["implementation"]),
        version_info=tuple(data["version_info"]),
        freethreaded=bool(data["freethreaded"]),
        debug=bool(data["debug"]),
        machine=str(data["machine"]),
        pointer_bits=int(data["pointer_bits"]),
        platform=str(data["platform"]),
        prefix=str(data["prefix"]),
        base_prefix=str(data["base_prefix"]),
        base_exec_prefix=str(data["base_exec_prefix"]),
        is_venv=bool(data["is_venv"]),
        scheme=str(data["scheme"]),
        scheme_paths=dict(data["scheme_paths"]),
        platlibdir=str(data.get("platlibdir", "lib")),
        ldversion=str(data.get("ldversion", "")),
        abiflags=str(data.get("abiflags", "")),
        soabi=str(data.get("soabi", "")),
        stdlib=str(data.get("stdlib", "")),
        ensurepip_wheels=tuple(data.get("ensurepip_wheels", ())),
    )


def probe_timeout() -> float:
    try:
        return float(os.environ.get("PYSHIM_PROBE_TIMEOUT", DEFAULT_PROBE_TIMEOUT))
    except ValueError:
        return DEFAULT_PROBE_TIMEOUT


def run_probe(candidate: Candidate) -> Union[Dict[str, Any], ProbeFailure]:
    """Run the probe inside `candidate`; raw data, or a `ProbeFailure` saying why not."""
    if not os.access(candidate.executable, os.X_OK):
        return ProbeFailure(candidate, "not executable")
    import subprocess

    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    try:
        completed = subprocess.run(
            [candidate.executable, "-E", "-s", "-c", PROBE_SOURCE],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            timeout=probe_timeout(),
            env=env,
        )
    except subprocess.TimeoutExpired:
        return ProbeFailure(candidate, f"timed out after {probe_timeout():.0f}s", transient=True)
    except OSError as error:
        return ProbeFailure(candidate, f"cannot run: {error.strerror}")
    parts = completed.stdout.decode("utf-8", "replace").split(PROBE_MARK)
    if completed.returncode != 0 or len(parts) < 3:
        last_error = completed.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        return ProbeFailure(candidate, f"exited with status {completed.returncode}: {last_error[0][:200]}")
    from pyshim.base import json_text

    try:
        data = json_text.loads(parts[1])
    except (ValueError, RecursionError):
        return ProbeFailure(candidate, "printed something that is not a probe answer")
    problem = probe_data_problem(data)
    if problem is not None:
        return ProbeFailure(candidate, f"printed something that is not a probe answer ({problem})")
    return data


def check_not_a_shim(data: Dict[str, Any], candidate: Candidate, real_executable: str) -> Optional[ProbeFailure]:
    """A shim or wrapper script runs some *other* interpreter; it must never be cached as one.
    (An interpreter that reports the candidate's own path is the file whose real path the caller
    passed in: no second realpath.)"""
    reported = data.get("executable") or ""
    if reported and reported != candidate.executable and os.path.realpath(reported) != real_executable:
        return ProbeFailure(candidate, f"a shim or wrapper that runs {reported}, not an interpreter")
    return None
