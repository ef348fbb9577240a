"""A sweep's journal: a torn tail (an interrupted append) is cut off and the sweep completes; a
byte flipped in the middle is damage, refused with exit 1 before anything is redone; a journal of
random bytes is refused with a readable message, not raw bytes.

    /usr/bin/python3 tests/robust/journal_test.py build/release/tools/innosim
"""
import os
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "output"))
from harness import INNOSIM, check, finish, run  # noqa: E402

with tempfile.TemporaryDirectory() as tmp:
    def path(name):
        return os.path.join(tmp, name)

    with open(os.path.join(HERE, "..", "sweep", "small.yaml")) as f:
        sweep = f.read()
    with open(path("s.yaml"), "w") as f:
        f.write(sweep)
    # A sweep stopped in the middle keeps its journal.
    journal = path("ref.h5.journal")
    p = subprocess.Popen([INNOSIM, "sweep", path("s.yaml"), "-q", "-o", path("ref.h5")],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t0 = time.time()
    while time.time() - t0 < 60 and (not os.path.exists(journal) or os.path.getsize(journal) < 200000):
        time.sleep(0.05)
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=30)
    check(os.path.exists(journal) and not os.path.exists(path("ref.h5")), "the stopped sweep kept no journal")
    with open(journal, "rb") as f:
        data = f.read()

    # A torn tail: the last record cut short. The sweep resumes and completes.
    with open(journal, "wb") as f:
        f.write(data[:-100])
    p = run("sweep", path("s.yaml"), "-o", path("ref.h5"))
    check(os.path.exists(path("ref.h5")), "a torn tail stopped the sweep")

    # A flipped byte in the middle: damage, exit 1, nothing redone.
    os.remove(path("ref.h5"))
    damaged = bytearray(data)
    damaged[len(data) // 2] ^= 0x40
    with open(journal, "wb") as f:
        f.write(damaged)
    p = run("sweep", path("s.yaml"), "-o", path("ref.h5"), expect=1)
    check("the journal is damaged" in p.stderr, f"a flipped byte: {p.stderr!r}")
    check(not os.path.exists(path("ref.h5")), "a damaged journal still produced a result")
    with open(journal, "rb") as f:
        check(f.read() == bytes(damaged), "the damaged journal was changed (cut) instead of kept for inspection")

    # Random bytes: a readable refusal.
    with open(journal, "wb") as f:
        f.write(os.urandom(4096))
    p = run("sweep", path("s.yaml"), "-o", path("ref.h5"), expect=1)
    check("belongs to another sweep" in p.stderr, f"random bytes: {p.stderr[:200]!r}")
    check(all(32 <= ord(c) < 127 or c in "\n" for c in p.stderr), "raw bytes in the message")
finish()
