"""How every `pyshim` command starts: the console script (src/bin/pyshim) and `python -m pyshim`.

First step of the data flow. `main()` tries the two quick paths before the CLI is imported, then
runs the CLI:

    argv -> venv.replay.replay_command   (`pyshim venv ...` built before: replayed)
         -> shims.front_end.hand_over    (`version [--bare]`, `versions`, `prefix`, `local`: the sh front-end)
         -> cli.main()                   (everything else, and whatever the quick paths decline)

Whichever answers, `finish` ends the process without the interpreter's teardown. Both quick
paths give the CLI's answer byte for byte (tests/test_venv_replay.py,
tests/test_front_end.py), so both entry points take them: `python -m pyshim` is as fast as the
console script. The reference those tests compare against is `pyshim.cli.main()` itself.
Imports: os and sys, and only the quick path's own modules before the CLI (tests/test_start_up.py).
"""

import os
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


def finish(status: int) -> None:
    """Flush the standard streams and end the process without the interpreter's teardown.

    Tearing down the modules and objects costs a command about 2 ms (`python -c pass` 13.2 ms,
    `python -c "import os; os._exit(0)"` 11.0 ms here), and no pyshim command needs it: every
    file it writes is closed where it is written, no thread outlives its pool, nothing is left
    to `atexit`. A reader that went away while the output was flushed ends the command with
    141 and nothing on stderr, as `cli.main` does for one that goes away earlier."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None and not stream.closed:  # (`cli.main` closes stderr after a broken pipe)
                stream.flush()
        except BrokenPipeError:
            status = 141 if stream is sys.stdout else status
        except (OSError, ValueError):
            status = status or 1
    os._exit(status)


if __name__ == "__main__":
    finish(main())
