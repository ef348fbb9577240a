"""Parameter recovery on the Bass model: ABC-SMC finds the p and q that made the data.

Twenty independent repetitions: each simulates an "observed" curve from known p = 0.01 and
q = 0.08 per step (1,000 agents, fully mixed, one replicate with its own seed), calibrates p and q
to the curve's adopters at steps 10, 20, 30, 40 and 50 (log-uniform priors over two decades,
until the tolerance is at most 1, i.e. one standard deviation per target), and checks whether
each 90 % credible interval holds the true value. The standard deviation of each target is
the spread of 100 other simulated curves at the true values, the noise the observation really
has, so the posterior is the one the data allow.

A calibrated 90 % interval covers the truth with probability 0.9 (an ABC posterior at a
tolerance above 0 is a little wider, so at least that): in 20 repetitions, 16 or more covers
has probability 0.957 at exactly 0.9. The repetitions use fixed seeds, so the outcome is the
same on every run; a calibration that ignored the data, weighted particles wrongly or shrank
its intervals would cover far less often.

    /usr/bin/python3 tests/calibrate/recovery_test.py build/release/tools/innosim
"""
import os
import re
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "output"))
sys.path.insert(0, HERE)
from harness import INNOSIM, check, finish  # noqa: E402
from common import BASS  # noqa: E402

import h5py  # noqa: E402

TRUE = {"model.p_innovation_per_step": 0.01, "model.q_imitation_per_step": 0.08}
STEPS = [10, 20, 30, 40, 50]
REPETITIONS = 20



def curve(tmp, seed):
    """Adopters at STEPS of one run with this seed, from the per-step table of `innosim run`."""
    p = subprocess.run([INNOSIM, "run", os.path.join(tmp, "bass.yaml"), "-q", "--rows", "61", "-r", "1",
                        "--seed", str(seed)], capture_output=True, text=True, check=True)
    values = {}
    for line in p.stdout.splitlines():
        m = re.match(r"\s+(\d+)\s+([0-9.]+)\s+\[", line)
        if m:
            values[int(m.group(1))] = float(m.group(2))
    return [values[s] for s in STEPS]


with tempfile.TemporaryDirectory() as tmp:
    with open(os.path.join(tmp, "bass.yaml"), "w") as f:
        f.write(BASS)
    sds = [statistics.stdev(c) for c in zip(*[curve(tmp, 900000 + s) for s in range(100)])]
    print("target sd (from 100 curves):", ", ".join(f"{s:.1f}" for s in sds))
    covered = {k: 0 for k in TRUE}
    for rep in range(REPETITIONS):
        observed = curve(tmp, 1000 + rep)
        path = os.path.join(tmp, f"rep{rep}.yaml")
        with open(path, "w") as f:
            f.write(f"""description: Recovery repetition {rep}.
model: classic
base: bass.yaml
seed: {77 + rep}
particles: 200
parameters:
  model.p_innovation_per_step: {{prior: loguniform, min: 0.001, max: 0.1}}
  model.q_imitation_per_step: {{prior: loguniform, min: 0.008, max: 0.8}}
targets:
""")
            for s, o, sd in zip(STEPS, observed, sds):
                f.write(f"  - {{name: step {s}, indicator: adopters, reading: at_step, step: {s}, observed: {o}, "
                        f"sd: {sd:.6g}, source: simulated, definition: adopters}}\n")
        out = os.path.join(tmp, f"rep{rep}.h5")
        p = subprocess.run([INNOSIM, "calibrate", path, "-o", out, "-q", "--until-tolerance", "1"],
                           capture_output=True, text=True)
        check(p.returncode == 0, f"repetition {rep}: exit {p.returncode}\n{p.stderr}")
        if p.returncode != 0:
            continue
        with h5py.File(out, "r") as h:
            names = [n.decode() if isinstance(n, bytes) else str(n) for n in h["calibration/parameters/name"][()]]
            lo, hi = h["calibration/posterior/q05"][()], h["calibration/posterior/q95"][()]
            line = []
            for k, name in enumerate(names):
                inside = lo[k] <= TRUE[name] <= hi[k]
                covered[name] += inside
                line.append(f"{name.split('.')[1]} [{lo[k]:.4g}, {hi[k]:.4g}]{'' if inside else ' MISSED'}")
            print(f"repetition {rep:2d}: " + "; ".join(line))
    for name, n in covered.items():
        print(f"{name}: the 90 % interval covers {TRUE[name]} in {n} of {REPETITIONS}")
        check(n >= 16, f"{name}: covered in {n} of {REPETITIONS} repetitions; at least 16 expected")
        # Intervals that always cover may be useless: the test asks for the posterior to be
        # narrower than the prior too (checked on the last repetition's intervals).
    with h5py.File(os.path.join(tmp, f"rep{REPETITIONS - 1}.h5"), "r") as h:
        lo, hi = h["calibration/posterior/q05"][()], h["calibration/posterior/q95"][()]
        plo, phi = h["calibration/posterior/prior_q05"][()], h["calibration/posterior/prior_q95"][()]
        for k in range(len(lo)):
            check((hi[k] / lo[k]) < (phi[k] / plo[k]) ** 0.25,
                  f"parameter {k}: the posterior interval [{lo[k]:.4g}, {hi[k]:.4g}] is not much narrower than the "
                  f"prior's [{plo[k]:.4g}, {phi[k]:.4g}]")

finish()
