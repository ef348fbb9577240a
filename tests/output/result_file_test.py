#!/usr/bin/python3
"""End-to-end checks of `innosim run --output`: the file's schema (docs/output.md), that its
numbers agree with themselves, that it is the same for 1 and 2 threads outside /runtime, that a
killed run leaves nothing under the final name, that a bad path is refused before running, and
that the documented Python example reads it.

    result_file_test.py INNOSIM SOURCE_DIR
"""
import os
import signal
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

from harness import INNOSIM, check, finish, run, text

SOURCE = sys.argv[2]


def as_bytes(v):
    """An attribute's or dataset's value as comparable bytes (strings by their text)."""
    if isinstance(v, (str, bytes)):
        return text(v).encode()
    a = np.asarray(v)
    if a.dtype.kind == "O":
        return "\x00".join(text(x) for x in np.atleast_1d(a)).encode()
    return np.ascontiguousarray(a).tobytes()


def walk(f):
    """Every dataset and attribute outside /runtime, as (path, bytes)."""
    items = {}

    def visit(name, obj):
        if name == "runtime" or name.startswith("runtime/"):
            return
        for k, v in obj.attrs.items():
            items[f"{name}@{k}"] = as_bytes(v)
        if isinstance(obj, h5py.Dataset):
            items[name] = as_bytes(obj[()])

    for k, v in f.attrs.items():
        items[f"/@{k}"] = as_bytes(v)
    f.visititems(visit)
    return items


with tempfile.TemporaryDirectory() as tmp:
    a, b = os.path.join(tmp, "a.h5"), os.path.join(tmp, "b.h5")
    common = ["run", "adaptive", "--quiet", "--replicates", "5", "--years", "4", "--events"]
    out = run(*common, "--threads", "1", "--output", a).stdout
    check("results: " + a in out, "the summary names the result file")
    run(*common, "--threads", "2", "--output", b)
    check(sorted(os.listdir(tmp)) == ["a.h5", "b.h5"], f"no temporaries left: {os.listdir(tmp)}")

    with h5py.File(a, "r") as f, h5py.File(b, "r") as g:
        # Schema.
        check(text(f.attrs["format"]) == "innosim-result" and int(f.attrs["format_version"]) == 1, "format")
        for key in ("innosim_version", "git_revision", "hdf5_version", "onetbb_version", "boost_version"):
            check(key in f["provenance"].attrs, f"provenance has {key}")
        for key in ("started_utc", "host", "threads", "elapsed_seconds", "command_line"):
            check(key in f["runtime"].attrs, f"runtime has {key}")
        check(int(f["runtime"].attrs["threads"]) == 1 and int(g["runtime"].attrs["threads"]) == 2, "threads")
        owners = f["world/owners"]
        check(len(owners["code"]) == 371 and text(owners["name"][0]) != "", "371 owners with names")
        s = f["scenarios/adaptive"]
        check(int(s.attrs["seed"]) == 20261130 and int(s.attrs["replicates"]) == 5, "scenario attributes")
        check(list(s["replicate"][:]) == [0, 1, 2, 3, 4], "replicate ids")
        names = [text(x) for x in s["indicators/name"][:]]
        width = len(names)
        check(s["series"].shape == (5, 4 * 12 + 1, width), f"series shape {s['series'].shape}")
        check(s["yearly"].shape == (5, 4, width), "yearly shape")
        check(s["totals"].shape == (5, width), "totals shape")
        check(text(s["series"].attrs["description"]).startswith("[replicate, month, indicator]"), "series described")
        files = [text(x) for x in s["scenario_files"][:]]
        check(files[0].endswith("adaptive.yaml") and files[-1].endswith("baseline.yaml"), f"scenario files {files}")
        check("rules:" in text(s["scenario_texts"][0]), "the scenario text as given")
        check("programme:" in text(s["scenario_resolved"][()]), "the resolved scenario")
        # Numbers agree with each other.
        agg = [text(x) for x in s["indicators/aggregation"][:]]
        i = names.index("adoptions")
        check(agg[i] == "flow", "adoptions is a flow")
        series = s["series"][:]
        check(np.array_equal(s["totals"][:, i], series[:, 1:, i].sum(axis=1)), "totals = sum of months")
        check(np.array_equal(s["yearly"][:, 1, i], series[:, 13:25, i].sum(axis=1)), "year 2 = its months")
        events = s["adoptions"]
        for r in range(5):
            n_events = int((events["replicate"][:] == r).sum())
            check(n_events == int(s["totals"][r, i]), f"replicate {r}: {n_events} events vs {s['totals'][r, i]}")
        inn = s["innovations"]
        for r in range(5):
            made = int((inn["replicate"][:] == r).sum())
            check(made == int(s["totals"][r, names.index("innovations_created")]), f"replicate {r}: innovations")
        check(set(np.unique(s["owners_end/replicate"][:])) == set(range(5)), "owners_end per replicate")
        check(len(s["owners_end/capacity"]) == 5 * 371, "owners_end rows")
        check(text(s["projects/grant"].attrs["unit"]) == "MNOK", "units as attributes")
        check(len(s["rules_fired/rule"]) >= 1, "adaptive rules recorded")
        # Same results for 1 and 2 threads, outside /runtime.
        wa, wb = walk(f), walk(g)
        check(wa.keys() == wb.keys(), f"same objects: {set(wa) ^ set(wb)}")
        different = [k for k in wa if k in wb and wa[k] != wb[k]]
        check(not different, f"same bytes outside /runtime: {different[:5]}")

    # A killed run leaves nothing under the final name.
    killed = os.path.join(tmp, "killed.h5")
    p = subprocess.Popen([INNOSIM, "run", "baseline", "--quiet", "--replicates", "400", "--threads", "1",
                          "--output", killed], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    p.send_signal(signal.SIGKILL)
    p.wait()
    check(not os.path.exists(killed), "a killed run has no file under the final name")

    # A path that cannot be written is refused at once, as bad input.
    bad = run("run", "baseline", "--replicates", "2", "--output", os.path.join(tmp, "no", "such", "x.h5"), expect=2)
    check("--output" in bad.stderr and "no/such/x.h5" in bad.stderr, f"bad path message: {bad.stderr}")
    bad = run("run", "baseline", "--replicates", "2", "--events", expect=2)
    check("--events needs --output" in bad.stderr, "events without output")

    # The documented example reads the file.
    png = os.path.join(tmp, "adoptions.png")
    p = subprocess.run([sys.executable, os.path.join(SOURCE, "tools/examples/plot_indicator.py"), a, "adoptions",
                        "-o", png], capture_output=True, text=True)
    check(p.returncode == 0 and os.path.getsize(png) > 10000, f"plot_indicator.py: {p.returncode} {p.stderr}")
    p = subprocess.run([sys.executable, os.path.join(SOURCE, "tools/examples/plot_indicator.py"), a, "adoption"],
                       capture_output=True, text=True)
    check(p.returncode != 0 and "no indicator 'adoption'" in p.stderr, "the example names a wrong indicator")

finish()
