# Activate a Python virtual environment in nushell: `overlay use path/to/bin/activate.nu`.
# Written by pyshim. The values below are plain double-quoted nu strings (only \\ and \"
# are escaped), which nu never interpolates; the prompt prefix is joined as data.
# Leave with `deactivate`: an alias for `overlay hide activate --keep-env [PWD]`, which restores
# the environment as it was before the overlay, except the current directory (nu drops every
# variable set while an overlay is active when it hides the overlay; PWD is kept so that
# deactivating does not move the shell back to where it activated).

export-env {
    let venv_dir = "C:\\Users\\O'Brien & Co\\100% ^caret! (x86)\\$env.PATH $(calc) `n ‘smart’ café 🐍\\venv"
    let bin_dir = "C:\\Users\\O'Brien & Co\\100% ^caret! (x86)\\$env.PATH $(calc) `n ‘smart’ café 🐍\\venv\\Scripts"
    let venv_prompt = "a\"b&c|d<e>f^g%PATH%h!i(j)k$P'l‘m’ $(calc) `calc` ;x= café🐍"

    let is_windows = ($nu.os-info.family == 'windows')
    let path_name = if $is_windows and ('Path' in ($env | columns)) { 'Path' } else { 'PATH' }
    let current_prompt = if ('PROMPT_COMMAND' in ($env | columns)) { $env.PROMPT_COMMAND } else { '' }
    # `overlay use` of a second venv while one is active (the same overlay name, `activate`)
    # starts from what the first one saved, so the first venv's bin folder and prompt go.
    let saved = ($env._OLD_VIRTUAL_ENV_STATE? | default {path: ($env | get $path_name), prompt: $current_prompt})
    let old_path_list = if ($saved.path | describe) == 'string' {
        $saved.path | split row (char esep)
    } else {
        $saved.path
    }
    let new_path = ($old_path_list | prepend $bin_dir)

    let prefix = (['(' $venv_prompt ') '] | str join)
    let disable = ('VIRTUAL_ENV_DISABLE_PROMPT' in ($env | columns)) and (($env.VIRTUAL_ENV_DISABLE_PROMPT | into string) != '')
    let prompt_variable = "a\"b&c|d<e>f^g%PATH%h!i(j)k$P'l‘m’ $(calc) `calc` ;x= café🐍"
    let old_prompt = $saved.prompt
    let new_prompt = if $disable {
        $old_prompt
    } else if ($old_prompt | describe) == 'closure' {
        {|| [$prefix (do $old_prompt)] | str join }
    } else {
        {|| [$prefix $old_prompt] | str join }
    }

    load-env {
        $path_name: $new_path
        VIRTUAL_ENV: $venv_dir
        VIRTUAL_ENV_PROMPT: $prompt_variable
        PROMPT_COMMAND: $new_prompt
        # null, not hide-env: a variable hidden here stays hidden after the overlay is hidden,
        # while a null one is never passed to programs and the old value comes back.
        PYTHONHOME: null
        _OLD_VIRTUAL_ENV_STATE: $saved
    }
}

export alias deactivate = overlay hide activate --keep-env [PWD]
