"""JSON for the start-up path, without importing `json` (whose decoder imports `re` and `enum`).

Used by the interpreter stage's probe cache (`cache.py`), read by nearly every command. The
`json` package is a thin layer over its C accelerator `_json`; `loads` and `dumps_canonical`
call that same C scanner and encoder with the defaults `json.loads` and
`json.dumps(sort_keys=True, separators=(",", ":"))` use, so they return what those return
(tests/test_json_text.py compares them over generated values). Where `_json` is missing (not
CPython) they are `json`'s own functions. Errors are `ValueError`s, as `json`'s are;
nesting too deep for the stack raises `RecursionError`, as in `json`.
"""

from __future__ import annotations

try:
    import _json
except ImportError:  # not CPython: the json package, at its usual cost
    _json = None


class _DecoderContext:
    """The attributes `_json.make_scanner` reads from a `json.JSONDecoder` (its defaults; NaN
    and Infinity are refused, since nothing pyshim writes holds them)."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int

    @staticmethod
    def parse_constant(name: str) -> float:
        raise ValueError(f"{name} is not allowed here")


def _refuse(value: object) -> object:
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


_WHITESPACE = " \t\n\r"
if _json is not None:
    _scan = _json.make_scanner(_DecoderContext())
    _encode = _json.make_encoder(None, _refuse, _json.encode_basestring_ascii, None, ":", ",", True, False, True)


def loads(text: str) -> object:
    """`json.loads(text)` for a `str`."""
    if _json is None:
        import json

        return json.loads(text)
    start = len(text) - len(text.lstrip(_WHITESPACE))
    try:
        value, end = _scan(text, start)
    except StopIteration as stop:
        raise ValueError(f"not JSON at character {stop.value}") from None
    except SystemError:
        # The C scanner raises a syntax error inside an object or array as json.decoder's
        # JSONDecodeError, which it finds only if the json package is loaded already; else it
        # fails without an exception. Malformed text is the rare case: let json say what is wrong.
        import json

        return json.loads(text)
    if text[end:].strip(_WHITESPACE):
        raise ValueError(f"extra data at character {end}")
    return value


def dumps_canonical(value: object) -> str:
    """`json.dumps(value, sort_keys=True, separators=(",", ":"))`: one text per value."""
    if _json is None:
        import json

        return json.dumps(value, sort_keys=True, separators=(",", ":"))
    return "".join(_encode(value, 0))
