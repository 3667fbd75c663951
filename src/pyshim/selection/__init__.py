"""Stage 1, request and selection: which version names are asked for here, and by what.

In: the PYSHIM_VERSION / PYENV_VERSION variables, the nearest `.python-version` (read in
`version_file`), the global version files. Out: `select.Selection` (the active names in order,
each with its origin) and `request.PythonRequest`, the one parsed form of a name like "3.11",
"pypy3.10" or ">=3.10", with the one matcher every later stage uses. Nothing here starts an
interpreter or knows which ones exist.
"""
