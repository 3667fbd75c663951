"""Command-line arguments as data: one table per command, read by argparse or by a lean reader.

Part of the command line (the last stage). A command module lists its arguments in `ARGUMENTS`
(a tuple of `Arg`); `add_to(parser, ARGUMENTS)` declares them to argparse, which the CLI uses for
`--help`, for usage errors and for anything unusual; `read(argv, ARGUMENTS)` reads the common
shapes itself (long and short options exactly as declared, `--opt value`, `--opt=value`,
positionals) and returns None for anything else, so that argparse decides. Both produce the same
names and values from the one table (tests/test_arguments.py compares them). The point is
start-up: argparse and the `re` and `gettext` it imports cost more than most commands' work.
"""

from __future__ import annotations

from pyshim.base.record import Record

TRUE, FALSE, CONST, VALUE, POSITIONAL = "store_true", "store_false", "store_const", "value", "positional"


class Arg(Record):
    """One argument. `names` are option strings (`-p`, `--python`), or the positional's name."""

    names: tuple
    kind: str = TRUE
    dest: str = ""
    default: object = None
    const: object = None
    nargs: object = None  # positionals: None (exactly one), "?" or "*"
    metavar: object = None
    help: object = None
    group: str = ""  # options in one group exclude each other
    choices: object = None  # the values allowed (a tuple), or None for any; argparse words the refusal

    @property
    def name(self) -> str:
        return self.dest or self.names[-1].lstrip("-").replace("-", "_")

    @property
    def initial(self) -> object:
        """The value when the argument is absent, as argparse gives it."""
        if self.kind == TRUE and self.default is None:
            return False
        if self.kind == FALSE and self.default is None:
            return True
        if self.kind == POSITIONAL and self.nargs == "*" and self.default is None:
            return []
        return self.default


class Namespace:
    """What `read` returns: the arguments as attributes, like argparse's namespace."""

    def __init__(self, **values: object) -> None:
        self.__dict__.update(values)

    def __repr__(self) -> str:
        return f"Namespace({', '.join(f'{k}={v!r}' for k, v in sorted(self.__dict__.items()))})"


def add_to(parser: "argparse.ArgumentParser", table: "tuple[Arg, ...]") -> None:
    groups: dict = {}
    for arg in table:
        target = parser
        if arg.group:
            if arg.group not in groups:
                groups[arg.group] = parser.add_mutually_exclusive_group()
            target = groups[arg.group]
        options = {"help": arg.help}
        if arg.metavar is not None:
            options["metavar"] = arg.metavar
        if arg.choices is not None:
            options["choices"] = arg.choices
        if arg.kind == POSITIONAL:
            if arg.nargs is not None:
                options["nargs"] = arg.nargs
            if arg.default is not None:
                options["default"] = arg.default
            target.add_argument(arg.name, **options)
            continue
        options["dest"] = arg.name
        if arg.kind == VALUE:
            options["default"] = arg.default
        else:
            options["action"] = arg.kind
            if arg.kind == CONST:
                options["const"] = arg.const
            if arg.default is not None or arg.kind == CONST:
                options["default"] = arg.default
        target.add_argument(*arg.names, **options)


def read(argv: "list[str]", table: "tuple[Arg, ...]") -> "dict | None":
    """The values `argv` gives `table`'s arguments, or None when argparse should decide (help,
    an unknown or abbreviated option, a missing value, `--`, excluded options together...)."""
    by_name = {name: arg for arg in table if arg.kind != POSITIONAL for name in arg.names}
    positionals = [arg for arg in table if arg.kind == POSITIONAL]
    values = {arg.name: arg.initial for arg in table}
    seen_groups: dict = {}
    loose: list = []
    last_loose = -1  # where the last positional word stood
    index = 0
    while index < len(argv):
        word = argv[index]
        index += 1
        if not word.startswith("-") or word == "-":
            if loose and last_loose != index - 2:
                return None  # positionals split by options: argparse's rules there are not worth copying
            loose.append(word)
            last_loose = index - 1
            continue
        name, equals, inline = word.partition("=") if word.startswith("--") else (word, "", "")
        arg = by_name.get(name)
        if arg is None:
            return None  # --help, an abbreviation, `--`, combined short flags, a negative number...
        if arg.group and seen_groups.setdefault(arg.group, arg) is not arg:
            return None  # argparse reports the conflict
        if arg.kind != VALUE:
            if equals:
                return None
            values[arg.name] = {TRUE: True, FALSE: False, CONST: arg.const}[arg.kind]
        elif equals:
            values[arg.name] = inline
        elif index < len(argv) and not argv[index].startswith("-"):
            values[arg.name] = argv[index]
            index += 1
        else:
            return None
    if not _place(loose, positionals, values):
        return None
    for arg in table:
        if arg.choices is not None and values[arg.name] != arg.initial and values[arg.name] not in arg.choices:
            return None  # argparse names the choices
    return values


def _place(loose: "list[str]", positionals: "list[Arg]", values: dict) -> bool:
    """Give the loose words to the positionals in order, as argparse would; False if they do not fit."""
    for position, arg in enumerate(positionals):
        if arg.nargs == "*":
            if position != len(positionals) - 1:
                return False  # a `*` before others: argparse's rules there are not worth copying
            values[arg.name], loose = list(loose), []
        elif loose:
            values[arg.name], loose = loose[0], loose[1:]
        elif arg.nargs != "?":
            return False  # required and missing: argparse's error message
    return not loose
