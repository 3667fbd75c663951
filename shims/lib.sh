# pyshim's shared selection code: rehash pastes it into every shim and into the `pyshim` front-end.
# shellcheck shell=sh disable=SC2154,SC3013 # the index (sourced) sets the _pyshim_* tables; -ef/-nt: dash, bash, ksh, zsh and busybox all have them
#
# The includer defines `_pyshim_pick NAME...` (status 0: answered, 1: only Python can decide,
# 2: no names, 3: decided that no named version has the command) and `_pyshim_index` (the index file). `_pyshim_select` walks the selection order
# of `pyshim.selection.select.select()` with built-ins only; before each call of `_pyshim_pick` it sets
# `_pyshim_origin` to the text `Selection.origin_text` would print.

# _pyshim_read FILE: the names in a version file (the first word of each line), in
# _pyshim_names; fails if undecidable.
_pyshim_read() {
  [ -r "$1" ] || return 1
  _pyshim_names=
  _pyshim_size=0
  _pyshim_first=1
  _pyshim_lines=0
  while IFS= read -r _pyshim_line || [ -n "$_pyshim_line" ]; do
    _pyshim_size=$((_pyshim_size + ${#_pyshim_line} + 1))
    [ "$_pyshim_size" -le 65000 ] || return 1
    _pyshim_lines=$((_pyshim_lines + 1))
    [ "$_pyshim_lines" -le 64 ] || return 1  # a long file: Python reads it (version_file.MAX_NAMES)
    if [ -n "$_pyshim_first" ]; then
      _pyshim_first=
      _pyshim_line=${_pyshim_line#"$_pyshim_bom"}
    fi
    _pyshim_line=${_pyshim_line%"$_pyshim_cr"}
    # Only the first word of a line counts (pyenv's rule), so the rest of the line must split
    # into lines and words exactly as Python's splitlines()/split() would: printable ASCII and
    # tab only (a form feed, \x1c or a byte above 127 would start a new line for Python).
    case $_pyshim_line in *[!$_pyshim_ok]*) return 1 ;; esac
    _pyshim_line=${_pyshim_line%%#*}
    # shellcheck disable=SC2086 # split on purpose; globbing is off (set -f)
    _pyshim_first_word $_pyshim_line
  done <"$1"
}

# _pyshim_first_word WORD...: appends the first WORD, if any, to _pyshim_names.
_pyshim_first_word() {
  [ "$#" -eq 0 ] || _pyshim_names="$_pyshim_names $1"
}

# _pyshim_pick_variable VALUE: names from PYSHIM_VERSION or PYENV_VERSION (':' or blanks).
_pyshim_pick_variable() {
  _pyshim_ifs=$IFS
  IFS=' 	
:'
  # shellcheck disable=SC2086 # split on purpose; globbing is off (set -f)
  set -- $1
  IFS=$_pyshim_ifs
  _pyshim_pick "$@"
}

_pyshim_pick_words() {
  # shellcheck disable=SC2086 # split on purpose; globbing is off (set -f)
  _pyshim_pick $1
}

# _pyshim_load: the index sourced, once, and current (else status 1: only Python can decide).
_pyshim_load() {
  [ -z "${_pyshim_loaded-}" ] || return 0
  [ -f "$_pyshim_index" ] || return 1
  # shellcheck source=/dev/null
  . "$_pyshim_index" || return 1
  _pyshim_index_ok || return 1
  _pyshim_loaded=1
}

# _pyshim_nearest: the nearest .python-version from $PWD up (`version_file.find_version_file`
# from `current_directory()`), in _pyshim_origin; status 2 when there is none, 1 when only
# Python can tell ($PWD not plain, or not where we are).
_pyshim_nearest() {
  case $PWD in
    /*/ | *//* | */./* | */../* | */. | */.. | *'
'*) return 1 ;;
    /*) ;;
    *) return 1 ;;
  esac
  [ "$PWD" -ef . ] || return 1
  _pyshim_dir=$PWD
  [ "$_pyshim_dir" != / ] || _pyshim_dir=
  while :; do
    if [ -f "$_pyshim_dir/.python-version" ]; then
      _pyshim_origin=$_pyshim_dir/.python-version
      return 0
    fi
    [ -n "$_pyshim_dir" ] || return 2
    _pyshim_dir=${_pyshim_dir%/*}
  done
}

# _pyshim_select: status 0 when `_pyshim_pick` answered, 3 when it decided no selected version
# has the command, 1 when only Python can decide.
_pyshim_select() {
  _pyshim_load || return 1
  _pyshim_origin='the PYSHIM_VERSION environment variable'
  for _pyshim_value in "${PYSHIM_VERSION-}" "${PYENV_VERSION-}"; do
    if [ -n "$_pyshim_value" ]; then
      _pyshim_pick_variable "$_pyshim_value"
      case $? in
        0) return 0 ;;
        2) case $_pyshim_value in *:*) return 1 ;; esac ;;
        3) return 3 ;;
        *) return 1 ;;
      esac
    fi
    _pyshim_origin='the PYENV_VERSION environment variable'
  done
  # PYSHIM_DIR / PYENV_DIR move where the search for .python-version starts: Python decides.
  [ -z "${PYSHIM_DIR-}${PYENV_DIR-}" ] || return 1
  _pyshim_nearest
  case $? in
    0)
      _pyshim_read "$_pyshim_origin" || return 1
      _pyshim_pick_words "$_pyshim_names"
      case $? in 0) return 0 ;; 2) ;; 3) return 3 ;; *) return 1 ;; esac
      ;;
    2) ;;
    *) return 1 ;;
  esac
  for _pyshim_origin in "$_pyshim_global" "$_pyshim_pyenv_global"; do
    [ -f "$_pyshim_origin" ] || continue
    _pyshim_read "$_pyshim_origin" || return 1
    _pyshim_pick_words "$_pyshim_names"
    case $? in 0) return 0 ;; 2) ;; 3) return 3 ;; *) return 1 ;; esac
  done
  _pyshim_origin='the default, no version file found'
  _pyshim_pick system
}

# `system`, decided on the PATH this shim runs with, as `resolve.system_interpreter` and
# `resolve.find_on_path` decide it: the first `python3` (else `python`) outside every shim folder,
# answered only when it is an interpreter rehash saw (`_pyshim_known_interpreter`, in the
# aliases file). Status 0: yes; 1: no; 2: only Python can tell (the slow path decides).

# _pyshim_shim_dir DIR: 0 when DIR is a shim folder (`sources.is_shim_dir`), 1 when not, 2 unsure.
_pyshim_shim_dir() {
  case $1 in /*) ;; *) return 2 ;; esac
  [ -e "$1/.pyshim-shims" ] && return 0
  _pyshim_known_shims "$1" && return 0
  case ${1%/} in
    */. | */..) return 2 ;;
    */shims) case ${1%/} in "$_pyshim_pyenv_real"/*) return 0 ;; esac ;;
    *) [ -h "${1%/}" ] || return 1 ;;  # a link: the folder it names may be called `shims`
  esac
  [ -f "$1/python" ] || return 1
  IFS= read -r _pyshim_head <"$1/python"
  case $_pyshim_head in '#!'*) ;; *) return 1 ;; esac
  case ${1%/} in */shims) return 0 ;; esac
  return 2
}

# _pyshim_path_find CMD: the first executable CMD on PATH outside shim folders, in _pyshim_found.
_pyshim_path_find() {
  _pyshim_want=$1
  _pyshim_ifs=$IFS
  IFS=:
  # shellcheck disable=SC2086 # split on purpose; globbing is off (set -f)
  set -- ${PATH-}
  IFS=$_pyshim_ifs
  for _pyshim_d do
    if [ -z "$_pyshim_d" ] || [ ! -f "$_pyshim_d/$_pyshim_want" ] || [ ! -x "$_pyshim_d/$_pyshim_want" ]; then
      continue
    fi
    _pyshim_shim_dir "$_pyshim_d"
    case $? in 0) continue ;; 2) return 2 ;; esac
    _pyshim_found=$_pyshim_d/$_pyshim_want
    return 0
  done
  return 1
}

# _pyshim_system_ok: 0 when `system` is an interpreter here, as the resolver would say.
# shellcheck disable=SC2317 # called from the aliases file's `system` entry
_pyshim_system_ok() {
  for _pyshim_s in python3 python; do
    _pyshim_path_find "$_pyshim_s"
    case $? in
      0) _pyshim_known_interpreter "$_pyshim_found"; return ;;
      2) return 2 ;;
    esac
  done
  return 1
}

# _pyshim_system_find CMD: the file CMD runs for `system`, in _pyshim_target.
_pyshim_system_find() {
  _pyshim_path_find "$1" || return
  _pyshim_target=$_pyshim_found
}
