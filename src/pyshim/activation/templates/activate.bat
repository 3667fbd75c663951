@echo off
rem Activate a Python virtual environment in cmd.exe: run this file.
rem Written by pyshim. Every value is escaped for the batch parser (percent signs doubled,
rem carets before metacharacters outside quotes) and the prompt prefix is written in the
rem PROMPT command's own dollar codes. Leave with deactivate.bat.
__DELAYED_EXPANSION_GUARD__
rem Read this file as UTF-8 so non-ASCII paths survive; the code page is restored at the end.
for /f "tokens=2 delims=:." %%a in ('"%SystemRoot%\System32\chcp.com"') do set "_OLD_CODEPAGE=%%a"
"%SystemRoot%\System32\chcp.com" 65001 > nul

rem Undo whatever virtual environment is active now.
if defined _OLD_VIRTUAL_PROMPT set "PROMPT=%_OLD_VIRTUAL_PROMPT%"
set _OLD_VIRTUAL_PROMPT=
if defined _OLD_VIRTUAL_PYTHONHOME set "PYTHONHOME=%_OLD_VIRTUAL_PYTHONHOME%"
set _OLD_VIRTUAL_PYTHONHOME=
if defined _OLD_VIRTUAL_PATH set "PATH=%_OLD_VIRTUAL_PATH%"
set _OLD_VIRTUAL_PATH=

__SET_VIRTUAL_ENV__
__SET_VIRTUAL_ENV_PROMPT__

if defined VIRTUAL_ENV_DISABLE_PROMPT goto :pyshim_prompt_done
if not defined PROMPT set "PROMPT=$P$G"
set "_OLD_VIRTUAL_PROMPT=%PROMPT%"
__SET_PROMPT__
:pyshim_prompt_done

if defined PYTHONHOME set "_OLD_VIRTUAL_PYTHONHOME=%PYTHONHOME%"
set PYTHONHOME=

set "_OLD_VIRTUAL_PATH=%PATH%"
__SET_PATH__

if defined _OLD_CODEPAGE "%SystemRoot%\System32\chcp.com" %_OLD_CODEPAGE% > nul
set _OLD_CODEPAGE=
goto :eof
__DELAYED_EXPANSION_REFUSAL__
