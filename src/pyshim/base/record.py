"""`Record`: pyshim's immutable values (a `PythonInfo`, a request, a selection), without `typing`.

Used by every stage. A `Record` subclass is written like a `typing.NamedTuple` (annotated
fields in order, defaults after them) and behaves like one: it is a tuple (equality, hashing,
ordering and unpacking by fields), with `_fields`, `_replace()` and `_asdict()`. It exists
because `typing` costs more to import than the work of most pyshim commands (it pulls in `re`,
`functools` and `collections`), and a command's start-up is its users' wait (see the start-up
section in docs/design.md); this module imports nothing.
"""

from __future__ import annotations


class Record(tuple):
    """Base of a value class: `class Point(Record): x: int; y: int = 0`."""

    __slots__ = ()
    _fields: tuple = ()
    _field_defaults: dict = {}

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        fields = tuple(name for name in cls.__dict__.get("__annotations__", {}) if not name.startswith("_"))
        if not fields:
            return  # a subclass that adds only methods keeps its parent's fields
        defaults = {name: cls.__dict__[name] for name in fields if name in cls.__dict__}
        cls._fields = fields
        cls._field_defaults = defaults
        for index, name in enumerate(fields):
            setattr(cls, name, property(lambda self, index=index: tuple.__getitem__(self, index), doc=name))

    def __new__(cls, *args: object, **kwargs: object) -> "Record":
        fields = cls._fields
        if len(args) > len(fields):
            raise TypeError(f"{cls.__name__} takes {len(fields)} fields, got {len(args)}")
        values = list(args)
        for name in fields[len(args):]:
            if name in kwargs:
                values.append(kwargs.pop(name))
            elif name in cls._field_defaults:
                values.append(cls._field_defaults[name])
            else:
                raise TypeError(f"{cls.__name__} needs a value for {name!r}")
        if kwargs:
            raise TypeError(f"{cls.__name__} has no field {next(iter(kwargs))!r}")
        return tuple.__new__(cls, values)

    def _replace(self, **changes: object) -> "Record":
        values = [changes.pop(name, value) for name, value in zip(self._fields, self)]
        if changes:
            raise TypeError(f"{type(self).__name__} has no field {next(iter(changes))!r}")
        return type(self)(*values)

    def _asdict(self) -> dict:
        return dict(zip(self._fields, self))

    def __getnewargs__(self) -> tuple:
        return tuple(self)

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, self))
        return f"{type(self).__name__}({inner})"
