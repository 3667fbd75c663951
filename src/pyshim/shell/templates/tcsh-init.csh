# pyshim shell integration (tcsh), sourced by the line `pyshim init tcsh` prints, which sets
# _pyshim_root, _pyshim_shims and _pyshim_dir (this folder) first. Sourcing it again changes
# nothing. The cd hook is `alias cwdcmd` (tcsh runs it after every change of directory; an
# existing cwdcmd alias is replaced), and `pyshim` is an alias that sources tcsh-pyshim.csh.
set _pyshim_seen = 0
foreach _pyshim_e ( $path:q )
    if ( "$_pyshim_e" == "$_pyshim_shims" ) set _pyshim_seen = 1
end
if ( $_pyshim_seen == 0 ) set path = ( "$_pyshim_shims" $path:q )
unset _pyshim_seen _pyshim_e
alias pyshim 'set _pyshim_args = ( \!* ); source "$_pyshim_dir/tcsh-pyshim.csh"'
alias cwdcmd 'source "$_pyshim_dir/tcsh-hook.csh"'
source "$_pyshim_dir/tcsh-hook.csh"
