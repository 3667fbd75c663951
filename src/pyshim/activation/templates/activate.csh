# Activate a Python virtual environment in csh or tcsh: `source bin/activate.csh`.
# Written by pyshim. Every quoted value below is data, never code: `!` and `'` stand outside
# the single quotes as \! and \', and the prompt prefix is escaped for the prompt language
# (tcsh `%`, csh and tcsh `!`). Leave with `deactivate` (`deactivate nondestructive` keeps it).
# No `rehash`: csh and tcsh rebuild their command table themselves whenever PATH is set, so
# one more rescan of every PATH folder would only double the cost of each switch.

alias deactivate 'test $?_OLD_VIRTUAL_PATH != 0 && setenv PATH "$_OLD_VIRTUAL_PATH:q" && unset _OLD_VIRTUAL_PATH; test $?_OLD_VIRTUAL_PYTHONHOME != 0 && setenv PYTHONHOME "$_OLD_VIRTUAL_PYTHONHOME:q" && unset _OLD_VIRTUAL_PYTHONHOME; test $?_OLD_VIRTUAL_PROMPT != 0 && set prompt="$_OLD_VIRTUAL_PROMPT:q" && unset _OLD_VIRTUAL_PROMPT; unsetenv VIRTUAL_ENV; unsetenv VIRTUAL_ENV_PROMPT; test "\!:*" != "nondestructive" && unalias deactivate'

# Undo whatever virtual environment is active now (only then: each `test` in the alias is a
# process, since csh has no built-in test).
if ( $?_OLD_VIRTUAL_PATH || $?_OLD_VIRTUAL_PYTHONHOME || $?_OLD_VIRTUAL_PROMPT || $?VIRTUAL_ENV || $?VIRTUAL_ENV_PROMPT ) then
    deactivate nondestructive
endif

setenv VIRTUAL_ENV __VIRTUAL_ENV__

set _OLD_VIRTUAL_PATH="$PATH:q"
setenv PATH __VIRTUAL_ENV_BIN__":$PATH:q"

if ( $?PYTHONHOME ) then
    set _OLD_VIRTUAL_PYTHONHOME="$PYTHONHOME:q"
    unsetenv PYTHONHOME
endif

set _venv_disable_prompt=0
if ( $?VIRTUAL_ENV_DISABLE_PROMPT ) then
    if ( "$VIRTUAL_ENV_DISABLE_PROMPT:q" != "" ) then
        set _venv_disable_prompt=1
    endif
endif
__SET_VIRTUAL_ENV_PROMPT__
if ( $_venv_disable_prompt == 0 && $?prompt ) then
    set _OLD_VIRTUAL_PROMPT="$prompt:q"
    if ( $?tcsh ) then
        set prompt=__PROMPT_PREFIX_TCSH__"$prompt:q"
    else
        set prompt=__PROMPT_PREFIX_CSH__"$prompt:q"
    endif
endif
unset _venv_disable_prompt
