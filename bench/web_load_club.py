"""Club mode of bench/web_load.py (issue 16): `calfcoach serve --workers 1` and `--workers 2`
on one PostgreSQL database of 100 athletes with a year of logs each, side by side.

Every client is one athlete on a phone, signed in with that athlete's API token: the Today
page (50 %), a set logged by the page's form (30 %), the Progress page (20 %); then the static
/healthz as the ceiling of server and client on this machine. Afterwards every set the
server acknowledged must be in the database.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ATHLETES = 100
WORKERS = (1, 2)
PASSWORD = "bench password 1"


def postgres_server(args: argparse.Namespace, script: str) -> str:
    """A PostgreSQL server URL; without one, run this bench again under with-postgres.sh."""
    url = args.postgres or os.environ.get("CALFCOACH_TEST_POSTGRES_URL")
    if url:
        return str(url)
    command = [str(ROOT / "scripts" / "with-postgres.sh"), sys.executable, script, *sys.argv[1:]]
    raise SystemExit(subprocess.run(command, check=False).returncode)


def new_database(server: str) -> str:
    import sqlalchemy as sa

    name = f"calfcoach_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return sa.engine.make_url(server).set(database=name).render_as_string(hide_password=False)


def drop_database(server: str, url: str) -> None:
    import sqlalchemy as sa

    name = sa.engine.make_url(url).database
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def prepare(url: str, today: Any) -> tuple[list[str], int]:
    """100 athletes, each with an athlete account, an API token and a year of logs."""
    from sqlalchemy import insert, select

    from calfcoach.services import accounts, context
    from calfcoach.services import athletes as athletes_service
    from calfcoach.services.access import LOCAL_OWNER
    from calfcoach.store.tables import athletes, set_logs
    from seeding import session_rows

    db = context.open_database(url)
    sample = (ROOT / "examples" / "profile.toml").read_text()
    monday = today - timedelta(days=today.weekday())
    tokens = []
    for n in range(1, ATHLETES + 1):
        name = f"Athlete {n:03d}"
        text = sample.replace('name = "Sam"', f'name = "{name}"')
        athletes_service.init_athlete_from_text(db, text, "profile", monday, today)
        accounts.add_user(db, f"athlete{n:03d}", "athlete", PASSWORD, name, LOCAL_OWNER)
        tokens.append(accounts.new_token(db, f"athlete{n:03d}", LOCAL_OWNER))
    rng = random.Random(7)
    now = datetime.now(UTC)
    rows: list[dict[str, Any]] = []
    with db.engine.begin() as conn:
        ids = list(conn.scalars(select(athletes.c.id).order_by(athletes.c.id)))
    for athlete_id in ids:
        day = today - timedelta(days=365)
        while day < monday:
            # A club athlete's year: two or three sessions a week of three or four sets.
            for offset in rng.sample(range(7), rng.choice((2, 3))):
                rows += session_rows(athlete_id, day + timedelta(days=offset), rng, (3, 4), now)
            day += timedelta(days=7)
    with db.engine.begin() as conn:
        for first in range(0, len(rows), 5000):
            conn.execute(insert(set_logs), rows[first : first + 5000])
    db.engine.dispose()
    return tokens, len(rows)


def count_sets(url: str) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        count = int(conn.scalar(sa.text("select count(*) from set_logs")) or 0)
    engine.dispose()
    return count


def run_club(args: argparse.Namespace, script: str) -> None:
    import httpx
    from rich.console import Console
    from rich.table import Table

    from web_load import TODAY, free_port, percentile

    server_url = postgres_server(args, script)
    console = Console(width=150)  # the side-by-side table is wider than a terminal's 80
    levels = [int(n) for n in (args.levels or "10,50").split(",")]
    url = new_database(server_url)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            with console.status(f"preparing {ATHLETES} athletes with a year of logs each …"):
                tokens, filled = prepare(url, TODAY)
            tokens_file = folder / "tokens.json"
            tokens_file.write_text(json.dumps(tokens))
            results: dict[tuple[int, int, str], dict[str, Any]] = {}
            acknowledged = 0
            before = count_sets(url)
            for workers in WORKERS:
                port = free_port()
                base = f"http://127.0.0.1:{port}"
                env = {**os.environ, "CALFCOACH_TODAY": TODAY.isoformat()}
                serve = [
                    *(str(Path(sys.executable).parent / "calfcoach"), "serve"),
                    *("--port", str(port), "--workers", str(workers), "--db", url),
                ]
                log = (folder / f"serve-{workers}.log").open("w")
                server = subprocess.Popen(serve, env=env, stdout=log, stderr=subprocess.STDOUT)
                try:
                    for _ in range(600):
                        try:
                            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                                break
                        except httpx.TransportError:
                            time.sleep(0.1)
                    time.sleep(2)  # every worker started, not only the first to answer
                    for level in levels:
                        for scenario in ("mix", "healthz"):
                            run = subprocess.run(
                                [
                                    *(sys.executable, script, "--client", "--url", base),
                                    *("--clients", str(level), "--scenario", scenario),
                                    *("--seconds", str(args.seconds), "--token=bench-csrf"),
                                    f"--tokens={tokens_file}",
                                ],
                                capture_output=True,
                                text=True,
                                check=True,
                            )
                            outcome = json.loads(run.stdout)
                            acknowledged += outcome["logged"]
                            results[(workers, level, scenario)] = outcome
                finally:
                    server.terminate()
                    server.wait(timeout=30)
                    log.close()
            stored = count_sets(url) - before
    finally:
        drop_database(server_url, url)
    title = (
        f"calfcoach serve on PostgreSQL: {ATHLETES} athletes, {filled:,} logged sets, "
        f"{args.seconds:g} s a run; 1 worker | 2 workers"
    )
    table = Table(title=title)
    table.add_column("clients", justify="right")
    table.add_column("request")
    for workers in WORKERS:
        for column in ("req/s", "p50 ms", "p99 ms", "errors"):
            table.add_column(f"{column} {workers}w", justify="right")
    for level in levels:
        for scenario in ("mix", "healthz"):
            kinds = sorted(results[(WORKERS[0], level, scenario)]["kinds"])
            for kind in kinds:
                cells = [str(level), kind]
                for workers in WORKERS:
                    outcome = results[(workers, level, scenario)]
                    data = outcome["kinds"][kind]
                    values = data["latencies"]
                    cells += [
                        f"{len(values) / outcome['elapsed']:,.0f}",
                        f"{percentile(values, 0.5) * 1000:.1f}",
                        f"{percentile(values, 0.99) * 1000:.1f}",
                        str(data["errors"]),
                    ]
                table.add_row(*cells)
    console.print(table)
    for level in levels:
        totals = [
            sum(len(k["latencies"]) for k in results[(w, level, "mix")]["kinds"].values())
            / results[(w, level, "mix")]["elapsed"]
            for w in WORKERS
        ]
        console.print(
            f"{level} clients, the mix: {totals[0]:,.0f} req/s with 1 worker, "
            f"{totals[1]:,.0f} with 2 ({totals[1] / totals[0]:.2f}×)"
        )
    lost = acknowledged - stored
    console.print(
        f"sets acknowledged {acknowledged:,}, stored {stored:,}: "
        f"{'no set lost' if lost == 0 else f'{lost} LOST'}"
    )
