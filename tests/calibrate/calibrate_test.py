"""innosim calibrate end to end (tools/calibrate/): the result file's layout, a calibration that
is stopped (SIGINT, kill -9) and continued equals one that ran through, bitwise, on any number of
threads; a file of another calibration is refused; bad input is refused with file:line:column and
exit 2.

    /usr/bin/python3 tests/calibrate/calibrate_test.py build/release/tools/innosim
"""
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "output"))
sys.path.insert(0, HERE)
from harness import INNOSIM, check, finish, text  # noqa: E402
from common import BASS, same  # noqa: E402

import h5py  # noqa: E402
import numpy as np  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))


CALIBRATION = """description: A small calibration of p and q.
model: classic
base: bass.yaml
seed: 11
particles: 60
generations: 4
parameters:
  model.p_innovation_per_step: {prior: loguniform, min: 0.001, max: 0.1}
  model.q_imitation_per_step: {prior: loguniform, min: 0.008, max: 0.8}
targets:
  - {name: step 10, indicator: adopters, reading: at_step, step: 10, observed: 138, sd: 15, source: s, definition: d}
  - {name: step 20, indicator: adopters, reading: at_step, step: 20, observed: 364, sd: 27, source: s, definition: d}
  - {name: step 30, indicator: adopters, reading: at_step, step: 30, observed: 601, sd: 30, source: s, definition: d}
  - {name: step 40, indicator: adopters, reading: at_step, step: 40, observed: 777, sd: 20, source: s, definition: d}
"""


def calibrate(tmp, out, *extra, expect=0):
    p = subprocess.run([INNOSIM, "calibrate", os.path.join(tmp, "calib.yaml"), "-o", out, "-q", *extra],
                       capture_output=True, text=True, cwd=tmp)
    check(p.returncode == expect, f"calibrate {extra}: exit {p.returncode}, expected {expect}\n{p.stderr}")
    return p


