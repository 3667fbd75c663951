# The `pyshim` alias for tcsh (arguments in _pyshim_args): shell, activate and deactivate
# change this shell; everything else runs the pyshim program (\pyshim skips the alias).
set _pyshim_status = 0
set _pyshim_cmd = ""
if ( $#_pyshim_args > 0 ) then
    set _pyshim_cmd = "$_pyshim_args[1]"
endif
if ( "$_pyshim_cmd" == shell && $#_pyshim_args > 1 ) then
    # The protocol is in pyshim/commands/shell.py: print = new value, old one kept.
    set _pyshim_out = `env PYSHIM_SHELL_FUNCTION=1 pyshim $_pyshim_args:q`
    if ( $status == 0 ) then
        if ( $?PYSHIM_VERSION ) then
            setenv PYSHIM_VERSION_OLD "$PYSHIM_VERSION"
        else
            setenv PYSHIM_VERSION_OLD ""
        endif
        if ( "$_pyshim_out" != "" ) then
            setenv PYSHIM_VERSION "$_pyshim_out"
        else
            unsetenv PYSHIM_VERSION
        endif
        if ( "$_pyshim_args[2]" == --unset ) unsetenv PYENV_VERSION
    else
        set _pyshim_status = 1
    endif
else if ( "$_pyshim_cmd" == activate ) then
    # Inside "`...`" this shell would substitute the arguments into the command text, which the
    # child then parses again (`;`, spaces, `!` as code); an alias keeps them for the child's :q.
    alias _pyshim_activate_run '\pyshim activate --shell tcsh $_pyshim_args[2-]:q'
    set _pyshim_out = "`_pyshim_activate_run`"
    if ( $status == 0 ) then
        unsetenv PYSHIM_AUTO_ACTIVATED
        unsetenv PYSHIM_AUTO_TARGET
        eval "$_pyshim_out"
    else
        set _pyshim_status = 1
    endif
else if ( "$_pyshim_cmd" == deactivate ) then
    if ( $?VIRTUAL_ENV ) then
        source "$_pyshim_dir/tcsh-deactivate.csh"
        unsetenv PYSHIM_AUTO_ACTIVATED
        unsetenv PYSHIM_AUTO_TARGET
    else
        echo "pyshim: no venv is active in this shell" > /dev/stderr
        set _pyshim_status = 1
    endif
else
    \pyshim $_pyshim_args:q
    set _pyshim_status = $status
endif
if ( $_pyshim_status != 0 ) false
