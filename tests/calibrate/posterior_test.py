"""compare --posterior (tools/calibrate/posterior.hpp): each replicate runs every scenario with one
parameter set drawn from a calibration's posterior.

- A posterior whose weight is all on one particle gives exactly the comparison of a scenario
  that sets those values (the particle's values are what the runs use).
- Two particles far apart, half the weight each: a scenario compared with an identical copy of
  itself differs by exactly 0 in every replicate (the same draw for every scenario of a
  replicate: common random numbers stay paired), and the interval of the adoptions is much wider
  than without the posterior (parameter uncertainty enters).
- A scenario that sets a calibrated parameter itself keeps it, and the output says so.
- The report says that its intervals include parameter uncertainty.
- innosim posterior shows and exports a posterior; --posterior builtin works with no files.
- A missing file, a classic calibration and a file that is not a calibration are refused (exit 2).
- Sweeps (`posterior:` in the sweep file): run (point, replicate r) equals a sweep without a
  posterior whose point sets replicate r's drawn values (the draw is the replicate's, the same at
  every point, and the factors keep the points' values); the file records each replicate's draw;
  the fingerprint follows the posterior's content; a bad posterior is refused at its line.

    /usr/bin/python3 tests/calibrate/posterior_test.py build/release/tools/innosim
"""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "output"))
from harness import INNOSIM, check, finish, text  # noqa: E402

import h5py  # noqa: E402
import numpy as np  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))

CALIBRATION = """description: A quick calibration of q to the share of innovating municipalities.
base: baseline
seed: 5
particles: 10
generations: 1
parameters:
  diffusion.q_per_year: {prior: loguniform, min: 0.5, max: 8}
  diffusion.p_per_year: {prior: loguniform, min: 0.01, max: 0.2}
targets:
  - {name: innovating, indicator: innovating_24m_share, reading: mean_of_year_ends, observed: 0.75, sd: 0.04,
     source: Menon 2018, definition: municipalities innovating in two years}
"""


def innosim(*args, expect=0, cwd=None):
    p = subprocess.run([INNOSIM, *args], capture_output=True, text=True, cwd=cwd)
    check(p.returncode == expect, f"innosim {' '.join(args)}: exit {p.returncode}, expected {expect}\n{p.stderr}")
    return p


def block(stdout, indicator):
    """The lines of one indicator's block in compare's output, without scenario names."""
    m = re.search(rf"\n  {re.escape(indicator)}\n((?:    .*\n)+)", stdout)
    check(m is not None, f"no '{indicator}' block in:\n{stdout}")
    return [line.split(None, 1)[1] for line in m.group(1).splitlines()] if m else []


def set_particles(path, q, p, weights):
    """Rewrites the last generation's particles of a calibration file."""
    with h5py.File(path, "r+") as f:
        g = f["calibration/generations/000"]
        names = [text(n) for n in f["calibration/parameters/name"][()]]
        theta = np.zeros((len(weights), len(names)))
        theta[:, names.index("diffusion.q_per_year")] = q
        theta[:, names.index("diffusion.p_per_year")] = p
        for key in ("theta", "weights"):
            del g[key]
        g["theta"] = theta
        g["weights"] = np.asarray(weights, dtype=float)


