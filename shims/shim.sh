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

# Quick path, for the common case only: no version variable (nor PYSHIM_DIR / PYENV_DIR, which
# move where the search starts), and the version file that decides (the nearest
# .python-version, else a global file) holds up to 8 plain lines whose first words the index
# knows, one of them with this command in its bin folder. Anything else falls through to the full
# selection (shims/lib.sh, further down, which sh parses only when it gets there); the
# differential tests check that both give the same answer. Sets _pyshim_target and _pyshim_prepend.
_pyshim_quick() {
  [ -z "${PYSHIM_VERSION-}${PYENV_VERSION-}${PYSHIM_DIR-}${PYENV_DIR-}" ] && [ "$_pyshim_depth" -lt 40 ] && [ -f "$_pyshim_index" ] || return 1
  # shellcheck source=/dev/null
  . "$_pyshim_index" && _pyshim_index_ok || return 1
  _pyshim_loaded=1
  case $PWD in
    /*/ | *//* | */./* | */../* | */. | */.. | *'
'*) return 1 ;;
    /) _pyshim_dir= ;;
    /*) _pyshim_dir=$PWD ;;
    *) return 1 ;;
  esac
  [ "$PWD" -ef . ] || return 1
  _pyshim_file=
  until [ -f "$_pyshim_dir/.python-version" ]; do
    if [ -z "$_pyshim_dir" ]; then
      _pyshim_file=$_pyshim_global
      [ -f "$_pyshim_file" ] || _pyshim_file=$_pyshim_pyenv_global
      break
    fi
    _pyshim_dir=${_pyshim_dir%/*}
  done
  _pyshim_file=${_pyshim_file:-$_pyshim_dir/.python-version}
  [ -r "$_pyshim_file" ] || return 1
  # Up to 8 lines, each one name the index knows (the first word: pyenv's rule, as in
  # _pyshim_read: `3.12  # note` is 3.12); the first whose bin folder has the command runs. A
  # blank or comment line, anything but printable ASCII and tab, `system`, or a name the index
  # lacks is left to lib.sh.
  _pyshim_target=
  _pyshim_count=0
  while IFS= read -r _pyshim_line || [ -n "$_pyshim_line" ]; do
    _pyshim_count=$((_pyshim_count + 1))
    [ "$_pyshim_count" -le 8 ] || return 1
    case $_pyshim_line in '' | *[!$_pyshim_ok]*) return 1 ;; esac
    _pyshim_line=${_pyshim_line%%[ 	#]*}
    [ -n "$_pyshim_line" ] && [ "$_pyshim_line" != system ] || return 1
    _pyshim_lookup "$_pyshim_line" && [ -n "$_pyshim_bin" ] || return 1
    if [ -z "$_pyshim_target" ] && [ -f "$_pyshim_bin/$_pyshim_command" ] && [ -x "$_pyshim_bin/$_pyshim_command" ]; then
      _pyshim_target=$_pyshim_bin/$_pyshim_command
      _pyshim_prepend=$_pyshim_bin:
    fi
  done <"$_pyshim_file"
  [ -n "$_pyshim_target" ]
}

# _pyshim_exec_fast ROAD ARG...: run _pyshim_target; ROAD (quick or full) is for PYSHIM_DEBUG_SHIM.
_pyshim_exec_fast() {
  [ -z "${PYSHIM_DEBUG_SHIM-}" ] || printf 'pyshim-shim: fast %s (%s)\n' "$_pyshim_target" "$1" >&2
  shift
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
if [ -z "$_pyshim_wait" ] && _pyshim_quick; then
  _pyshim_exec_fast quick "$@"
fi

# The full selection, shared with the `pyshim` front-end (shims/lib.sh), pasted in by rehash.
@LIB@

# _pyshim_pick NAME...: the file to run, in _pyshim_target; status 2 when there are no names,
# 3 when no named version has the command, 1 when only `pyshim exec` can decide.
# PATH for the child (resolve.child_path, as pyenv's exec): the bin folder of the version that
# has the command first; a command from `system` keeps PATH as it is.
_pyshim_pick() {
  _pyshim_count=0
  for _pyshim_name do
    [ -n "$_pyshim_name" ] || continue
    _pyshim_lookup "$_pyshim_name" || return 1
    _pyshim_count=$((_pyshim_count + 1))
    [ "$_pyshim_count" -le 64 ] || return 1  # version_file.MAX_NAMES: Python decides (repeats, the error)
  done
  [ "$_pyshim_count" -gt 0 ] || return 2
  _pyshim_prepend=
  for _pyshim_name do
    [ -n "$_pyshim_name" ] || continue
    _pyshim_lookup "$_pyshim_name"
    if [ -n "$_pyshim_bin" ]; then
      _pyshim_prepend=$_pyshim_bin:
      _pyshim_target=$_pyshim_bin/$_pyshim_command
      [ -f "$_pyshim_target" ] && [ -x "$_pyshim_target" ] && return 0
    else
      _pyshim_system_find "$_pyshim_command"
      case $? in 0) _pyshim_prepend= && return 0 ;; 2) return 1 ;; esac
    fi
  done
  return 3
}

# _pyshim_versioned: a versioned command (python3.10, pip3.10, pydoc3.10, idle3.10, 2to3-3.10,
# python3.10-config, python3.13t) that no selected version has runs from the best installed
# one of its version, with that bin folder alone put first on PATH (`resolve.versioned_command`).
_pyshim_versioned() {
  case $_pyshim_command in
    python*) _pyshim_want=${_pyshim_command#python} _pyshim_want=${_pyshim_want%-config} ;;
    pip*) _pyshim_want=${_pyshim_command#pip} ;;
    pydoc*) _pyshim_want=${_pyshim_command#pydoc} ;;
    idle*) _pyshim_want=${_pyshim_command#idle} ;;
    2to3-*) _pyshim_want=${_pyshim_command#2to3-} ;;
    *) return 1 ;;
  esac
  case $_pyshim_want in
    [0-9].[0-9] | [0-9].[0-9][0-9] | [0-9].[0-9]t | [0-9].[0-9][0-9]t) ;;
    *) return 1 ;;
  esac
  _pyshim_lookup "$_pyshim_want" && [ -n "$_pyshim_bin" ] || return 1
  _pyshim_target=$_pyshim_bin/$_pyshim_command
  [ -f "$_pyshim_target" ] && [ -x "$_pyshim_target" ] || return 1
  _pyshim_prepend=$_pyshim_bin:
}

# _pyshim_fast: sets _pyshim_target (status 0), or fails when only `pyshim exec` can decide.
_pyshim_fast() {
  [ "$_pyshim_depth" -lt 40 ] || return 1
  _pyshim_select
  case $? in
    0) return 0 ;;
    3) _pyshim_versioned ;;
    *) return 1 ;;
  esac
}

if [ -z "$_pyshim_wait" ] && _pyshim_fast; then
  _pyshim_exec_fast full "$@"
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
    if _pyshim_quick; then
      _pyshim_exec_fast quick "$@"
    elif _pyshim_fast; then
      _pyshim_exec_fast full "$@"
    fi
  fi
fi

# Slow path, looking where rehash looked when the environment names no folder (tox, cron, env -i).
[ -z "${PYSHIM_DEBUG_SHIM-}" ] || printf 'pyshim-shim: slow %s\n' "$_pyshim_command" >&2
# shellcheck source=/dev/null
if [ -f "$_pyshim_index" ] && . "$_pyshim_index"; then
  _pyshim_defaults
fi
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
