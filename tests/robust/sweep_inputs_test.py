"""Sweeps as cluster users meet them: a part whose header claims 2^31 parts is refused at once
(no gigabytes allocated); --tasks beyond the runs warns; the merge of Slurm parts run from other
directories equals the one-process file, /sweep@source included.

    /usr/bin/python3 tests/robust/sweep_inputs_test.py build/release/tools/innosim
"""
import glob
import os
import resource
import shutil
import subprocess
import sys
import tempfile

import h5py

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "output"))
sys.path.insert(0, os.path.join(HERE, "..", "sweep"))
from harness import INNOSIM, check, finish, run  # noqa: E402
from same import differences  # noqa: E402

with tempfile.TemporaryDirectory() as tmp:
    def path(name):
        return os.path.join(tmp, name)

    with open(os.path.join(HERE, "..", "sweep", "small.yaml")) as f:
        sweep = f.read().replace("points: 24", "points: 6").replace("years: 6", "years: 1")
    with open(path("s.yaml"), "w") as f:
        f.write(sweep)
    # The one-process sweep from the sweep's directory with a relative path...
    p = subprocess.run([INNOSIM, "sweep", "s.yaml", "-q", "-o", "one.h5"], cwd=tmp, capture_output=True, text=True)
    check(p.returncode == 0, f"one-process sweep: {p.stderr}")
    # ...and its two parts from another directory with absolute paths, merged.
    os.mkdir(path("elsewhere"))
    for i in (0, 1):
        q = subprocess.run([INNOSIM, "sweep", path("s.yaml"), "-q", "--shard", f"{i}/2", "-o", path("two.h5")],
                           cwd=path("elsewhere"), capture_output=True, text=True)
        check(q.returncode == 0, f"shard {i}: {q.stderr}")
    parts = sorted(glob.glob(path("two.part-*-of-0002.h5")))
    run("merge", *parts, "-o", path("merged.h5"))
    diff = differences(path("one.h5"), path("merged.h5"))
    check(not diff, f"merged file differs from the one-process file: {diff[:5]}")

    # A damaged part header: 2^31 parts. Refused quickly and without allocating gigabytes.
    shutil.copy(parts[0], path("bad.part.h5"))
    with h5py.File(path("bad.part.h5"), "a") as f:
        f["sweep"].attrs["shard_count"] = 2 ** 31
    def little_memory():
        if not os.environ.get("INNOSIM_SANITIZED"):  # sanitizers reserve terabytes of address space
            resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
    q = subprocess.run([INNOSIM, "merge", path("bad.part.h5"), parts[1], "-o", path("m.h5")],
                       capture_output=True, text=True, preexec_fn=little_memory)
    check(q.returncode == 2 and "damaged" in q.stderr, f"merge of a part claiming 2^31 parts: {q.returncode} {q.stderr}")

    # More tasks than runs.
    p = run("slurm", path("s.yaml"), "-o", path("x.h5"), "--tasks", "500")
    check("500 for 18 runs" in p.stderr, f"no warning for 500 tasks: {p.stderr!r}")

    # A factor that shapes the world (the listener layer's weights): each point gets its own
    # world, so the second point of a two-point sweep equals the same point swept alone (worlds
    # were once cached by world.*, owners.* and researchers.* only, and diffusion.weight_geo
    # silently reused the first point's world).
    for name, points in (("two", "[{diffusion.weight_geo: 0.2}, {diffusion.weight_geo: 5.0}]"),
                         ("one", "[{diffusion.weight_geo: 5.0}]")):
        with open(path(f"weights-{name}.yaml"), "w") as f:
            f.write(f"description: Listener weights.\nbase: baseline\nreplicates: 1\nyears: 2\n"
                    f"design: {{type: list, points: {points}}}\n")
        run("sweep", path(f"weights-{name}.yaml"), "-o", path(f"weights-{name}.h5"), "-q", "-t", "1")
    with h5py.File(path("weights-two.h5"), "r") as a, h5py.File(path("weights-one.h5"), "r") as b:
        two, one = a["points/mean"][()], b["points/mean"][()]
        check((two[0] != two[1]).any(), "diffusion.weight_geo 0.2 and 5.0 give the same results")
        check((two[1] == one[0]).all(), "a point differs when swept after another point (a cached world reused)")
finish()
