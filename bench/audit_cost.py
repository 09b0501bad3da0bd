"""Benchmark: what the audit log costs a read (DESIGN promise 5).

Every store read now appends its audit row and commits it (fsynced, ``synchronous=FULL``). The
baseline, measured in the same run on the same file, is the bare query of the same rows with no
audit row and no decryption.

    python bench/audit_cost.py [--reads 300]
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.store.test_store import a_case  # noqa: E402

from reverie.store import Store  # noqa: E402
from reverie.store import schema as t  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reads", type=int, default=300)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="reverie-bench-"))
    with Store.open(f"sqlite:///{folder / 'bench.db'}", folder / "reverie.key", create=True) as store:
        case = a_case()
        store.save_case(case)
        session = case.sessions[0].id
        audited, bare = [], []
        for _ in range(args.reads):
            start = time.perf_counter()
            store.get_session(session)
            audited.append(time.perf_counter() - start)
            start = time.perf_counter()
            with store.engine.connect() as conn:
                conn.execute(select(t.sessions).where(t.sessions.c.id == session)).first()
                conn.execute(select(t.turns).where(t.turns.c.session_id == session)).all()
            bare.append(time.perf_counter() - start)
        verify_start = time.perf_counter()
        verdict = store.verify_audit()
        verify = time.perf_counter() - verify_start
    a, b = statistics.median(audited) * 1000, statistics.median(bare) * 1000
    print("| measure | figure |\n|---|---|")
    print(f"| audited read (get_session), median | {a:.2f} ms |")
    print(f"| bare query of the same rows (baseline), median | {b:.2f} ms |")
    print(f"| cost of the audit row | {a - b:.2f} ms a read ({a / b:.1f}x) |")
    print(f"| verify the chain of {verdict.rows} rows | {verify * 1000:.0f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
