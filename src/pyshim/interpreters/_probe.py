# This script runs INSIDE a candidate interpreter, not inside pyshim: pyshim passes its text
# to `python -E -s -c`. It must parse and run on every CPython and PyPy from 2.7 to 3.14 with
# the standard library only, and print one JSON object between two marker lines so that any
# noise a sitecustomize prints cannot be mistaken for the answer. pyinfo.py reads the result.
import json
import os
import platform
import struct
import sys
import sysconfig

MARK = "PYSHIM-PROBE-" + "8d3f2a"


def implementation_name():
    impl = getattr(sys, "implementation", None)
    if impl is not None:
        return impl.name
    return platform.python_implementation().lower()


def ensurepip_wheels():
    found = []
    try:
        try:
            import importlib.util as util
            spec = util.find_spec("ensurepip")
            origin = spec.origin if spec else None
        except ImportError:
            import imp
            origin = imp.find_module("ensurepip")[1]
        if origin:
            base = origin if os.path.isdir(origin) else os.path.dirname(origin)
            bundled = os.path.join(base, "_bundled")
            if os.path.isdir(bundled):
                found.extend(os.path.join(bundled, n) for n in sorted(os.listdir(bundled)) if n.endswith(".whl"))
    except Exception:
        pass
    return found


def venv_scheme_paths():
    names = sysconfig.get_scheme_names()
    if "venv" in names:
        scheme = "venv"
    elif os.name == "nt":
        scheme = "nt"
    elif implementation_name() == "pypy" and "pypy" in names:
        scheme = "pypy"
    else:
        scheme = "posix_prefix"
    placeholder = "{PYSHIM_BASE}"
    config_vars = {}
    for key in ("base", "platbase", "installed_base", "installed_platbase", "userbase"):
        config_vars[key] = placeholder
    paths = sysconfig.get_paths(scheme=scheme, vars=config_vars)
    return scheme, dict((k, v) for k, v in paths.items())


def main():
    info = sys.version_info
    scheme, scheme_paths = venv_scheme_paths()
    base_prefix = getattr(sys, "base_prefix", getattr(sys, "real_prefix", sys.prefix))
    gil_disabled = sysconfig.get_config_var("Py_GIL_DISABLED")
    result = {
        "implementation": implementation_name(),
        "version_info": [info[0], info[1], info[2], info[3], info[4]],
        "freethreaded": bool(gil_disabled),
        "debug": hasattr(sys, "gettotalrefcount"),
        "machine": platform.machine(),
        "pointer_bits": struct.calcsize("P") * 8,
        "platform": sys.platform,
        "os_name": os.name,
        "executable": sys.executable,
        "prefix": sys.prefix,
        "exec_prefix": sys.exec_prefix,
        "base_prefix": base_prefix,
        "base_exec_prefix": getattr(sys, "base_exec_prefix", base_prefix),
        "is_venv": sys.prefix != base_prefix or hasattr(sys, "real_prefix"),
        "scheme": scheme,
        "scheme_paths": scheme_paths,
        "platlibdir": getattr(sys, "platlibdir", "lib"),
        "ldversion": sysconfig.get_config_var("LDVERSION") or "",
        "abiflags": getattr(sys, "abiflags", ""),
        "soabi": sysconfig.get_config_var("SOABI") or "",
        "stdlib": sysconfig.get_paths().get("stdlib", ""),
        "ensurepip_wheels": ensurepip_wheels(),
    }
    out = sys.stdout
    out.write("\n" + MARK + "\n" + json.dumps(result) + "\n" + MARK + "\n")
    out.flush()


main()
