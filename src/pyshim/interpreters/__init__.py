"""Stage 2, interpreters: every interpreter on the machine, and the one a request selects.

In: a `Selection` or `PythonRequest` (stage 1) and the machine (pyshim's and pyenv's version
folders, uv, conda, PATH, system folders). `discovery` lists candidates (`discovery.sources`),
`pyinfo` runs `_probe.py` in each and turns its answer into a `PythonInfo`, `cache` keeps those
answers; `resolve` ranks them and answers "which interpreter is this request", "which file does
CMD run here"; `active_venv` reads the venv a shell has active. Out: `PythonInfo`s and paths.
"""
