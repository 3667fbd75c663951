# Leave the active venv in tcsh with builtins only: what activate.csh's `deactivate` alias does
# (restore PATH, PYTHONHOME and the prompt it saved, unset what it exported, drop the alias),
# without the alias's `test` processes, so a switch costs no process at all. In a shell that
# inherited the venv (aliases are not inherited), take its bin folder off the path instead.
if ( $?_OLD_VIRTUAL_PATH ) then
    setenv PATH "$_OLD_VIRTUAL_PATH:q"
    unset _OLD_VIRTUAL_PATH
    if ( $?_OLD_VIRTUAL_PYTHONHOME ) then
        setenv PYTHONHOME "$_OLD_VIRTUAL_PYTHONHOME:q"
        unset _OLD_VIRTUAL_PYTHONHOME
    endif
    if ( $?_OLD_VIRTUAL_PROMPT ) then
        set prompt="$_OLD_VIRTUAL_PROMPT:q"
        unset _OLD_VIRTUAL_PROMPT
    endif
    unalias deactivate
else
    set _pyshim_keep = ( )
    foreach _pyshim_e ( $path:q )
        if ( "$_pyshim_e" != "$VIRTUAL_ENV/bin" ) set _pyshim_keep = ( $_pyshim_keep:q "$_pyshim_e" )
    end
    set path = ( $_pyshim_keep:q )
    unset _pyshim_keep _pyshim_e
endif
unsetenv VIRTUAL_ENV
unsetenv VIRTUAL_ENV_PROMPT
