#!/bin/sh
# pyshim front-end -- written by `pyshim rehash` from shims/pyshim.sh; do not edit.
# pyshim-front-end
# shellcheck disable=SC2154,SC3013 # the index (sourced) sets the _pyshim_* tables; -ef/-nt: dash, bash, ksh, zsh and busybox all have them
#
# `pyshim` for shells that put ROOT/shims first on PATH (`pyshim init`). It answers
# `pyshim version`, `pyshim version --bare`, `pyshim versions`, `pyshim prefix` and `pyshim local`
# (showing the file) with shell built-ins only,
# byte for byte what the Python CLI prints, when the index rehash wrote answers them for
# certain (the same selection code as the shims, shims/lib.sh). Everything else, and anything
# it cannot decide for certain (a stale index, PATH changed, a name the index lacks, an error,
# any other argument), runs the Python CLI with the arguments unchanged (the slow path).
set -f
_pyshim_index=@INDEX@
_pyshim_python=@PYTHON@
_pyshim_src=@SRC@
_pyshim_boot='import sys; sys.path.insert(0, sys.argv.pop(1)); from pyshim.cli import main; sys.exit(main())'
_pyshim_stale=
_pyshim_nl='
'

# The selection code shared with the shims (shims/lib.sh), pasted in by rehash.
@LIB@

# _pyshim_pick NAME...: the lines `pyshim version [--bare]` prints, in _pyshim_out, and the
# resolved names, in _pyshim_keys; status 2 when there are no names.
_pyshim_pick() {
  _pyshim_out=
  _pyshim_keys=
  for _pyshim_name do
    [ -n "$_pyshim_name" ] || continue
    _pyshim_lookup "$_pyshim_name" && [ -n "$_pyshim_real" ] || return 1
    _pyshim_keys="$_pyshim_keys $_pyshim_real"
    if [ "$_pyshim_mode" = prefix ]; then
      if [ "$_pyshim_real" = system ]; then  # the one PATH decides: valid under rehash's PATH only
        _pyshim_load_aliases && _pyshim_path_ok && [ -n "$_pyshim_system_prefix" ] || return 1
        _pyshim_prefix=$_pyshim_system_prefix
      else
        _pyshim_prefix_of "$_pyshim_bin" || return 1
      fi
      _pyshim_out=$_pyshim_out$_pyshim_prefix$_pyshim_nl
    elif [ -n "$_pyshim_bare" ]; then
      _pyshim_out=$_pyshim_out$_pyshim_real$_pyshim_nl
    elif [ "$_pyshim_name" = "$_pyshim_real" ]; then
      _pyshim_out="$_pyshim_out$_pyshim_real (set by $_pyshim_origin)$_pyshim_nl"
    else
      _pyshim_out="$_pyshim_out$_pyshim_real (from '$_pyshim_name', set by $_pyshim_origin)$_pyshim_nl"
    fi
  done
  [ -n "$_pyshim_keys" ] || return 2
}

# _pyshim_load_versions: the front-end's own index file (the listing, the prefixes) sourced.
_pyshim_load_versions() {
  [ -f "$_pyshim_index-versions" ] || return 1
  # shellcheck source=/dev/null
  . "$_pyshim_index-versions"
}

# _pyshim_local: the names of the nearest .python-version, as `pyshim local` prints them (each
# once, in order), in _pyshim_out; each must be a name the index knows, so none is one Python
# would refuse (`request.validate_name`); a name not installed goes to Python.
_pyshim_local() {
  _pyshim_load && _pyshim_nearest && _pyshim_read "$_pyshim_origin" || return 1
  _pyshim_out=
  _pyshim_seen=' '
  # shellcheck disable=SC2086 # split on purpose; globbing is off (set -f)
  for _pyshim_name in $_pyshim_names; do
    case $_pyshim_seen in *" $_pyshim_name "*) continue ;; esac
    _pyshim_lookup "$_pyshim_name" || return 1
    _pyshim_seen="$_pyshim_seen$_pyshim_name "
    _pyshim_out=$_pyshim_out$_pyshim_name$_pyshim_nl
  done
}

# _pyshim_answer: status 0 when the fast path can print the answer.
_pyshim_answer() {
  if [ "$_pyshim_mode" = local ]; then
    _pyshim_local
    return
  fi
  if [ "$_pyshim_mode" = prefix ]; then
    _pyshim_load_versions && _pyshim_select || return 1
    # (the index is sourced by _pyshim_select: its generation must be the prefixes')
    [ "$_pyshim_prefixes" = "$_pyshim_generation" ]
    return
  fi
  _pyshim_select || return 1
  if [ -z "$_pyshim_bare" ] || [ "$_pyshim_mode" = versions ]; then
    # Python prints the origin as text: only plain ASCII is certainly printed the same.
    case $_pyshim_origin in *[!$_pyshim_ok]*) return 1 ;; esac
  fi
  [ "$_pyshim_mode" = versions ] || return 0
  # The listing holds the PATH interpreters: valid only while PATH is the one rehash saw.
  _pyshim_load_aliases && _pyshim_path_ok && _pyshim_load_versions || return 1
  [ "$_pyshim_versions" = "$_pyshim_generation" ] || return 1
  _pyshim_active=' '
  # shellcheck disable=SC2086 # resolved names are plain words; globbing is off (set -f)
  for _pyshim_name in $_pyshim_keys; do
    _pyshim_rows "$_pyshim_name" || return 1
  done
}

_pyshim_mode=
_pyshim_bare=
if [ "$#" = 1 ] && [ "$1" = version ] && [ -z "${VIRTUAL_ENV-}" ]; then  # Python names an active venv first
  _pyshim_mode=version
elif [ "$#" = 2 ] && [ "$1" = version ] && [ "$2" = --bare ]; then
  _pyshim_mode=version
  _pyshim_bare=1
elif [ "$#" = 1 ] && [ "$1" = versions ]; then
  _pyshim_mode=versions
  _pyshim_bare=1
elif [ "$#" = 1 ] && [ "$1" = prefix ]; then
  _pyshim_mode=prefix
  _pyshim_bare=1
elif [ "$#" = 1 ] && [ "$1" = local ]; then
  _pyshim_mode=local
fi
if [ -n "$_pyshim_mode" ] && _pyshim_answer; then
  [ -z "${PYSHIM_DEBUG_SHIM-}" ] || printf 'pyshim-shim: fast pyshim %s\n' "$_pyshim_mode" >&2
  if [ "$_pyshim_mode" = versions ]; then
    _pyshim_listing
  else  # version, version --bare, prefix, local
    printf '%s' "$_pyshim_out"
  fi
  exit
fi

# Slow path: the Python CLI, arguments unchanged.
[ -z "${PYSHIM_DEBUG_SHIM-}" ] || printf 'pyshim-shim: slow pyshim\n' >&2
# shellcheck source=/dev/null
if [ -f "$_pyshim_index" ] && . "$_pyshim_index"; then
  _pyshim_defaults
fi
exec "$_pyshim_python" -I -c "$_pyshim_boot" "$_pyshim_src" "$@"
