_PYSHIM_SHELL=sh
# bin/activate keeps _OLD_VIRTUAL_PATH (not exported) next to its `deactivate` function, so
# the variable tells, without a subshell, whether this shell has that function.
_pyshim_has_deactivate() { [ -n "${_OLD_VIRTUAL_PATH+set}" ]; }
_pyshim_strip_path() {  # remove one folder from PATH, word by word (no ${var//} in POSIX sh)
    _pyshim_rest="${PATH-}:"
    _pyshim_path=
    while [ -n "$_pyshim_rest" ]; do
        _pyshim_entry="${_pyshim_rest%%:*}"
        _pyshim_rest="${_pyshim_rest#*:}"
        [ "$_pyshim_entry" = "$1" ] || _pyshim_path="${_pyshim_path:+${_pyshim_path}:}${_pyshim_entry}"
    done
    PATH="$_pyshim_path"
    export PATH
}

# sh, dash, ksh and mksh: no prompt hook runs without a subshell (dash has none at all), so
# `cd` is wrapped instead: the builtin `cd`, then one string compare, then the hook.
# pushd/popd are wrapped too where the shell has them as builtins.
_pyshim_hook() {
    [ "$PWD" = "${_PYSHIM_LAST_PWD-}" ] || _pyshim_cd
    return 0
}
cd() {
    command cd "$@" || return
    _pyshim_hook
}
case "$(command -V pushd 2>/dev/null)" in  # only builtins: `command` skips a pushd function
    *builtin*)
        pushd() { command pushd "$@" || return; _pyshim_hook; }
        popd() { command popd "$@" || return; _pyshim_hook; }
        ;;
esac
_pyshim_hook
