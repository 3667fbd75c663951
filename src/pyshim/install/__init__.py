"""`pyshim install`: interpreters on demand, verified, atomic, offline-capable.

An action beside `venv/`: it adds interpreters to pyshim's own `ROOT/versions/`, which
discovery then lists like any other source. The data flow, one module per step:

    request -> catalog.py  (the downloads file: which build of which version, for this platform)
            -> fetch.py    (the archive, from its address, a mirror or a local file; SHA-256 checked
                            before anything is unpacked)
            -> unpack.py   (the archive is untrusted: no absolute paths, no `..`, no links out)
            -> place.py    (unpacked beside its final folder, probed, renamed into place under a lock;
                            the shims are made current)

Nothing is half-installed: a folder at `ROOT/versions/NAME` is always complete.
"""
