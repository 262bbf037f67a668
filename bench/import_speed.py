"""Import speed: calfcoach's whole import against garmin-fit-sdk's full decode.

Run: python bench/import_speed.py  (or `make bench`)

Builds a synthetic export of at least 2,000 activities from the shared fixture files (copies
with timestamps shifted a day apart and their CRCs recomputed, so nothing is deduplicated or
refused), then times in one run:
  (a) calfcoach's whole import into a fresh SQLite database (parse, dedupe, store);
  (b) garmin-fit-sdk's full decode of the same FIT files, default options, no database;
  (c) fitdecode's, when it is installed.
Prints files/s, MB/s, the ratio to (b), and peak memory (the aim is ≥ 30× (b) on the FIT files,
under 300 MB).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import crcmod.predefined
from rich.console import Console
from rich.table import Table

from calfcoach.importers.fit_fast import BASE

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT.parent / "shared" / "fixtures"
ACTIVITIES = 2000
FIT_SOURCES = [
    "activity-small-fenix2-run.fit",
    "garmin-fenix-5-run.fit",
    "developer-types-sample.fit",
    "sample-activity.fit",
    "compressed-speed-distance.fit",
]
TIME_FIELDS = {0: {4}, 18: {2, 253}, 19: {2, 253}, 34: {253, 5}, 20: {253}, 21: {253}}


def shift_fit(data: bytes, seconds: int) -> bytes:
    """The FIT file with every timestamp we know of moved by ``seconds`` (a multiple of 32,
    so compressed-timestamp offsets stay valid)."""
    out = bytearray(data)
    position = 0
    while position < len(out):
        header_size = out[position]
        end = position + header_size + int.from_bytes(out[position + 4 : position + 8], "little")
        p = position + header_size
        definitions: dict[int, tuple[bool, int, list[tuple[int, int, int, int]], int]] = {}
        while p < end:
            header = out[p]
            p += 1
            if header & 0x80:
                p += definitions[(header >> 5) & 3][3]
            elif header & 0x40:
                big = out[p + 1] == 1
                number = int.from_bytes(out[p + 2 : p + 4], "big" if big else "little")
                count = out[p + 4]
                p += 5
                fields, size = [], 0
                for n in range(count):
                    num, fsize, base = out[p + 3 * n : p + 3 * n + 3]
                    fields.append((num, size, fsize, base))
                    size += fsize
                p += 3 * count
                if header & 0x20:
                    dev = out[p]
                    p += 1
                    size += sum(out[p + 3 * n + 1] for n in range(dev))
                    p += 3 * dev
                definitions[header & 0x0F] = (big, number, fields, size)
            else:
                big, number, fields, size = definitions[header & 0x0F]
                order = "big" if big else "little"
                for num, offset, fsize, base in fields:
                    if num not in TIME_FIELDS.get(number, ()) or fsize != 4:
                        continue
                    if BASE.get(base & 0x1F, (0,))[0] != 4:
                        continue
                    value = int.from_bytes(out[p + offset : p + offset + 4], order)
                    local_time = number == 34 and num == 5
                    # Device-relative times (below 0x10000000) stay; absolute ones move.
                    if value != 0xFFFFFFFF and (value >= 0x10000000 or local_time):
                        out[p + offset : p + offset + 4] = (value + seconds).to_bytes(4, order)
                p += size
        # A valid CRC again, as a real file of that day would have.
        crc = crcmod.predefined.mkPredefinedCrcFun("crc-16")(bytes(out[position:end]))
        out[end : end + 2] = crc.to_bytes(2, "little")
        position = end + 2
    return bytes(out)


def build_export(folder: Path) -> tuple[Path, list[bytes]]:
    """A Garmin-shaped zip of ACTIVITIES FIT files; returns it and the FIT files' bytes."""
    sources = [(FIXTURES / "fit" / name).read_bytes() for name in FIT_SOURCES]
    files = []
    for n in range(ACTIVITIES):
        files.append(shift_fit(sources[n % len(sources)], 86400 * (n // len(sources) + 1)))
    export = folder / "export.zip"
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_STORED) as archive:
        for n, data in enumerate(files):
            archive.writestr(f"UploadedFiles_0-_Part1/{n:05d}.fit", data)
    with zipfile.ZipFile(export, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("DI_CONNECT/DI-Connect-Uploaded-Files/Part1.zip", inner.getvalue())
    return export, files


def main() -> None:
    console = Console()
    script = shutil.which("calfcoach") or str(Path(sys.executable).parent / "calfcoach")
    env = {**os.environ, "CALFCOACH_TODAY": "2026-11-24"}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with console.status("building the synthetic export…"):
            export, files = build_export(folder)
        count, megabytes = len(files), sum(len(f) for f in files) / 1e6
        sample = files[:: max(1, count // 200)]  # the reference is slow: time 200 of them
        del files
        database = str(folder / "bench.sqlite")
        subprocess.run(
            [
                script,
                "init",
                "--profile",
                str(ROOT / "examples" / "profile.toml"),
                "--db",
                database,
            ],
            check=True,
            capture_output=True,
            env=env,
        )
        # GNU time reports the import's own peak memory (a forked child's rusage would also
        # count the pages of this process, which holds the files).
        timer = ["/usr/bin/time", "-f", "%M", "-o", str(folder / "rss")]
        if not Path(timer[0]).exists():
            timer = []
        with console.status("(a) calfcoach import…"):
            t0 = time.perf_counter()
            result = subprocess.run(
                [
                    *timer,
                    script,
                    "import",
                    str(export),
                    "--db",
                    database,
                    "--quiet",
                    "--format",
                    "json",
                ],
                capture_output=True,
                text=True,
                env=env,
            )
            ours = time.perf_counter() - t0
        report = json.loads(result.stdout)
        rss = folder / "rss"
        memory = int(rss.read_text().split()[-1]) / 1024 if rss.exists() else float("nan")
        from garmin_fit_sdk import Decoder, Stream

        with console.status("(b) garmin-fit-sdk…"):
            t0 = time.perf_counter()
            for data in sample:
                Decoder(Stream.from_byte_array(bytearray(data))).read()
            sdk = (time.perf_counter() - t0) * count / len(sample)
        fitdecode_time = None
        try:
            import fitdecode

            t0 = time.perf_counter()
            for data in sample:
                with fitdecode.FitReader(io.BytesIO(data)) as reader:
                    for _ in reader:
                        pass
            fitdecode_time = (time.perf_counter() - t0) * count / len(sample)
        except ImportError:
            pass
    table = Table(title=f"calfcoach import speed ({count:,} FIT activities, {megabytes:.0f} MB)")
    for column in ("what", "seconds", "files/s", "MB/s", "ratio to (b)"):
        table.add_column(column, justify="left" if column == "what" else "right")
    rows = [
        ("(a) calfcoach import, SQLite included", ours),
        ("(b) garmin-fit-sdk full decode, no database", sdk),
    ]
    if fitdecode_time is not None:
        rows.append(("(c) fitdecode, no database", fitdecode_time))
    for what, seconds in rows:
        table.add_row(
            what,
            f"{seconds:.2f}",
            f"{count / seconds:,.0f}",
            f"{megabytes / seconds:.1f}",
            f"{sdk / seconds:.1f}×",
        )
    table.add_row("(a) peak memory", f"{memory:.0f} MB", "", "", "aim < 300 MB")
    table.add_row(
        "(a) added / duplicates / failed",
        f"{report['added']} / {report['duplicates']} / {len(report['failed'])}",
        "",
        "",
        "",
    )
    console.print(table)
    console.print(
        "(b) and (c) are timed on 200 of the files and scaled to all of them.", style="dim"
    )


if __name__ == "__main__":
    main()
