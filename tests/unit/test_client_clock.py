"""A client's clock (a set's client_updated_at) is taken up to a day ahead of the server's:
further ahead, an edit would win every later one for ever (a club's trial, issue 13)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from calfcoach.core.limits import CLIENT_CLOCK_AHEAD
from calfcoach.errors import FieldError
from calfcoach.services.inputs import check_client_time

NOW = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)


def test_a_clock_within_the_drift_is_taken_in_utc() -> None:
    fast = (NOW + CLIENT_CLOCK_AHEAD).astimezone(timezone(timedelta(hours=-10)))
    assert check_client_time(fast, NOW) == NOW + CLIENT_CLOCK_AHEAD
    assert check_client_time(fast, NOW).tzinfo == UTC


@pytest.mark.parametrize(
    "moment",
    [
        NOW + CLIENT_CLOCK_AHEAD + timedelta(seconds=1),
        datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-14))),
        datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))),
        datetime(1899, 12, 31, 23, 59, tzinfo=UTC),
    ],
)
def test_a_clock_out_of_range_names_the_field_and_the_range(moment: datetime) -> None:
    with pytest.raises(FieldError) as refused:
        check_client_time(moment, NOW)
    assert refused.value.field == "client_updated_at"
    assert refused.value.allowed == (
        "a time with its UTC offset from 1900-01-01T00:00Z to 2026-12-02T17:00Z (the "
        "server's clock and 24 hours of drift)"
    )
