_PYSHIM_SHELL=zsh
_PYSHIM_NUL=$'\0'  # see _pyshim_find
_pyshim_has_deactivate() { (( ${+functions[deactivate]} )); }
_pyshim_strip_path() {  # remove one folder from PATH; (b) makes the folder's name literal
    local folder=":$1:"
    PATH=":${PATH}:"
    PATH="${PATH//${(b)folder}/:}"
    PATH="${PATH#:}"
    PATH="${PATH%:}"
    export PATH
}

# precmd: one string compare when $PWD did not change. chpwd: right after a cd, so that
# `cd project && python` already sees the venv.
_pyshim_hook() {
    [ "$PWD" = "${_PYSHIM_LAST_PWD-}" ] || _pyshim_cd
}

autoload -Uz add-zsh-hook
add-zsh-hook precmd _pyshim_hook
add-zsh-hook chpwd _pyshim_hook

# Command not found: a console script that has no shim yet runs (see _pyshim_new_command);
# anything else goes to the handler that was there before, if any.
if (( ${+functions[command_not_found_handler]} )) && (( ! ${+functions[_pyshim_previous_cnf]} )) \
    && [[ "${functions[command_not_found_handler]}" != *_pyshim_new_command* ]]; then
    functions[_pyshim_previous_cnf]="${functions[command_not_found_handler]}"
fi
command_not_found_handler() {
    _pyshim_new_command "$@"
    local _pyshim_rc=$?
    (( _pyshim_rc == 127 )) || return $_pyshim_rc
    if (( ${+functions[_pyshim_previous_cnf]} )); then
        _pyshim_previous_cnf "$@"
        return
    fi
    print -ru2 -- "zsh: command not found: $1"
    return 127
}

# Completion (needs compinit loaded before this code runs).
_pyshim_complete() {
    if (( CURRENT == 2 )); then
        compadd -- @PYSHIM_COMMANDS@
    else
        case "${words[2]}" in
            local|global|shell|prefix|find|venv) compadd -- ${(f)"$(command pyshim completions versions 2>/dev/null)"} ;;
            *) _files ;;
        esac
    fi
}
if (( ${+functions[compdef]} )); then
    compdef _pyshim_complete pyshim
fi
