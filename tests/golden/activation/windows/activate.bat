@echo off
rem Activate a Python virtual environment in cmd.exe: run this file.
rem Written by pyshim. Every value is escaped for the batch parser (percent signs doubled,
rem carets before metacharacters outside quotes) and the prompt prefix is written in the
rem PROMPT command's own dollar codes. Leave with deactivate.bat.
if "!!"=="" goto :pyshim_delayed_expansion_on
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

set "VIRTUAL_ENV=C:\Users\O'Brien & Co\100%% ^caret! (x86)\$env.PATH $(calc) `n ‘smart’ café 🐍\venv"
set "VIRTUAL_ENV_PROMPT=a"b^&c^|d^<e^>f^^g%%PATH%%h!i^(j^)k$P'l‘m’ $^(calc^) `calc` ;x= café🐍"

if defined VIRTUAL_ENV_DISABLE_PROMPT goto :pyshim_prompt_done
if not defined PROMPT set "PROMPT=$P$G"
set "_OLD_VIRTUAL_PROMPT=%PROMPT%"
set "PROMPT=$Ca"b$Ac$Bd$Le$Gf^^g%%PATH%%h!i$Cj$Fk$$P'l‘m’ $$$Ccalc$F `calc` ;x$Q café🐍$F$S%PROMPT%"
:pyshim_prompt_done

if defined PYTHONHOME set "_OLD_VIRTUAL_PYTHONHOME=%PYTHONHOME%"
set PYTHONHOME=

set "_OLD_VIRTUAL_PATH=%PATH%"
set "PATH=C:\Users\O'Brien & Co\100%% ^caret! (x86)\$env.PATH $(calc) `n ‘smart’ café 🐍\venv\Scripts;%PATH%"

if defined _OLD_CODEPAGE "%SystemRoot%\System32\chcp.com" %_OLD_CODEPAGE% > nul
set _OLD_CODEPAGE=
goto :eof
:pyshim_delayed_expansion_on
echo activate.bat: this venv's path or prompt contains an exclamation mark, which cmd.exe changes while delayed expansion is on; open a new cmd with /V:OFF and run activate.bat again 1>&2
exit /b 1
