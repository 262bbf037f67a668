"""How much one import may read, unpack and parse: every limit in one place, with why.

A budget is per import (one `calfcoach import` run over all its paths), so a hostile archive
cannot get round a per-member limit by having many members, nesting, or repeating itself.
The numbers are sized from real watch exports: a FIT file of a 24-hour race recorded every
second is about 4 MB, its GPX about 15-25 MB; a Garmin "export all" of ten years is a few
thousand files and a few GB unpacked.
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ImportBudget:
    # One activity file, unpacked. Eight times the largest real FIT file (a 24-hour race at
    # 1 s recording) and above a day's GPX. The fast FIT path holds only the file's bytes, so
    # memory is about this much; a FIT file of records without a session this large takes
    # about 15 s to sum (a 60 MB one would run into the parse-time limit instead).
    max_file_bytes: int = 32 * MB
    # GPX and TCX before they are parsed into a tree: the tree and gpxpy's points take about
    # 20 times the file (a 60 MB GPX took 1.06 GB; a 19 MB one of bare points peaked at
    # 410 MB and 8 s), so 24 MB is about 500 MB at worst, while a day of 1 s points with heart
    # rate (~200 bytes each) still goes in. Also caps a Strava activities.csv.
    max_xml_bytes: int = 24 * MB
    # FIT files the reference decoder (garmin-fit-sdk) reads whole: it keeps every message as
    # a dict (about 35 times the file: a 60 MB file took 2.1 GB). Only damaged files and
    # shapes the fast path does not handle go there.
    max_reference_fit_bytes: int = 12 * MB
    # Everything unpacked in one import. Ten years of Garmin or Strava history is a few GB; 8
    # GB bounds the time a hostile archive can cost (about a minute of inflating).
    max_total_bytes: int = 8 * 1024 * MB
    # Archive members looked at in one import (files in folders count too). Real exports hold
    # a few thousand activities; 200,000 bounds a zip of millions of empty members.
    max_members: int = 200_000
    # Zips in zips: Garmin exports nest one level (parts inside the export); 4 is generous.
    max_depth: int = 4
    # A member that claims to inflate more than this many times its compressed size (and more
    # than 1 MB) is a zip bomb: GPX compresses about 10:1, FIT 3:1, zips inside zips 1:1;
    # runs of zeros 1000:1.
    max_ratio: int = 100
    # Bytes a member may claim before the ratio test applies (tiny files compress oddly).
    ratio_floor_bytes: int = 1 * MB
    # One file's parse, in CPU seconds. Real files take well under a second; 20 s leaves room
    # for a slow machine and stops a file built to be slow from holding the whole import.
    max_parse_seconds: float = 20.0


DEFAULT_BUDGET = ImportBudget()
