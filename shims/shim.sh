#!/bin/sh
# pyshim shim for @COMMAND_TEXT@ -- written by `pyshim rehash` from shims/shim.sh; do not edit.
# pyshim-shim
# shellcheck disable=SC2154,SC3013 # the index (sourced) sets the _pyshim_* tables; -ef/-nt: dash, bash, ksh, zsh and busybox all have them
#
# Runs the command from the Python version the current directory selects, as `pyshim exec`
# would. Fast path (shell built-ins only): find the selected names (PYSHIM_VERSION,
# PYENV_VERSION, the nearest .python-version, the global files), map each to a bin folder
# through the index that rehash wrote, exec. Anything it cannot decide for certain goes to the
# slow path, `pyshim exec`, which is always right.
set -f
_pyshim_command=@COMMAND@
_pyshim_index=@INDEX@
_pyshim_python=@PYTHON@
_pyshim_src=@SRC@
_pyshim_boot='import sys; sys.path.insert(0, sys.argv.pop(1)); from pyshim.cli import main; sys.exit(main())'
_pyshim_stale=
_pyshim_wait=
_pyshim_prepend=

# Recursion guard: every shim run counts; `pyshim exec` refuses past its limit.
_pyshim_depth=${PYSHIM_SHIM_DEPTH:-0}
case $_pyshim_depth in
  '' | *[!0123456789]*) _pyshim_depth=0 ;;
  ?????*) _pyshim_depth=9999 ;;
esac
PYSHIM_SHIM_DEPTH=$((_pyshim_depth + 1))
export PYSHIM_SHIM_DEPTH

# The selection code shared with the `pyshim` front-end (shims/lib.sh), pasted in by rehash.
@LIB@

# _pyshim_pick NAME...: the file to run, in _pyshim_target; status 2 when there are no names.
_pyshim_pick() {
  _pyshim_prepend=
  _pyshim_count=0
  for _pyshim_name do
    [ -n "$_pyshim_name" ] || continue
    _pyshim_lookup "$_pyshim_name" || return 1
    _pyshim_count=$((_pyshim_count + 1))
    [ -z "$_pyshim_bin" ] || _pyshim_prepend=$_pyshim_prepend$_pyshim_bin:
  done
  [ "$_pyshim_count" -gt 0 ] || return 2
  for _pyshim_name do
    [ -n "$_pyshim_name" ] || continue
    _pyshim_lookup "$_pyshim_name"
    if [ -n "$_pyshim_bin" ]; then
      _pyshim_target=$_pyshim_bin/$_pyshim_command
      [ -f "$_pyshim_target" ] && [ -x "$_pyshim_target" ] && return 0
    else
      _pyshim_system_find "$_pyshim_command" && return 0
    fi
  done
  return 1
}

# _pyshim_fast: sets _pyshim_target (status 0), or fails when only `pyshim exec` can decide.
_pyshim_fast() {
  [ "$_pyshim_depth" -lt 40 ] && _pyshim_select
}

_pyshim_exec_fast() {
  [ -z "${PYSHIM_DEBUG_SHIM-}" ] || printf 'pyshim-shim: fast %s\n' "$_pyshim_target" >&2
  if [ -n "$_pyshim_prepend" ]; then
    PATH=$_pyshim_prepend${PATH-}
    export PATH
  fi
  exec "$_pyshim_target" "$@"
}

# `pip ...` and `python -m ...` are looked at below: pip may install console scripts.
case $_pyshim_command:${1-} in
  pip*:* | python*:-m*) _pyshim_wait=maybe ;;
esac
if [ -z "$_pyshim_wait" ] && _pyshim_fast; then
  _pyshim_exec_fast "$@"
fi

# The shell never parses what follows when the fast path ran.
# After pip installs or removes something, rehash so new console scripts get shims.
_pyshim_pip_changes() {
  case $_pyshim_command in
    pip | pip[0-9]*) ;;
    python | python[0-9]*)
      case $1 in
        -m) [ "${2-}" = pip ] || return 1 ;;
        -mpip) ;;
        *) return 1 ;;
      esac ;;
    *) return 1 ;;
  esac
  for _pyshim_arg do
    case $_pyshim_arg in install | uninstall) return 0 ;; esac
  done
  return 1
}
if [ -n "$_pyshim_wait" ]; then
  if _pyshim_pip_changes "$@"; then
    _pyshim_wait=1
  else
    _pyshim_wait=
    if _pyshim_fast; then
      _pyshim_exec_fast "$@"
    fi
  fi
fi

# Slow path.
[ -z "${PYSHIM_DEBUG_SHIM-}" ] || printf 'pyshim-shim: slow %s\n' "$_pyshim_command" >&2
if [ -n "$_pyshim_stale" ]; then
  set -- --rehash "$_pyshim_command" "$@"
else
  set -- "$_pyshim_command" "$@"
fi
if [ -z "$_pyshim_wait" ]; then
  exec "$_pyshim_python" -I -c "$_pyshim_boot" "$_pyshim_src" exec "$@"
fi
# pip installed or removed something: wait for it, rehash so new console scripts get shims,
# and end with pip's exit status.
"$_pyshim_python" -I -c "$_pyshim_boot" "$_pyshim_src" exec "$@"
_pyshim_status=$?
"$_pyshim_python" -I -c "$_pyshim_boot" "$_pyshim_src" rehash --quiet
exit "$_pyshim_status"
