"""How every `pyshim` command starts: the console script (src/bin/pyshim) and `python -m pyshim`.

First step of the data flow. `main()` tries the two quick paths before the CLI is imported, then
runs the CLI:

    argv -> venv.replay.replay_command   (`pyshim venv ...` built before: replayed)
         -> shims.front_end.hand_over    (`version [--bare]`, `versions`: exec the sh front-end)
         -> cli.main()                   (everything else, and whatever the quick paths decline)

Both quick paths give the CLI's answer byte for byte (tests/test_venv_replay.py,
tests/test_front_end.py), so both entry points take them: `python -m pyshim` is as fast as the
console script. The reference those tests compare against is `pyshim.cli.main()` itself.
Imports: sys, and only the quick path's own modules before the CLI (tests/test_start_up.py).
"""

import sys


def main() -> int:
    argv = sys.argv[1:]
    if argv[:1] == ["venv"]:
        from pyshim.venv.replay import replay_command

        status = replay_command(argv)  # None: no record answers this command line
        if status is not None:
            return status
    else:
        from pyshim.shims.front_end import hand_over

        hand_over(argv)  # execs the sh front-end for the queries it answers; returns otherwise
    from pyshim.cli import main as cli_main

    return cli_main()


if __name__ == "__main__":
    sys.exit(main())
