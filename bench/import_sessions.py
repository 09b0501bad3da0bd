"""Benchmark: importing 10,000 sessions into SQLite and PostgreSQL.

Each session is a real demo transcript (txt, VTT or SRT) read and checked by the ingest readers,
then written through the store (AES-GCM encryption of every turn, one transaction per batch of
50 files, as ``reverie import`` does). The baseline, measured in the same run, writes the same
rows with the plain DB-API driver: no parsing, no encryption, no checks. The ratio is the price
of Reverie's safety on the write path.

    python bench/import_sessions.py [--sessions 10000] [--postgres postgresql://postgres@127.0.0.1:5432/test]
"""

import argparse
import os
import secrets
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, timedelta
from pathlib import Path

import psycopg

from reverie.ingest import SpeakerMap, read_case, read_session
from reverie.record import Client, Session
from reverie.store import Store

DEMO = Path(__file__).resolve().parents[1] / "demo" / "maya"
BATCH = 50


def demo_files() -> list[tuple[Path, int]]:
    import yaml

    manifest = yaml.safe_load((DEMO / "case.yaml").read_text(encoding="utf-8"))
    return [(DEMO / s["file"], int(s.get("minutes_late", 0))) for s in manifest["sessions"] if s.get("file")]


def reverie_import(url: str, key: Path, n: int) -> tuple[float, int]:
    files = demo_files()
    speakers = SpeakerMap.parse(["Maya=client", "Dr Hart=therapist"])
    base = read_case(DEMO / "case.yaml").sessions[0].starts_at.astimezone(UTC)
    turns = 0
    with Store.open(url, key, create=True) as store:
        client = store.add_client(Client(f"bench-{secrets.token_hex(4)}"))
        start = time.perf_counter()
        for first in range(0, n, BATCH):
            batch: list[Session] = []
            for i in range(first, min(n, first + BATCH)):
                path, late = files[i % len(files)]
                batch.append(read_session(path, client, speakers, date=base + timedelta(hours=i), minutes_late=late))
            store.add_sessions(batch)
            turns += sum(len(s.turns) for s in batch)
        return time.perf_counter() - start, turns


def rows(n: int) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    sessions = [s for s in read_case(DEMO / "case.yaml").sessions if s.turns]
    srows, trows = [], []
    for i in range(n):
        s = sessions[i % len(sessions)]
        sid = f"s-{i:012d}"
        srows.append((sid, "c-bench", (s.starts_at + timedelta(hours=i)).isoformat(), 50, "attended", 0))
        trows.extend((sid, k, t.speaker.value, t.text, t.start_ms, t.end_ms) for k, t in enumerate(s.turns, 1))
    return srows, trows


BASELINE_DDL = [
    "CREATE TABLE bs (id TEXT PRIMARY KEY, client_id TEXT, starts_at TEXT, planned INTEGER, attendance TEXT, late INTEGER)",
    "CREATE TABLE bt (session_id TEXT REFERENCES bs(id), seq INTEGER, speaker TEXT, text TEXT, start_ms INTEGER, end_ms INTEGER)",
]


def baseline_sqlite(path: Path, n: int) -> float:
    srows, trows = rows(n)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    for ddl in BASELINE_DDL:
        conn.execute(ddl)
    start = time.perf_counter()
    per = len(trows) // max(1, len(srows))
    for first in range(0, n, BATCH):
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO bs VALUES (?,?,?,?,?,?)", srows[first : first + BATCH])
        conn.executemany("INSERT INTO bt VALUES (?,?,?,?,?,?)", [r for r in trows[first * per : (first + BATCH) * per]])
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def baseline_postgres(url: str, n: int) -> float:
    srows, trows = rows(n)
    per = len(trows) // max(1, len(srows))
    schema = f"bench_{secrets.token_hex(4)}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
        conn.execute(f"SET search_path TO {schema}")
        for ddl in BASELINE_DDL:
            conn.execute(ddl)
        start = time.perf_counter()
        for first in range(0, n, BATCH):
            with conn.transaction(), conn.cursor() as cur:
                cur.executemany("INSERT INTO bs VALUES (%s,%s,%s,%s,%s,%s)", srows[first : first + BATCH])
                cur.executemany("INSERT INTO bt VALUES (%s,%s,%s,%s,%s,%s)", trows[first * per : (first + BATCH) * per])
        elapsed = time.perf_counter() - start
        conn.execute(f"DROP SCHEMA {schema} CASCADE")
    return elapsed


def fresh_pg_url(url: str) -> tuple[str, str]:
    schema = f"bench_{secrets.token_hex(4)}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}", schema


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--postgres", default=os.environ.get("REVERIE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"))
    args = parser.parse_args()
    n = args.sessions
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        seconds, turns = reverie_import(f"sqlite:///{folder / 'r.db'}", folder / "k", n)
        base = baseline_sqlite(folder / "baseline.db", n)
        results.append(("SQLite (WAL, synchronous=FULL)", seconds, turns, base))
        try:
            url, schema = fresh_pg_url(args.postgres)
        except psycopg.OperationalError as exc:
            print(f"PostgreSQL skipped: {exc}", file=sys.stderr)
        else:
            try:
                seconds, turns = reverie_import(url, folder / "k", n)
                base = baseline_postgres(args.postgres, n)
                results.append(("PostgreSQL 15 (localhost)", seconds, turns, base))
            finally:
                with psycopg.connect(args.postgres, autocommit=True) as conn:
                    conn.execute(f"DROP SCHEMA {schema} CASCADE")
    print(f"Importing {n:,} sessions ({turns:,} turns), batches of {BATCH} files, {os.cpu_count()} CPUs\n")
    print("| database | Reverie import | sessions/s | turns/s | baseline (raw driver inserts) | ratio |")
    print("|---|---|---|---|---|---|")
    for name, seconds, turns, base in results:
        print(f"| {name} | {seconds:.1f} s | {n / seconds:,.0f} | {turns / seconds:,.0f} | {base:.1f} s | {seconds / base:.1f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
