# Activate a Python virtual environment in nushell: `overlay use path/to/bin/activate.nu`.
# Written by pyshim. The values below are plain double-quoted nu strings (only \\ and \"
# are escaped), which nu never interpolates; the prompt prefix is joined as data.
# Leave with `deactivate` (an alias for `overlay hide activate`, which restores the
# environment exactly as it was before the overlay).

export-env {
    let venv_dir = "/tmp/it's \"q\" $(touch X) `touch X` \\ ’ café 🐍/venv"
    let bin_dir = "/tmp/it's \"q\" $(touch X) `touch X` \\ ’ café 🐍/venv/bin"
    let venv_prompt = "a\"b&c|d<e>f^g%PATH%h!i(j)k$P'l‘m’ $(calc) `calc` ;x= café🐍"

    let is_windows = ($nu.os-info.family == 'windows')
    let path_name = if $is_windows and ('Path' in ($env | columns)) { 'Path' } else { 'PATH' }
    let old_path = ($env | get $path_name)
    let old_path_list = if ($old_path | describe) == 'string' {
        $old_path | split row (char esep)
    } else {
        $old_path
    }
    let new_path = ($old_path_list | prepend $bin_dir)

    let prefix = (['(' $venv_prompt ') '] | str join)
    let disable = ('VIRTUAL_ENV_DISABLE_PROMPT' in ($env | columns)) and (($env.VIRTUAL_ENV_DISABLE_PROMPT | into string) != '')
    let old_prompt = if ('PROMPT_COMMAND' in ($env | columns)) { $env.PROMPT_COMMAND } else { '' }
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
        VIRTUAL_ENV_PROMPT: $venv_prompt
        PROMPT_COMMAND: $new_prompt
    }
    hide-env -i PYTHONHOME
}

export alias deactivate = overlay hide activate
