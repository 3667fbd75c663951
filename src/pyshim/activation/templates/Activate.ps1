<#
.Synopsis
Activate a Python virtual environment in PowerShell: . 'path\to\Scripts\Activate.ps1'

.Notes
Written by pyshim. The values below are verbatim ('...') strings with every single-quote
character doubled (including the typographic ones PowerShell also accepts), and non-ASCII
characters are spelled as [char] codes so the script reads the same in any code page.
Leave with `deactivate`; `deactivate -NonDestructive` keeps the function.
#>

function global:deactivate([switch] $NonDestructive) {
    if (Test-Path -Path variable:global:_OLD_VIRTUAL_PATH) {
        $env:PATH = $global:_OLD_VIRTUAL_PATH
        Remove-Variable -Name _OLD_VIRTUAL_PATH -Scope global
    }
    if (Test-Path -Path variable:global:_OLD_VIRTUAL_PYTHONHOME) {
        $env:PYTHONHOME = $global:_OLD_VIRTUAL_PYTHONHOME
        Remove-Variable -Name _OLD_VIRTUAL_PYTHONHOME -Scope global
    }
    if (Test-Path -Path function:global:_old_virtual_prompt) {
        $function:global:prompt = $function:global:_old_virtual_prompt
        Remove-Item -Path function:global:_old_virtual_prompt
    }
    Remove-Item -Path env:VIRTUAL_ENV -ErrorAction SilentlyContinue
    Remove-Item -Path env:VIRTUAL_ENV_PROMPT -ErrorAction SilentlyContinue
    if (-not $NonDestructive) {
        Remove-Item -Path function:global:deactivate
    }
}

# Undo whatever virtual environment is active now.
deactivate -NonDestructive

$env:VIRTUAL_ENV = __VIRTUAL_ENV__
__SET_VIRTUAL_ENV_PROMPT__

$global:_OLD_VIRTUAL_PATH = $env:PATH
$env:PATH = __VIRTUAL_ENV_BIN__ + [System.IO.Path]::PathSeparator + $env:PATH

if (Test-Path -Path env:PYTHONHOME) {
    $global:_OLD_VIRTUAL_PYTHONHOME = $env:PYTHONHOME
    Remove-Item -Path env:PYTHONHOME
}

if (-not $env:VIRTUAL_ENV_DISABLE_PROMPT) {
    $function:global:_old_virtual_prompt = $function:prompt
    function global:prompt {
        # The prefix is data: concatenated, never expanded inside a "..." string.
        Write-Host -NoNewline -ForegroundColor Green ('(' + __VIRTUAL_ENV_PROMPT__ + ') ')
        _old_virtual_prompt
    }
}
