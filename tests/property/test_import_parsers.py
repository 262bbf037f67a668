"""Arbitrary bytes and XML-ish text into the FIT, GPX and TCX readers (issue 14): each gives
either the project's input error (Rejected, with a reason) or a summary whose numbers are
finite and in range; never any other exception."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from calfcoach.core.activity import Activity
from calfcoach.importers import Rejected
from calfcoach.importers.bulk import Found
from calfcoach.importers.fit import read_fit_reference
from calfcoach.services.importing import parse
from tests.conftest import SHARED_FIXTURES

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
SMALL_FIT = (SHARED_FIXTURES / "fit" / "garmin-fenix-5-run.fit").read_bytes()
PROFILE = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _outcome(kind: str, data: bytes) -> Activity | None:
    try:
        activity = parse(Found("fuzz", kind, data), NOW)
    except Rejected as exc:
        assert str(exc).strip(), "a refusal says why"
        return None
    for value in (activity.distance_m, activity.elapsed_s, activity.moving_s, activity.avg_hr):
        assert value is None or (math.isfinite(value) and value >= 0)
    assert datetime(1900, 1, 1, tzinfo=UTC) <= activity.start <= datetime(2100, 1, 1, tzinfo=UTC)
    return activity


@PROFILE
@given(st.binary(max_size=2000))
def test_any_bytes_as_fit(data: bytes) -> None:
    _outcome("fit", data)


@PROFILE
@given(
    st.integers(min_value=0, max_value=len(SMALL_FIT) - 1),
    st.binary(min_size=1, max_size=8),
    st.booleans(),
)
# A zero byte at 5000 makes the session's fields decode as lists: float() of a list crashed
# the import with a TypeError (found by this test in CI's neighbourhood, session 7).
@example(at=5000, noise=b"\x00", cut=False)
def test_a_real_fit_file_damaged_anywhere(at: int, noise: bytes, cut: bool) -> None:
    """Bytes overwritten anywhere (or the file cut there): refused, or recovered."""
    damaged = SMALL_FIT[:at] if cut else SMALL_FIT[:at] + noise + SMALL_FIT[at + len(noise) :]
    found = _outcome("fit", damaged)
    if found is not None and damaged != SMALL_FIT:
        # The reference decoder must agree that something could be read.
        try:
            read_fit_reference(damaged)
        except Rejected:
            assert not found.recovered


XML_PARTS = st.sampled_from(
    [
        "<gpx>",
        "</gpx>",
        '<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">',
        "<trk>",
        "</trk>",
        "<trkseg>",
        "</trkseg>",
        '<trkpt lat="46.0" lon="14.5">',
        '<trkpt lat="nan" lon="inf">',
        '<trkpt lat="1e400" lon="-1e400">',
        "</trkpt>",
        "<time>2026-10-12T07:00:00Z</time>",
        "<time>9999-12-31T23:59:59-14:00</time>",
        "<time>0001-01-01T00:00:00+14:00</time>",
        "<time>not-a-time</time>",
        "<ele>1e308</ele>",
        "<ele>nan</ele>",
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
        'TrainingCenterDatabase/v2">',
        "</TrainingCenterDatabase>",
        "<Activities>",
        "</Activities>",
        '<Activity Sport="Running">',
        "</Activity>",
        "<Id>2026-10-12T07:00:00Z</Id>",
        "<Id>9999-12-31T23:00:00-05:00</Id>",
        "<Id>not-a-time</Id>",
        '<Lap StartTime="2026-10-12T07:00:00Z">',
        "</Lap>",
        "<TotalTimeSeconds>1500</TotalTimeSeconds>",
        "<TotalTimeSeconds>-inf</TotalTimeSeconds>",
        "<DistanceMeters>inf</DistanceMeters>",
        "<DistanceMeters>5000</DistanceMeters>",
        "<DistanceMeters>1e308</DistanceMeters>",
        "<AverageHeartRateBpm><Value>1e9</Value></AverageHeartRateBpm>",
        "<Track><Trackpoint><Time>2026-10-12T07:25:00Z</Time></Trackpoint></Track>",
        '<!DOCTYPE x [<!ENTITY a "b">]>',
        "&a;",
        "<![CDATA[x]]>",
        "\x00",
        "\ufeff",
    ]
)


@PROFILE
@given(st.lists(XML_PARTS, max_size=30), st.sampled_from(["gpx", "tcx"]))
def test_xml_ish_text_as_gpx_and_tcx(parts: list[str], kind: str) -> None:
    _outcome(kind, ('<?xml version="1.0"?>' + "".join(parts)).encode())


@PROFILE
@given(st.text(max_size=500), st.sampled_from(["gpx", "tcx"]))
def test_any_text_as_gpx_and_tcx(text: str, kind: str) -> None:
    _outcome(kind, text.encode("utf-8", "surrogatepass"))


def _real_zip() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a/run.fit", SMALL_FIT)
        archive.writestr("b.gpx.gz", b"\x1f\x8b" + b"\0" * 40)
        archive.writestr("activities.csv", "Filename,Activity Type\na/run.fit,Run\n")
    return buffer.getvalue()


REAL_ZIP = _real_zip()


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.integers(min_value=0, max_value=len(REAL_ZIP) - 1),
    st.binary(min_size=1, max_size=16),
    st.sampled_from(["export.zip", "run.fit.gz", "folder/x.fit"]),
)
def test_damaged_archives_are_walked_without_an_exception(
    tmp_path_factory, at: int, noise: bytes, name: str
) -> None:
    """A zip (or gzip) damaged anywhere: the walker yields files and refusals, nothing else."""
    from calfcoach.importers.bulk import walk

    folder = tmp_path_factory.mktemp("walk")
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    source = REAL_ZIP if name.endswith(".zip") else b"\x1f\x8b\x08\x00" + REAL_ZIP
    path.write_bytes(source[:at] + noise + source[at + len(noise) :])
    for found in walk([folder]):
        assert (found.error is None) != (found.data is None)
        assert found.error is None or found.error.strip()
