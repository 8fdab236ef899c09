"""db/db.h's transactions against a real PostgreSQL: runs the C program
tests/db/test_db_tx on a fresh cluster and reports each of its checks."""

import os
import subprocess

from harness import BUILDDIR, Cluster, main


def test(t):
    with Cluster() as pg:
        env = dict(os.environ, MEENT_TEST_CONNINFO=pg.conninfo())
        r = subprocess.run([os.path.join(BUILDDIR, "tests", "db", "test_db_tx")], env=env,
                           capture_output=True, text=True, timeout=60)
        lines = [line for line in r.stdout.splitlines() if line.startswith(("ok ", "not ok "))]
        for line in lines:
            t.ok(line.startswith("ok "), "test_db_tx: " + line.split(" - ", 1)[-1])
        t.ok(len(lines) >= 20, "test_db_tx ran its checks (%d)" % len(lines))
        t.is_(r.returncode, 0, "test_db_tx exits 0" + (": " + r.stderr[-500:] if r.stderr else ""))


main(test)
