# Activate a Python virtual environment in fish: `source bin/activate.fish`.
# Written by pyshim. Every quoted value below is data, never code; the prompt prefix is
# printed with printf's %s, so fish never evaluates it.
# Leave with `deactivate`; `deactivate nondestructive` keeps the function.

function deactivate -d 'Leave the Python virtual environment'
    if set -q _OLD_VIRTUAL_PATH
        set -gx PATH $_OLD_VIRTUAL_PATH
        set -e _OLD_VIRTUAL_PATH
    end
    if set -q _OLD_VIRTUAL_PYTHONHOME
        set -gx PYTHONHOME $_OLD_VIRTUAL_PYTHONHOME
        set -e _OLD_VIRTUAL_PYTHONHOME
    end
    if set -q _OLD_FISH_PROMPT_OVERRIDE
        set -e _OLD_FISH_PROMPT_OVERRIDE
        functions -e fish_prompt
        if functions -q _old_fish_prompt
            functions -c _old_fish_prompt fish_prompt
            functions -e _old_fish_prompt
        end
    end
    set -e VIRTUAL_ENV
    set -e VIRTUAL_ENV_PROMPT
    if test "$argv[1]" != nondestructive
        functions -e deactivate
    end
end

# Undo whatever virtual environment is active now.
deactivate nondestructive

set -gx VIRTUAL_ENV __VIRTUAL_ENV__
__SET_VIRTUAL_ENV_PROMPT__

set -gx _OLD_VIRTUAL_PATH $PATH
set -gx PATH __VIRTUAL_ENV_BIN__ $PATH

if set -q PYTHONHOME
    set -gx _OLD_VIRTUAL_PYTHONHOME $PYTHONHOME
    set -e PYTHONHOME
end

if test -z "$VIRTUAL_ENV_DISABLE_PROMPT"
    set -g _OLD_FISH_PROMPT_OVERRIDE 1
    if functions -q fish_prompt
        functions -c fish_prompt _old_fish_prompt
    end
    function fish_prompt
        set -l old_status $status
        printf '(%s) ' __VIRTUAL_ENV_PROMPT__
        if functions -q _old_fish_prompt
            # Give the original prompt the exit status it would have seen.
            echo "exit $old_status" | source
            _old_fish_prompt
        end
    end
end
