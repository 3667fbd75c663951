# Activate a Python virtual environment in xonsh: `source path/to/bin/activate.xsh`.
# Written by pyshim. The values below are ASCII Python string literals: data, never code.
# xonsh draws the prompt prefix itself ({env_name} in $PROMPT), from $VIRTUAL_ENV_PROMPT when set,
# else from pyvenv.cfg's prompt or the folder name.
# Leave with `deactivate` (`deactivate nondestructive` keeps the alias).


def _pyshim_venv_deactivate(args=None):
    env = __xonsh__.env
    state = globals().get('_pyshim_venv_saved') or {}
    if 'PATH' in state:
        env['PATH'] = state['PATH']
    if 'PYTHONHOME' in state:
        env['PYTHONHOME'] = state['PYTHONHOME']
    for name in ('VIRTUAL_ENV', 'VIRTUAL_ENV_PROMPT'):
        if name in env:
            del env[name]
    globals().pop('_pyshim_venv_saved', None)
    if not args or args[0] != 'nondestructive':
        aliases.pop('deactivate', None)


if 'deactivate' in aliases:
    aliases['deactivate'](['nondestructive'])

_pyshim_venv_saved = {'PATH': list(__xonsh__.env['PATH'])}
if 'PYTHONHOME' in __xonsh__.env:
    _pyshim_venv_saved['PYTHONHOME'] = __xonsh__.env['PYTHONHOME']
    del __xonsh__.env['PYTHONHOME']

__xonsh__.env['VIRTUAL_ENV'] = __VIRTUAL_ENV__
__SET_VIRTUAL_ENV_PROMPT__
__xonsh__.env['PATH'].insert(0, __VIRTUAL_ENV_BIN__)
aliases['deactivate'] = _pyshim_venv_deactivate
