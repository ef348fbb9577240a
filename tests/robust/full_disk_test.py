"""A full disk while innosim writes: run -o, compare -o, sweep and analyse each stop with a clear message
and exit code 1 (the environment failed, not the input), never a signal death, and leave no
temporary behind. The disk fills up through RLIMIT_FSIZE (writes beyond it fail with EFBIG, as
with ENOSPC; SIGXFSZ is ignored so that the write reports the error instead of killing).

    /usr/bin/python3 tests/robust/full_disk_test.py build/release/tools/innosim
"""
import glob
import os
import resource
import signal
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "output"))
from harness import INNOSIM, check, finish  # noqa: E402

LIMIT = 200 * 1024  # bytes: the provenance and the world fit, the series does not


def small_disk():
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


def full_disk(tmp, *args):
    p = subprocess.run([INNOSIM, *args], capture_output=True, text=True, cwd=tmp, preexec_fn=small_disk)
    what = " ".join(args)
    check(p.returncode == 1, f"innosim {what} on a full disk: exit {p.returncode}, expected 1\n{p.stderr}")
    check("cannot write" in p.stderr, f"innosim {what}: no 'cannot write' in\n{p.stderr}")
    check("HDF5-DIAG" not in p.stderr, f"innosim {what}: HDF5's own error stack printed:\n{p.stderr[:400]}")
    left = glob.glob(os.path.join(tmp, "*.tmp-*"))
    check(not left, f"innosim {what}: temporaries left behind: {left}")
    return p


with tempfile.TemporaryDirectory() as tmp:
    full_disk(tmp, "run", "baseline", "-r", "20", "-q", "-o", "out.h5")
    check(not os.path.exists(os.path.join(tmp, "out.h5")), "run: a result file appeared on a full disk")
    full_disk(tmp, "compare", "baseline", "no-programme", "-r", "6", "-q", "-o", "c.h5")
    with open(os.path.join(HERE, "..", "sweep", "small.yaml")) as f:
        sweep = f.read().replace("points: 24", "points: 6").replace("keep: yearly", "keep: series")
    with open(os.path.join(tmp, "s.yaml"), "w") as f:
        f.write(sweep)
    full_disk(tmp, "sweep", "s.yaml", "-q", "-o", "sw.h5")

    # analyse stores its table in a copy of the sweep file renamed over it: a copy cut short by
    # the full disk is removed, and the sweep file is left as it was.
    with open(os.path.join(tmp, "sobol.yaml"), "w") as f:
        f.write("base: baseline\nreplicates: 1\nyears: 3\nseed: 5\nkeep: series\ndesign: {type: saltelli, base_rows: 8}\n"
                "factors:\n  programme.budget_mnok_per_year: {min: 10, max: 200}\n"
                "  diffusion.p_per_year: {min: 0.001, max: 0.05}\n")
    p = subprocess.run([INNOSIM, "sweep", "sobol.yaml", "-q", "-o", "sobol.h5"], capture_output=True, text=True,
                       cwd=tmp)
    check(p.returncode == 0, f"the Sobol sweep: exit {p.returncode}\n{p.stderr}")
    size = os.path.getsize(os.path.join(tmp, "sobol.h5"))
    check(size > LIMIT, f"the sweep file ({size} bytes) must not fit under the limit of {LIMIT} for this test")
    with open(os.path.join(tmp, "sobol.h5"), "rb") as f:
        before = f.read()
    full_disk(tmp, "analyse", "sobol", "sobol.h5", "--bootstrap", "50")
    with open(os.path.join(tmp, "sobol.h5"), "rb") as f:
        check(f.read() == before, "analyse on a full disk changed the sweep file")
finish()
