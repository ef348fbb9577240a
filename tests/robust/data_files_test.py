"""Data files a scenario names: refused with exit 2 before memory or time is spent when they
cannot be right (a sparse id that would make billions of nodes, a FIFO, /dev/zero, a missing
file), with the file, line and the scenario key; `scenario check` opens them as a run would.

    /usr/bin/python3 tests/robust/data_files_test.py build/release/tools/innosim
"""
import os
import resource
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "output"))
from harness import INNOSIM, check, finish  # noqa: E402

ROOT = os.path.join(HERE, "..", "..")


def little_memory():
    if not os.environ.get("INNOSIM_SANITIZED"):  # sanitizers reserve terabytes of address space
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # 1 GiB: enough for a refusal


def refused(what, args, message, cwd=None):
    try:
        p = subprocess.run([INNOSIM, *args], capture_output=True, text=True, timeout=30, cwd=cwd,
                           preexec_fn=little_memory)
    except subprocess.TimeoutExpired:
        check(False, f"{what}: still running after 30 s")
        return
    check(p.returncode == 2, f"{what}: exit {p.returncode}, expected 2\n{p.stderr}")
    check(message in p.stderr, f"{what}: no '{message}' in {p.stderr!r}")


def classic(tmp, name, edges):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write(f"description: edges from {edges}\nmodel: {{type: si}}\n"
                f"graph: {{type: edge_list, path: {edges}}}\nrun: {{seed: 1, replicates: 2, steps: 10}}\n")
    return path


def programme(tmp, name, csv):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write(f"description: municipalities from {csv}\nextends: baseline\nworld:\n  municipalities_csv: {csv}\n")
    return path


with tempfile.TemporaryDirectory() as tmp:
    with open(os.path.join(tmp, "sparse.txt"), "w") as f:
        f.write("0 3000000000\n")
    sparse = classic(tmp, "sparse.yaml", "sparse.txt")
    refused("run, sparse ids", ["run", sparse], "sparse.txt:1:3: node id 3000000000 would make a graph")
    refused("check, sparse ids", ["scenario", "check", sparse], "sparse.txt:1:3: node id 3000000000")

    fifo = os.path.join(tmp, "fifo.txt")
    os.mkfifo(fifo)
    refused("run, a FIFO edge list", ["run", classic(tmp, "fifo.yaml", "fifo.txt")], "is not a regular file")
    refused("run, /dev/zero edge list", ["run", classic(tmp, "zero.yaml", "/dev/zero")], "is not a regular file")
    refused("check, a FIFO scenario", ["scenario", "check", fifo], "is not a regular file")

    refused("run, /dev/zero municipalities", ["run", programme(tmp, "pz.yaml", "/dev/zero"), "-r", "2"],
            "world.municipalities_csv = /dev/zero: is not a regular file")
    refused("check, a missing municipalities file", ["scenario", "check", programme(tmp, "pm.yaml", "missing.csv")],
            "world.municipalities_csv = ")
    # scenario check opens edge lists: a bad id is found without running.
    refused("check, bad edge ids", ["scenario", "check", os.path.join(ROOT, "tests", "cli", "bad", "bad-edge-list.yaml")],
            "bad-edges.csv:3:3: target id 'x' is not a non-negative integer")
finish()
