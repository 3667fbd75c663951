# Leave the active venv in tcsh: its own `deactivate` alias (activate.csh keeps
# _OLD_VIRTUAL_PATH next to it), or, in a shell that inherited the venv (aliases are not
# inherited), take its bin folder off the path and unset what activate.csh exported.
if ( $?_OLD_VIRTUAL_PATH ) then
    deactivate
else
    set _pyshim_keep = ( )
    foreach _pyshim_e ( $path:q )
        if ( "$_pyshim_e" != "$VIRTUAL_ENV/bin" ) set _pyshim_keep = ( $_pyshim_keep:q "$_pyshim_e" )
    end
    set path = ( $_pyshim_keep:q )
    unsetenv VIRTUAL_ENV
    unsetenv VIRTUAL_ENV_PROMPT
    unset _pyshim_keep _pyshim_e
endif
