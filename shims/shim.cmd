@echo off
rem pyshim shim for @COMMAND@ -- written by `pyshim rehash` from shims/shim.cmd; do not edit.
rem pyshim-shim
rem Windows shims always take the slow path: `pyshim exec` picks the version and runs the command.
setlocal
"@PYTHON@" -I -c "import sys; sys.path.insert(0, sys.argv.pop(1)); from pyshim.cli import main; sys.exit(main())" "@SRC@" exec "@COMMAND@" %*
exit /b %ERRORLEVEL%
