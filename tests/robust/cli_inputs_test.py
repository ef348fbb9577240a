"""Command-line values and scenario texts that used to be misread: each is refused with exit 2
and a message that says what was wrong, or now works as a user expects.

    /usr/bin/python3 tests/robust/cli_inputs_test.py build/release/tools/innosim
"""
import os
import sys
import tempfile

import h5py

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "output"))
from harness import check, finish, run  # noqa: E402

ROOT = os.path.join(HERE, "..", "..")
TINY = os.path.join(ROOT, "tests", "cli", "tiny.yaml")
SWEEP = os.path.join(ROOT, "tests", "sweep", "small.yaml")


def refused(what, *args, message):
    p = run(*args, expect=2)
    check(message in p.stderr, f"{what}: no '{message}' in {p.stderr[:300]!r}")


with tempfile.TemporaryDirectory() as tmp:
    def path(name):
        return os.path.join(tmp, name)

    # Numbers: no wrap-around of negative or too large values.
    refused("--seed -1", "run", TINY, "--seed", "-1", message="'-1' is not a whole number")
    refused("--seed 2^64", "run", TINY, "--seed", "18446744073709551616", message="is not a whole number")
    refused("-r -1", "run", TINY, "-r", "-1", message="'-1' is not a whole number")
    refused("compare -r -1", "compare", "baseline", "no-programme", "-r", "-1", message="'-1' is not a whole number")
    # The largest seed is a seed, and result files keep it whole (unsigned), as does the report.
    run("run", "baseline", "-r", "2", "--years", "1", "-q", "--seed", "18446744073709551615", "-o", path("s.h5"))
    with h5py.File(path("s.h5")) as f:
        seed = f["scenarios/baseline"].attrs["seed"]
        check(int(seed) == 18446744073709551615, f"seed stored as {seed!r}")
    run("report", path("s.h5"), "-o", path("s.html"))
    with open(path("s.html")) as f:
        check("seed 18446744073709551615" in f.read(), "the report does not show the seed 2^64 - 1")

    # Output names: not empty, not a directory.
    refused("-o ''", "run", "baseline", "-r", "2", "--years", "1", "-o", "", message="an empty name")
    refused("-o DIR", "run", "baseline", "-r", "2", "--years", "1", "-o", tmp, message="is a directory")
    refused("compare -o DIR", "compare", "baseline", "no-programme", "-r", "2", "-o", tmp, message="is a directory")
    refused("sweep -o ''", "sweep", SWEEP, "-o", "", message="an empty name")

    # Slurm time limits as Slurm reads them.
    refused("--time 99:99:99", "slurm", SWEEP, "-o", path("x.h5"), "--tasks", "2", "--time", "99:99:99",
            message="minutes and seconds below 60")
    run("slurm", SWEEP, "-o", path("x.h5"), "--tasks", "2", "--time", "1-12:00:00")

    # Scenario texts.
    with open(path("deep.yaml"), "w") as f:
        f.write("description: deep\nextends: baseline\nprogramme: " + "[" * 100000 + "\n")
    refused("deep nesting", "scenario", "check", path("deep.yaml"), message="nests more than 64 levels deep")
    with open(path("utf.yaml"), "wb") as f:
        f.write(b"description: caf\xe9 without UTF-8\nextends: baseline\n")
    refused("invalid UTF-8", "scenario", "check", path("utf.yaml"), message="utf.yaml:1:17: the file is not valid UTF-8")
    with open(path("short.yaml"), "w") as f:
        f.write("description: One sentence only\nextends: baseline\nprogramme:\n  budget_mnok_per_year: 50\n")
    p = run("scenario", "check", path("short.yaml"))  # extends: a built-in name without .yaml
    check("ok" in p.stdout, f"extends: baseline: {p.stdout} {p.stderr}")
    p = run("compare", "baseline", path("short.yaml"), "-r", "2", "--years", "1", "-q", "--no-output")
    check("One sentence only" in p.stdout, "compare shows a one-sentence description as blank")
finish()
