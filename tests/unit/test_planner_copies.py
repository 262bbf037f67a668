"""The planner's fast copies of a prescription (``_clone``, a primer made from its kept fields)
carry every field of the dose: a field added to ``Prescription`` must be added to them too."""

from __future__ import annotations

import dataclasses

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
    names = [f.name for f in dataclasses.fields(Prescription)]
    assert names[-1] == "why"
    p = _sample()
    assert _fields(p) == tuple(getattr(p, name) for name in names[:-1])


def test_copies_equal_the_original_field_for_field() -> None:
    p = _sample()
    for copy in (_clone(p), Prescription(*_fields(p))):
        assert copy is not p
        assert dataclasses.astuple(copy)[:-1] == dataclasses.astuple(p)[:-1]
        assert copy.why is None