with tempfile.TemporaryDirectory() as tmp:
    with open(os.path.join(tmp, "bass.yaml"), "w") as f:
        f.write(BASS)
    with open(os.path.join(tmp, "calib.yaml"), "w") as f:
        f.write(CALIBRATION)

    # 1. A run through, on two threads: the file's layout and what it says.
    ref = os.path.join(tmp, "ref.h5")
    p = calibrate(tmp, ref, "-t", "2")
    check(re.search(r"generation 3: tolerance [0-9.]+", p.stdout) is not None, f"no generation lines:\n{p.stdout}")
    check("model.p_innovation_per_step" in p.stdout and "90 % interval" in p.stdout, f"no posterior table:\n{p.stdout}")
    with h5py.File(ref, "r") as f:
        c = f["calibration"]
        check(text(f.attrs["kind"]) == "calibration" and text(f.attrs["format"]) == "innosim-result", "kind attribute")
        tol = c["generations/tolerance"][()]
        check(len(tol) == 4 and np.isinf(tol[0]) and all(tol[1:] > 0) and all(np.diff(tol[1:]) < 0),
              f"tolerances {tol}: not infinite then shrinking")
        theta = c["generations/003/theta"][()]
        w = c["generations/003/weights"][()]
        dist = c["generations/003/distances"][()]
        check(theta.shape == (60, 2) and abs(w.sum() - 1) < 1e-12 and all(w > 0), "last population's shape or weights")
        check(all(dist <= tol[3]), "an accepted particle lies beyond its generation's tolerance")
        lo, hi = c["parameters/prior_low"][()], c["parameters/prior_high"][()]
        check(all((theta >= lo).all(axis=1)) and all((theta <= hi).all(axis=1)), "a particle outside its prior")
        sims = c["generations/003/simulated"][()]
        check(sims.shape == (60, 4), "simulated targets' shape")
        # The distance is the RMS of standardised differences: recompute it from the file.
        obs, sd = c["targets/observed"][()], c["targets/sd"][()]
        check(np.allclose(np.sqrt((((sims - obs) / sd) ** 2).mean(axis=1)), dist, rtol=1e-12),
              "distances do not follow from the simulated targets")
        med = c["posterior/median"][()]
        check(0.005 < med[0] < 0.02 and 0.04 < med[1] < 0.16, f"posterior medians {med} far from p = 0.01, q = 0.08")
    check(not os.path.exists(ref + ".lock"), "the lock file was left behind")

    # 2. One thread equals two.
    one = os.path.join(tmp, "one.h5")
    calibrate(tmp, one, "-t", "1")
    same(ref, one, "1 thread against 2")

    # 3. SIGINT, then continued: equal to the run through; kill -9, then continued: equal.
    for sig, code in ((signal.SIGINT, 130), (signal.SIGKILL, -9)):
        out = os.path.join(tmp, f"stopped-{sig}.h5")
        proc = subprocess.Popen([INNOSIM, "calibrate", os.path.join(tmp, "calib.yaml"), "-o", out, "-q", "-t", "2"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp)
        # Wait until some simulations of generation 1 or later are journaled.
        deadline = time.time() + 30
        while time.time() < deadline and proc.poll() is None:
            journal = out + ".journal"
            if os.path.exists(journal) and os.path.getsize(journal) > 20000:
                break
            time.sleep(0.01)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=30)
        if proc.returncode == 0:
            print(f"note: the calibration finished before signal {sig} arrived")
        else:
            check(proc.returncode == code, f"signal {sig}: exit {proc.returncode}, expected {code}\n{err}")
            if sig == signal.SIGINT:
                check("run the same command to continue" in err, f"no hint how to continue:\n{err}")
            check(not os.path.exists(out), f"signal {sig}: a result file before the calibration finished")
        p = calibrate(tmp, out, "-t", "2")
        check("resuming" in p.stdout or proc.returncode == 0, f"did not resume:\n{p.stdout}")
        same(ref, out, f"stopped by signal {sig} and continued")

    # 3b. In parts, as Slurm array tasks run them (innosim slurm): each part simulates its share of
    # a round and ends; --collect says what is missing (exit 3) until the journals hold the whole
    # calibration, then writes it. Equal to the run through however the parts go: three parts with
    # one killed mid-round and rerun; two parts then three (the part count changed between rounds);
    # parts first and the unsharded command to finish.
    def part(out, i, n, *extra):
        p = calibrate(tmp, out, "--shard", f"{i}/{n}", "-t", "1", *extra)
        check(not os.path.exists(out), f"part {i}/{n} wrote the result file; only --collect does")
        return p

    def collect(out):
        p = subprocess.run([INNOSIM, "calibrate", os.path.join(tmp, "calib.yaml"), "-o", out, "-q", "--collect"],
                           capture_output=True, text=True, cwd=tmp)
        check(p.returncode in (0, 3), f"--collect: exit {p.returncode}\n{p.stderr}")
        if p.returncode == 3:
            check(re.search(r"^incomplete: generation \d+ needs \d+ more simulations from proposal \d+", p.stdout,
                            re.M), f"--collect gave no 'incomplete' line:\n{p.stdout}")
            check(not os.path.exists(out), "--collect wrote a result file for an incomplete calibration")
        return p.returncode == 0, p.stdout

    out = os.path.join(tmp, "parts.h5")
    rounds, killed = 0, False
    while True:
        done, said = collect(out)
        if done:
            break
        rounds += 1
        check(rounds < 60, "the parts never completed the calibration")
        # From the second round on, until it lands: part 1 is killed with -9 in the middle of its
        # share (its journal has grown, and it had not ended by itself), and then runs again.
        if rounds >= 2 and not killed:
            journal = out.replace(".h5", ".part-0001-of-0003.h5.journal")
            size = os.path.getsize(journal) if os.path.exists(journal) else 0
            proc = subprocess.Popen([INNOSIM, "calibrate", os.path.join(tmp, "calib.yaml"), "-o", out, "-q",
                                     "--shard", "1/3", "-t", "1"], cwd=tmp,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.time() + 30
            while time.time() < deadline and proc.poll() is None and (
                    not os.path.exists(journal) or os.path.getsize(journal) < size + 300):
                time.sleep(0.002)
            proc.kill()
            proc.wait()
            killed = proc.returncode == -9 and os.path.getsize(journal) > size
        for i in (2, 1, 0):
            part(out, i, 3)
        # A part whose share is done while others' is not says so and simulates nothing more.
        if rounds == 1:
            p = part(out, 0, 3)
            check("part 0 of 3: simulated 0 proposals" in p.stdout or "hold the whole" in p.stdout,
                  f"a rerun part did its share again:\n{p.stdout}")
    check(killed, "no part was ever killed in the middle of its share (every attempt found it finished)")
    check(rounds >= 4, f"only {rounds} rounds in parts")
    print(f"parts: {rounds} rounds")
    check(not any(f.endswith(".lock") for f in os.listdir(tmp)), "a part left its lock file")
    same(ref, out, "three parts, one killed mid-round")

    mixed = os.path.join(tmp, "mixed.h5")
    for n in (2, 3):
        for i in range(n):
            part(mixed, i, n)
    p = calibrate(tmp, mixed, "-t", "2")
    check(re.search(r"resuming: \d+ simulations journaled in 6 journals", p.stdout) is not None,
          f"the unsharded command did not read the parts' journals:\n{p.stdout}")
    same(ref, mixed, "two parts, then three, then one process")
    check(calibrate(tmp, mixed, "--shard", "0/2", "--collect", expect=2).returncode == 2, "--shard with --collect")

    # 4. The journal of another calibration is refused (the same output, other settings).
    calibrate(tmp, os.path.join(tmp, "one.h5"), "--particles", "80", expect=1)

    # 5. Bad input: exit 2 at file:line:column.
    def bad(name, replace, pattern):
        body = CALIBRATION
        for old, new in replace:
            check(old in body, f"{name}: test text '{old}' not found")
            body = body.replace(old, new)
        path = os.path.join(tmp, "bad.yaml")
        with open(path, "w") as f:
            f.write(body)
        p = subprocess.run([INNOSIM, "calibrate", path, "-o", os.path.join(tmp, "bad.h5"), "-q"],
                           capture_output=True, text=True, cwd=tmp)
        check(p.returncode == 2, f"{name}: exit {p.returncode}, expected 2\n{p.stderr}")
        check(re.search(pattern, p.stderr) is not None, f"{name}: no '{pattern}' in {p.stderr!r}")
        check(not os.path.exists(os.path.join(tmp, "bad.h5.journal")), f"{name}: a journal for a refused file")

    bad("unknown indicator", [("indicator: adopters, reading: at_step, step: 10", "indicator: adoptors, reading: "
                                "at_step, step: 10")],
        r"bad\.yaml:11:[0-9]+: .*'adoptors' is not an indicator of the model \(did you mean 'adopters'\?\)")
    bad("zero uncertainty", [("observed: 138, sd: 15", "observed: 138, sd: 0")],
        r"bad\.yaml:11:[0-9]+: targets\[0\]\.sd = 0: the uncertainty must be more than 0")
    bad("prior the model refuses", [("{prior: loguniform, min: 0.008, max: 0.8}", "{prior: uniform, min: -0.5, max: 0.8}")],
        r"bad\.yaml:9:3: model\.q_imitation_per_step: the model does not accept -0\.5 for it: [^:]*bass\.yaml: "
        r"model\.q_imitation_per_step = -0\.5, must be in")
    bad("unknown key", [("particles: 60", "particle: 60")], r"bad\.yaml:5:1: .*particle.*did you mean 'particles'")
    bad("unknown prior", [("{prior: loguniform, min: 0.001", "{prior: log_uniform, min: 0.001")],
        r"bad\.yaml:8:[0-9]+: .*log_uniform.*did you mean 'loguniform'")
    bad("step outside the run", [("step: 40, observed", "step: 400, observed")],
        r"bad\.yaml:14:[0-9]+: step 400 is outside the run \(0\.\.60\)")
    bad("not a classic parameter", [("model.q_imitation_per_step:", "graph.nodes:")],
        r"bad\.yaml:9:3: 'graph\.nodes': a classic calibration fits the model's parameters")
    bad("no uncertainty", [("observed: 138, sd: 15,", "observed: 138,")],
        r"bad\.yaml:11:[0-9]+: .*needs its uncertainty")

    bad("more than one run per proposal", [("generations: 4", "generations: 4\nreplicates: 3")],
        r"bad\.yaml:7:[0-9]+: replicates = 3: one run per proposal")
    bad("a normal prior the model refuses", [("{prior: loguniform, min: 0.001, max: 0.1}",
                                              "{prior: normal, mean: 0.01, sd: 0.01}")],
        r"bad\.yaml:8:3: model\.p_innovation_per_step: the model does not accept -0\.0[0-9]+ for it")
    bad("a programme base for a classic calibration, and the reverse", [("model: classic\n", "")],
        r"bad\.yaml:2:7: base = 'bass\.yaml' is a classic scenario .*write model: classic")
    p = subprocess.run([INNOSIM, "calibrate", os.path.join(tmp, "calib.yaml"), "-o", os.path.join(tmp, "calib.yaml")],
                       capture_output=True, text=True)
    check(p.returncode == 2 and "that is the calibration file itself" in p.stderr,
          f"-o naming the calibration file: exit {p.returncode}\n{p.stderr}")

    # Targets the model cannot reach: the tolerance stalls, the generation that would need more
    # than particles / min_acceptance simulations ends the calibration with a warning; the file
    # holds the generations before it and says why it stopped.
    with open(os.path.join(tmp, "stall.yaml"), "w") as f:
        f.write(CALIBRATION.replace("generations: 4", "generations: 10\nmin_acceptance: 0.05")
                .replace("observed: 138, sd: 15", "observed: 900, sd: 15")
                .replace("observed: 777, sd: 20", "observed: 100, sd: 20"))
    p = subprocess.run([INNOSIM, "calibrate", os.path.join(tmp, "stall.yaml"), "-o", os.path.join(tmp, "stall.h5"),
                        "-q"], capture_output=True, text=True, timeout=300)
    check(p.returncode == 0 and re.search(r"warning: generation [0-9]+ stopped after [0-9]+ simulations", p.stdout),
          f"a stalled calibration: exit {p.returncode}\n{p.stdout}{p.stderr}")
    with h5py.File(os.path.join(tmp, "stall.h5"), "r") as f:
        check("stopped after" in text(f["calibration"].attrs["stopped"]) and len(f["calibration/generations/tolerance"]) < 10,
              "the stalled calibration's file does not say why it stopped")

    # Programme calibrations check against the parameter registry's documented ranges.
    prog = os.path.join(tmp, "prog.yaml")
    with open(prog, "w") as f:
        f.write("""description: bad
base: baseline
parameters:
  diffusion.q_per_year: {prior: uniform, min: 0, max: 20}
targets:
  - {name: a, indicator: innovating_24m_share, reading: mean_of_year_ends, observed: 0.75, sd: 0.04, source: s, definition: d}
""")
    p = subprocess.run([INNOSIM, "calibrate", prog, "-o", os.path.join(tmp, "p.h5")], capture_output=True, text=True)
    check(p.returncode == 2 and re.search(r"prog\.yaml:4:[0-9]+: parameters\.diffusion\.q_per_year: the prior \[0, 20\] "
                                          r"leaves the parameter's documented range \[0, 10\]", p.stderr),
          f"programme prior outside its range: exit {p.returncode}\n{p.stderr}")
    with open(prog, "w") as f:
        f.write("""description: bad
base: baseline
parameters:
  diffusion.q_per_yer: {}
targets:
  - {name: a, indicator: innovating_24m_share, reading: mean_of_year_ends, observed: 0.75, sd: 0.04, source: s, definition: d}
""")
    p = subprocess.run([INNOSIM, "calibrate", prog, "-o", os.path.join(tmp, "p.h5")], capture_output=True, text=True)
    check(p.returncode == 2 and re.search(r"prog\.yaml:4:3: unknown parameter 'diffusion\.q_per_yer' \(did you mean "
                                          r"'diffusion\.q_per_year'\?\)", p.stderr),
          f"unknown programme parameter: exit {p.returncode}\n{p.stderr}")

    # Parameters that shape the world, and priors whose combinations the model refuses.
    for key, prior, pattern in (
            ("owners.staff_fte_base", "{prior: uniform, min: 1, max: 5}", r"prog\.yaml:4:3: owners\.staff_fte_base: "
             r"parameters that shape the world"),
            ("diffusion.weight_geo", "{prior: uniform, min: 0.5, max: 2}", r"prog\.yaml:4:3: diffusion\.weight_geo: "
             r"parameters that shape the world"),
            ("programme.share_arenas", "{prior: uniform, min: 0.05, max: 0.3}",
             r"prog\.yaml:4:3: programme\.share_arenas: the prior reaches 0\.05, which the model refuses in scenario "
             r"baseline")):
        with open(prog, "w") as f:
            f.write(f"""description: bad
base: baseline
parameters:
  {key}: {prior}
targets:
  - {{name: a, indicator: innovating_24m_share, reading: mean_of_year_ends, observed: 0.75, sd: 0.04, source: s, definition: d}}
""")
        p = subprocess.run([INNOSIM, "calibrate", prog, "-o", os.path.join(tmp, "p.h5")], capture_output=True, text=True)
        check(p.returncode == 2 and re.search(pattern, p.stderr), f"{key}: exit {p.returncode}\n{p.stderr}")

finish()
