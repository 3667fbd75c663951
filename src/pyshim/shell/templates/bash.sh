_PYSHIM_SHELL=bash
_pyshim_has_deactivate() { declare -F deactivate >/dev/null; }
_pyshim_strip_path() {  # remove one folder from PATH (a quoted pattern is literal in bash)
    PATH=":${PATH}:"
    PATH="${PATH//":$1:"/:}"
    PATH="${PATH#:}"
    PATH="${PATH%:}"
    export PATH
}

# The prompt hook: one string compare when $PWD did not change; keeps $? for what follows.
_pyshim_hook() {
    local _pyshim_status=$?
    [ "$PWD" = "${_PYSHIM_LAST_PWD-}" ] || _pyshim_cd
    return $_pyshim_status
}

# Append to PROMPT_COMMAND, string or (bash 5.1+) array, keeping what is there.
# shellcheck disable=SC2178,SC2128
if [[ "$(declare -p PROMPT_COMMAND 2>/dev/null)" == "declare -a"* ]]; then
    [[ " ${PROMPT_COMMAND[*]} " == *" _pyshim_hook "* ]] || PROMPT_COMMAND+=(_pyshim_hook)
else
    case "${PROMPT_COMMAND-}" in
        *_pyshim_hook*) ;;
        *) PROMPT_COMMAND="${PROMPT_COMMAND:+${PROMPT_COMMAND}$'\n'}_pyshim_hook" ;;
    esac
fi

# Command not found: a console script that has no shim yet runs (see _pyshim_new_command);
# anything else goes to the handler that was there before (Debian's command-not-found), if any.
if ! declare -F _pyshim_previous_cnf >/dev/null && declare -F command_not_found_handle >/dev/null; then
    _pyshim_cnf_text="$(declare -f command_not_found_handle)"
    case "$_pyshim_cnf_text" in
        *_pyshim_new_command*) ;;
        *) eval "_pyshim_previous_cnf${_pyshim_cnf_text#command_not_found_handle}" ;;
    esac
    unset _pyshim_cnf_text
fi
command_not_found_handle() {
    _pyshim_new_command "$@"
    local _pyshim_rc=$?
    [ "$_pyshim_rc" -eq 127 ] || return "$_pyshim_rc"
    if declare -F _pyshim_previous_cnf >/dev/null; then
        _pyshim_previous_cnf "$@"
        return
    fi
    printf 'bash: %s: command not found\n' "$1" >&2
    return 127
}

# Completion: command names are baked in; version names come from `pyshim completions versions`.
_pyshim_complete() {
    local word="${COMP_WORDS[COMP_CWORD]}"
    if [ "$COMP_CWORD" -eq 1 ]; then
        mapfile -t COMPREPLY < <(compgen -W "@PYSHIM_COMMANDS@" -- "$word")
    else
        case "${COMP_WORDS[1]}" in
            local|global|shell|prefix|find|venv)
                mapfile -t COMPREPLY < <(compgen -W "$(command pyshim completions versions 2>/dev/null)" -- "$word") ;;
            *) mapfile -t COMPREPLY < <(compgen -f -- "$word") ;;
        esac
    fi
}
complete -F _pyshim_complete pyshim