with tempfile.TemporaryDirectory() as tmp:
    calib = os.path.join(tmp, "calib.yaml")
    with open(calib, "w") as f:
        f.write(CALIBRATION)
    post = os.path.join(tmp, "post.h5")
    innosim("calibrate", calib, "-o", post, "-q")

    # 1. All weight on one particle: the same as a scenario that sets its values.
    set_particles(post, [3.0, 0.6], [0.04, 0.15], [1.0, 0.0])
    with open(os.path.join(tmp, "q3.yaml"), "w") as f:
        f.write("description: Baseline with q = 3.\nextends: baseline\ndiffusion:\n  q_per_year: 3.0\n")
    with open(os.path.join(tmp, "np-q3.yaml"), "w") as f:
        f.write("description: No programme with q = 3.\nextends: no-programme\ndiffusion:\n  q_per_year: 3.0\n")
    drawn = innosim("compare", "baseline", "no-programme", "-r", "4", "--no-output", "-q", "--posterior", post)
    fixed = innosim("compare", "q3.yaml", "np-q3.yaml", "-r", "4", "--no-output", "-q", "--reference", "q3",
                    cwd=tmp)
    plain = innosim("compare", "baseline", "no-programme", "-r", "4", "--no-output", "-q")
    for indicator in ("adoptions", "innovations created"):
        check(block(drawn.stdout, indicator) == block(fixed.stdout, indicator),
              f"{indicator}: the posterior's only particle (q = 3) does not give the runs of q = 3:\n"
              f"{block(drawn.stdout, indicator)}\n{block(fixed.stdout, indicator)}")
        check(block(drawn.stdout, indicator) != block(plain.stdout, indicator),
              f"{indicator}: the posterior changed nothing")
    check("Parameter uncertainty: replicate r draws one parameter set from" in drawn.stdout,
          f"compare does not say where its parameters came from:\n{drawn.stdout}")

    # 2. Two particles far apart: a scenario against an identical copy differs by exactly 0 in
    # every replicate; the interval of the adoptions widens.
    set_particles(post, [0.6, 7.0], [0.02, 0.15], [0.5, 0.5])
    with open(os.path.join(tmp, "copy.yaml"), "w") as f:
        f.write("description: The baseline again.\nextends: baseline\n")
    p = innosim("compare", "baseline", "copy.yaml", "-r", "8", "--no-output", "-q", "--posterior", post, cwd=tmp)
    lines = block(p.stdout, "adoptions")
    check(len(lines) == 2 and re.search(r"\s0 \[0 – 0\]\s*$", lines[1]) is not None,
          f"an identical scenario differs from the reference under the posterior (draws not paired): {lines}")

    def width(stdout):
        m = re.search(r"\[([0-9,]+) – ([0-9,]+)\]", block(stdout, "adoptions")[0])
        return float(m.group(2).replace(",", "")) - float(m.group(1).replace(",", "")) if m else 0.0
    wide = innosim("compare", "baseline", "no-programme", "-r", "8", "--no-output", "-q", "--posterior", post)
    narrow = innosim("compare", "baseline", "no-programme", "-r", "8", "--no-output", "-q")
    check(width(wide.stdout) > 3 * width(narrow.stdout),
          f"the adoptions' interval with q drawn from 0.6 or 7 ({width(wide.stdout):.0f}) is not much wider than "
          f"without ({width(narrow.stdout):.0f})")

    # 3. A scenario that sets a calibrated parameter keeps it.
    p = innosim("compare", "baseline", "q3.yaml", "-r", "2", "--no-output", "-q", "--posterior", post, cwd=tmp)
    check("(q3 sets diffusion.q_per_year itself: the posterior does not replace it there.)" in p.stdout,
          f"no note on the lever the scenario sets:\n{p.stdout}")

    # 4. The report says so.
    report = os.path.join(tmp, "report.html")
    innosim("compare", "baseline", "no-programme", "-r", "2", "-q", "--posterior", post, "-o",
            os.path.join(tmp, "c.h5"), "--report", report)
    with open(report) as f:
        html = f.read()
    check("Parameter uncertainty is included." in html and "They include the uncertainty of the calibrated" in html,
          "the report does not say that its intervals include parameter uncertainty")

    # 5. innosim posterior, and the built-in posterior.
    p = innosim("posterior", post)
    check(re.search(r"diffusion\.q_per_year\s+2\.2\s+", p.stdout) is not None, f"posterior summary:\n{p.stdout}")
    p = innosim("posterior", post, "--csv")
    check(p.stdout.startswith("# innosim posterior 1\n") and "\nweight,diffusion.q_per_year,diffusion.p_per_year\n"
          in p.stdout, f"posterior CSV:\n{p.stdout}")
    p = innosim("posterior", "builtin")
    check("built-in posterior" in p.stdout, f"innosim posterior builtin:\n{p.stdout}")
    p = innosim("compare", "baseline", "no-programme", "-r", "2", "--no-output", "-q", "--posterior", "builtin")
    check("the built-in posterior" in p.stdout, f"compare --posterior builtin:\n{p.stdout}")

    # 6. What is not a programme calibration is refused.
    innosim("compare", "baseline", "-r", "2", "--no-output", "--posterior", os.path.join(tmp, "missing.h5"), expect=2)
    innosim("compare", "baseline", "-r", "2", "--no-output", "--posterior", os.path.join(tmp, "c.h5"), expect=2)
    bass = os.path.join(tmp, "bass.yaml")
    with open(bass, "w") as f:
        f.write("description: Bass.\nmodel: {type: bass, p_innovation_per_step: 0.01, q_imitation_per_step: 0.08}\n"
                "graph: {type: complete, nodes: 200}\nseeding: {strategy: none}\nrun: {seed: 1, replicates: 1, "
                "steps: 20}\n")
    with open(os.path.join(tmp, "classic.yaml"), "w") as f:
        f.write("description: Classic.\nmodel: classic\nbase: bass.yaml\nseed: 1\nparticles: 10\ngenerations: 1\n"
                "parameters:\n  model.p_innovation_per_step: {prior: uniform, min: 0.001, max: 0.1}\ntargets:\n"
                "  - {name: a, indicator: adopters, reading: final, observed: 150, sd: 10, source: s, definition: d}\n")
    innosim("calibrate", os.path.join(tmp, "classic.yaml"), "-o", os.path.join(tmp, "classic.h5"), "-q")
    p = innosim("compare", "baseline", "-r", "2", "--no-output", "--posterior", os.path.join(tmp, "classic.h5"),
                expect=2)
    check("calibrates a classic model" in p.stderr, f"classic posterior: {p.stderr}")

    # 7. Sweeps. A: the built-in posterior, two points that vary the budget and q. B: no
    # posterior, three points that set point 0's budget and q and replicate r's drawn values.
    sweep_a = os.path.join(tmp, "a.yaml")
    with open(sweep_a, "w") as f:
        f.write("""description: posterior sweep
base: baseline
replicates: 3
years: 3
seed: 7
posterior: builtin
design:
  type: list
  points:
    - {programme.budget_mnok_per_year: 60, diffusion.q_per_year: 3.0}
    - {programme.budget_mnok_per_year: 90, diffusion.q_per_year: 3.0}
""")
    p = innosim("sweep", sweep_a, "-o", os.path.join(tmp, "a.h5"), "-q")
    check("diffusion.q_per_year (a factor: not drawn)" in p.stdout, f"the sweep does not say what it draws:\n{p.stdout}")
    with h5py.File(os.path.join(tmp, "a.h5"), "r") as f:
        check(text(f["sweep"].attrs["posterior"]).startswith("builtin: "), "no posterior attribute")
        keys = [text(k) for k in f["sweep/posterior/key"][()]]
        theta = f["sweep/posterior/theta"][()]
        particle = f["sweep/posterior/particle"][()]
        totals_a = f["runs/totals"][()]
        runs_a = f["runs/run"][()]
    check(theta.shape == (3, len(keys)) and len(set(particle)) > 1, f"replicates' draws {particle}")
    lines = []
    for r in range(3):
        values = {k: float(theta[r, i]) for i, k in enumerate(keys) if k != "diffusion.q_per_year"}
        values.update({"programme.budget_mnok_per_year": 60, "diffusion.q_per_year": 3.0})
        lines.append("    - {" + ", ".join(f"{k}: {v!r}" for k, v in values.items()) + "}")
    sweep_b = os.path.join(tmp, "b.yaml")
    with open(sweep_b, "w") as f:
        f.write("description: the drawn values, set\nbase: baseline\nreplicates: 3\nyears: 3\nseed: 7\n"
                "design:\n  type: list\n  points:\n" + "\n".join(lines) + "\n")
    innosim("sweep", sweep_b, "-o", os.path.join(tmp, "b.h5"), "-q")
    with h5py.File(os.path.join(tmp, "b.h5"), "r") as f:
        totals_b = f["runs/totals"][()]
        runs_b = f["runs/run"][()]
    for r in range(3):
        a = totals_a[list(runs_a).index(r)]      # point 0, replicate r
        b = totals_b[list(runs_b).index(r * 3 + r)]  # point r, replicate r
        check(a.tobytes() == b.tobytes(), f"replicate {r}: the sweep's run is not the run of its drawn values")
    # Another posterior is another sweep: A's results are not taken for it.
    one = os.path.join(tmp, "post.h5")
    with open(sweep_a) as f:
        body = f.read()
    with open(sweep_a, "w") as f:
        f.write(body.replace("posterior: builtin", f"posterior: {one}"))
    p = innosim("sweep", sweep_a, "-o", os.path.join(tmp, "a.h5"), "-q", expect=2)
    check("holds the results of another sweep" in p.stderr, f"a changed posterior took A's results:\n{p.stderr}")
    with open(sweep_a, "w") as f:
        f.write(body.replace("posterior: builtin", "posterior: missing.h5"))
    p = innosim("sweep", sweep_a, "-o", os.path.join(tmp, "c.h5"), "-q", expect=2)
    check(re.search(r"a\.yaml:6:\d+: posterior = 'missing\.h5': ", p.stderr), f"missing posterior:\n{p.stderr}")

finish()
