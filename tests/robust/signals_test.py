"""Stops and debris: SIGINT, SIGTERM and SIGHUP during run -o and compare -o stop within seconds
with exit 128 + the signal and leave no temporary; temporaries of dead processes are removed by
the next writer; finished or failed sweeps and merges leave no .lock behind.

    /usr/bin/python3 tests/robust/signals_test.py build/release/tools/innosim
"""
import glob
import os
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "output"))
from harness import INNOSIM, check, finish, run  # noqa: E402


def stopped(tmp, sig, *args):
    p = subprocess.Popen([INNOSIM, *args], cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)
    sent = time.time()
    p.send_signal(sig)
    try:
        _, err = p.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        p.kill()
        check(False, f"{' '.join(args)}: did not stop within 20 s of {sig.name}")
        return
    what = f"{' '.join(args)} with {sig.name}"
    check(p.returncode == 128 + sig, f"{what}: exit {p.returncode}, expected {128 + sig}\n{err}")
    check(time.time() - sent < 10, f"{what}: took {time.time() - sent:.1f} s to stop")
    check("stopped by signal" in err, f"{what}: no message: {err!r}")
    left = glob.glob(os.path.join(tmp, "*.tmp-*"))
    check(not left, f"{what}: temporaries left behind: {left}")
    check(not os.path.exists(os.path.join(tmp, "out.h5")), f"{what}: a result file appeared")


with tempfile.TemporaryDirectory() as tmp:
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        stopped(tmp, sig, "run", "baseline", "-r", "1000", "-q", "-o", "out.h5")
    stopped(tmp, signal.SIGTERM, "compare", "baseline", "no-programme", "-r", "1000", "-q", "-o", "out.h5")

    # A killed writer's temporary (a pid that does not run) is removed by the next writer.
    stale = os.path.join(tmp, "out.h5.tmp-999999999")
    open(stale, "w").close()
    run("run", "baseline", "-r", "2", "--years", "1", "-q", "-o", os.path.join(tmp, "out.h5"))
    check(not os.path.exists(stale), "a dead process's temporary survived the next write")
    check(os.path.exists(os.path.join(tmp, "out.h5")), "no result file after the run")

    # Sweeps and merges leave no lock file, whether they finish or fail.
    with open(os.path.join(HERE, "..", "sweep", "small.yaml")) as f:
        sweep = f.read().replace("points: 24", "points: 4").replace("years: 6", "years: 1")
    with open(os.path.join(tmp, "s.yaml"), "w") as f:
        f.write(sweep)
    run("sweep", os.path.join(tmp, "s.yaml"), "-q", "-o", os.path.join(tmp, "s.h5"))
    check(not os.path.exists(os.path.join(tmp, "s.h5.lock")), "a finished sweep left its .lock")
    run("sweep", os.path.join(tmp, "s.yaml"), "-q", "--shard", "0/2", "-o", os.path.join(tmp, "p.h5"))
    part = glob.glob(os.path.join(tmp, "p.part-*.h5"))
    run("merge", *part, "-o", os.path.join(tmp, "m.h5"), expect=2)  # one part of two is missing
    check(not os.path.exists(os.path.join(tmp, "m.h5.lock")), "a failed merge left its .lock")
finish()
