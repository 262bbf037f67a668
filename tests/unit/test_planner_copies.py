"""The planner's fast copies of a prescription (``_clone``, a primer made from its kept fields)
carry every field of the dose: a field added to ``Prescription`` must be added to them too."""

from __future__ import annotations

import msgspec

from calfcoach.core.plan import Prescription, Reason, Why
from calfcoach.core.planner import _clone, _fields


def _sample() -> Prescription:
    # Every field a value of its own, so a field copied into another's place shows.
    return Prescription(
        "seated-calf-raise",
        "bent_knee",
        3,
        8,
        False,
        42.5,
        0.61,
        8.0,
        "3-1-1-0",
        120,
        None,
        None,
        66.2,
        Why([Reason("load", "why")]),
    )


def test_the_kept_fields_name_every_field_but_why_in_order() -> None:
    names = list(Prescription.__struct_fields__)
    assert names[-1] == "why"
    p = _sample()
    assert _fields(p) == tuple(getattr(p, name) for name in names[:-1])


def test_copies_equal_the_original_field_for_field() -> None:
    p = _sample()
    for copy in (_clone(p), Prescription(*_fields(p))):
        assert copy is not p
        assert msgspec.structs.astuple(copy)[:-1] == msgspec.structs.astuple(p)[:-1]
        assert copy.why is None


def test_a_prescription_equals_another_on_every_field_but_why() -> None:
    """``Prescription.__eq__`` is written out (a struct cannot leave a field out of ``==``): a
    field added to the dose must be compared too, and ``why`` never is."""
    p = _sample()
    assert p == _clone(p, Why([Reason("volume", "another reason")]))
    for name in Prescription.__struct_fields__[:-1]:
        changed = _clone(p, p.why)
        setattr(changed, name, object())
        assert changed != p, name
    assert p != "seated-calf-raise"
