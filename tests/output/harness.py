"""What the end-to-end scripts of tests/output share: failures collected and reported, h5py's
strings as text, and running innosim with an expected exit code."""
import os
import subprocess
import sys

INNOSIM = os.path.abspath(sys.argv[1])
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message)


def text(v):
    """h5py returns variable-length strings as bytes or str depending on the version."""
    return v.decode() if isinstance(v, bytes) else str(v)


def run(*args, expect=0):
    p = subprocess.run([INNOSIM, *args], capture_output=True, text=True)
    check(p.returncode == expect, f"innosim {' '.join(args)}: exit {p.returncode}, expected {expect}\n{p.stderr}")
    return p


def skip_without_slurm():
    """Exits 77 (ctest's skip) when no Slurm controller answers (tools/slurm-local starts one)."""
    try:
        answers = subprocess.run(["sinfo", "-h"], capture_output=True).returncode == 0
    except FileNotFoundError:  # Slurm's client tools are not installed
        answers = False
    if not answers:
        print("no Slurm controller answers (start one with tools/slurm-local start): skipped")
        sys.exit(77)


def finish():
    print(f"{len(failures)} failure(s)")
    sys.exit(1 if failures else 0)
