set _pyshim_root=@PYSHIM_ROOT@; set _pyshim_shims=@PYSHIM_SHIMS@; set _pyshim_dir=@PYSHIM_TEMPLATES@; set _pyshim_cr=@PYSHIM_CR@; set _pyshim_bom=@PYSHIM_BOM@; source "$_pyshim_dir/tcsh-init.csh";
