# The cd hook for tcsh (alias cwdcmd, so it runs only when the directory changed): activate,
# switch or deactivate; the rules of pyshim/shell/project.py. Builtins only, except `tr | sed`
# when a .python-version file is found (tcsh cannot read a file without a process).
# A one-line `if ( test ) command` substitutes the command's variables even when the test is
# false, so every command that reads a variable that may be unset sits in an if/then block.
set _pyshim_skip = 0
if ( $?VIRTUAL_ENV ) then
    # A venv activated by hand is never touched.
    if ( $?PYSHIM_AUTO_ACTIVATED ) then
        if ( "$VIRTUAL_ENV" != "$PYSHIM_AUTO_ACTIVATED" ) set _pyshim_skip = 1
    else
        set _pyshim_skip = 1
    endif
else
    unsetenv PYSHIM_AUTO_ACTIVATED
    unsetenv PYSHIM_AUTO_TARGET
endif
if ( $_pyshim_skip == 0 ) then
    set _pyshim_auto = 1
    if ( $?PYSHIM_AUTO_VENV ) then
        if ( "$PYSHIM_AUTO_VENV" == 0 ) set _pyshim_auto = 0
    endif
    set _pyshim_found = ""
    set _pyshim_named = 0
    set _pyshim_d = "$cwd"
    # An inherited PWD may hold `..` (tcsh takes $cwd from it): walk from the physical path.
    if ( "$_pyshim_d" =~ "*/../*" || "$_pyshim_d" =~ "*/./*" || "$_pyshim_d" =~ "*//*" || "$_pyshim_d" =~ "*/." \
         || "$_pyshim_d" =~ "*/.." || "$_pyshim_d" =~ "?*/" || "$_pyshim_d" !~ "/*" ) then
        set _pyshim_d = "`pwd -P`"
    endif
    if ( "$_pyshim_d" == "/" ) set _pyshim_d = ""
    while ( 1 )
        if ( $_pyshim_auto == 1 && -f "${_pyshim_d}/.venv/pyvenv.cfg" ) then
            set _pyshim_found = "${_pyshim_d}/.venv"
            break
        endif
        if ( -f "${_pyshim_d}/.python-version" ) then
            set _pyshim_noglob = $?noglob
            set noglob
            # As pyshim.shell.project: NUL bytes dropped first (tcsh would end the output at one);
            # then as version_file.parse_version_text: a BOM on the first line and one CR at a line's end go.
            set _pyshim_words = ( `tr -d '\000' < "${_pyshim_d}/.python-version" | sed -e "1s/^${_pyshim_bom}//" -e "s/${_pyshim_cr}"'$//' -e 's/[#].*//'` )
            if ( $_pyshim_noglob == 0 ) unset noglob
            if ( $#_pyshim_words > 0 ) then
                set _pyshim_name = "$_pyshim_words[1]"
                if ( "$_pyshim_name" =~ .* || "$_pyshim_name" =~ */* ) set _pyshim_name = ""
                if ( "$_pyshim_name" != "" ) then
                    if ( -f "$_pyshim_root/venvs/$_pyshim_name/pyvenv.cfg" ) then
                        set _pyshim_found = "$_pyshim_root/venvs/$_pyshim_name"
                        set _pyshim_named = 1
                    endif
                endif
            endif
            break
        endif
        if ( "$_pyshim_d" == "" ) break
        set _pyshim_d = "$_pyshim_d:h"
    end
    # Trusted: a named venv under ROOT/venvs, or one the user allowed (`pyshim allow`).
    if ( "$_pyshim_found" != "" && $_pyshim_named == 0 ) then
        if ( ! -e "$_pyshim_root/allowed${_pyshim_found}@allowed" && ! -e "$_pyshim_root/allowed${_pyshim_found}/@allowed" ) then
            set _pyshim_say = 1
            if ( $?_pyshim_warned ) then
                if ( "$_pyshim_warned" == "$_pyshim_found" ) set _pyshim_say = 0
            endif
            if ( $_pyshim_say == 1 ) then
                set _pyshim_warned = "$_pyshim_found"
                printf 'pyshim: not activating %s: pyshim did not build it and you have not allowed it (run: pyshim allow %s)\n' "$_pyshim_found" "$_pyshim_found" > /dev/stderr
            endif
            set _pyshim_found = ""
        endif
    endif
    set _pyshim_target = ""
    if ( $?PYSHIM_AUTO_TARGET ) then
        set _pyshim_target = "$PYSHIM_AUTO_TARGET"
    endif
    if ( "$_pyshim_found" != "$_pyshim_target" ) then
        if ( "$_pyshim_target" != "" ) then
            source "$_pyshim_dir/tcsh-deactivate.csh"
            unsetenv PYSHIM_AUTO_ACTIVATED
            unsetenv PYSHIM_AUTO_TARGET
        endif
        if ( "$_pyshim_found" != "" ) then
            if ( -f "$_pyshim_found/bin/activate.csh" ) then
                source "$_pyshim_found/bin/activate.csh"
                setenv PYSHIM_AUTO_ACTIVATED "$VIRTUAL_ENV"
                setenv PYSHIM_AUTO_TARGET "$_pyshim_found"
            endif
        endif
    endif
endif
