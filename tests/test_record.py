"""pyshim.base.record.Record behaves as the typing.NamedTuple it replaces."""

from typing import NamedTuple

import pytest

from pyshim.base.record import Record


class Point(Record):
    x: int
    y: int = 0

    @property
    def total(self) -> int:
        return self.x + self.y


class PointTuple(NamedTuple):
    x: int
    y: int = 0


@pytest.mark.parametrize("args, kwargs", [((1,), {}), ((1, 2), {}), ((), {"x": 3}), ((4,), {"y": 5})])
def test_a_record_is_the_namedtuple_it_replaces(args, kwargs):
    record, reference = Point(*args, **kwargs), PointTuple(*args, **kwargs)
    assert record == reference and tuple(record) == tuple(reference) and hash(record) == hash(reference)
    assert (record.x, record.y) == (reference.x, reference.y)
    assert record._asdict() == reference._asdict()
    assert record._replace(y=9) == reference._replace(y=9)
    assert repr(record) == repr(reference).replace("PointTuple", "Point")
    assert record.total == record.x + record.y and Point._fields == PointTuple._fields


@pytest.mark.parametrize("make", [lambda: Point(), lambda: Point(1, 2, 3), lambda: Point(1, z=2),
                                  lambda: Point(1)._replace(z=2)])
def test_a_wrong_field_is_a_type_error(make):
    with pytest.raises(TypeError):
        make()


def test_a_record_is_immutable():
    with pytest.raises(AttributeError):
        Point(1).x = 2
