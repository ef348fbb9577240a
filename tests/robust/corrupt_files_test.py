"""Files that are damaged, foreign or from another format version: report, export and analyse
refuse them with exit code 2 and a message that names the file, never read garbage or crash;
export of a sweep writes its points; a failed export leaves no directory behind.

    /usr/bin/python3 tests/robust/corrupt_files_test.py build/release/tools/innosim
"""
import os
import shutil
import sys
import tempfile

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "output"))
from harness import check, finish, run  # noqa: E402

SWEEP = """description: A small Saltelli sweep for the robustness tests.
base: baseline
replicates: 2
years: 2
seed: 7
design: {type: saltelli, base_rows: 4}
factors:
  programme.budget_mnok_per_year: {min: 30, max: 120}
  diffusion.q_per_year: {min: 1, max: 4}
"""


def refused(what, *args, message):
    p = run(*args, expect=2)
    check(message in p.stderr, f"{what}: no '{message}' in {p.stderr!r}")
    check("Traceback" not in p.stderr and len(p.stderr) < 2000, f"{what}: a long or raw message: {p.stderr[:300]!r}")


with tempfile.TemporaryDirectory() as tmp:
    def path(name):
        return os.path.join(tmp, name)

    with open(path("sweep.yaml"), "w") as f:
        f.write(SWEEP)
    run("sweep", path("sweep.yaml"), "-o", path("sweep.h5"), "-q")
    run("run", "baseline", "-r", "2", "--years", "2", "-q", "-o", path("run.h5"))

    # Not an innosim file at all: empty, text, truncated, an HDF5 file of someone else's.
    open(path("empty.h5"), "w").close()
    with open(path("text.h5"), "w") as f:
        f.write("not hdf5\n")
    with open(path("sweep.h5"), "rb") as f:
        data = f.read()
    with open(path("truncated.h5"), "wb") as f:
        f.write(data[: len(data) // 2])
    with h5py.File(path("foreign.h5"), "w") as f:
        f["x"] = np.arange(3)
    for name in ("empty.h5", "text.h5", "truncated.h5", "foreign.h5"):
        refused(f"analyse {name}", "analyse", "sobol", path(name), message=name)
        refused(f"report {name}", "report", path(name), "-o", path("r.html"), message=name)
        refused(f"export {name}", "export", path(name), "-o", path("csv-" + name), message=name)
        check(not os.path.exists(path("csv-" + name)), f"export {name}: left a directory behind")
    # A run file is not a sweep.
    refused("analyse a run file", "analyse", "sobol", path("run.h5"), message="not a sweep")

    # A format version this innosim does not know.
    shutil.copy(path("run.h5"), path("v999.h5"))
    with h5py.File(path("v999.h5"), "a") as f:
        f.attrs["format_version"] = 999
    refused("report format 999", "report", path("v999.h5"), "-o", path("r.html"), message="format_version 999")
    refused("export format 999", "export", path("v999.h5"), "-o", path("csv999"), message="format_version 999")

    # A sweep whose attributes do not describe its data.
    for points in (1000, -1):
        shutil.copy(path("sweep.h5"), path("points.h5"))
        with h5py.File(path("points.h5"), "a") as f:
            f["sweep"].attrs["points"] = points
        refused(f"report points = {points}", "report", path("points.h5"), "-o", path("r.html"), message="damaged")
        check(not os.path.exists(path("r.html")), "a report was written from a damaged sweep file")

    # NaN in the point means: no indices of 0.000.
    shutil.copy(path("sweep.h5"), path("nan.h5"))
    with h5py.File(path("nan.h5"), "a") as f:
        m = f["points/mean"][...]
        m[3, :] = np.nan
        f["points/mean"][...] = m
    refused("analyse NaN means", "analyse", "sobol", path("nan.h5"), message="finite values")

    # A valid sweep exports its points.
    p = run("export", path("sweep.h5"), "-o", path("sweep-csv"))
    points = os.path.join(tmp, "sweep-csv", "points.csv")
    check(os.path.exists(points), "export of a sweep wrote no points.csv")
    if os.path.exists(points):
        with open(points) as f:
            lines = f.read().splitlines()
        check(lines[0].startswith("point,programme.budget_mnok_per_year,diffusion.q_per_year,"),
              f"points.csv header: {lines[0][:120]}")
        check(len(lines) == 1 + 4 * (2 + 2), f"points.csv has {len(lines) - 1} points, expected 16")
finish()
