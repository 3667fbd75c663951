set _pyshim_root=@PYSHIM_ROOT@; set _pyshim_shims=@PYSHIM_SHIMS@; set _pyshim_dir=@PYSHIM_TEMPLATES@; source "$_pyshim_dir/tcsh-init.csh";
