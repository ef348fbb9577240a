#!/usr/bin/python3
"""End-to-end checks of `innosim compare`: common random numbers (a scenario compared with an
identical copy differs by exactly 0 in every replicate), paired differences that agree with the
per-replicate totals in the file, numbers that do not change when another scenario is added or
the thread count changes, additionality against no-programme, and clear errors.

    compare_test.py INNOSIM
"""
import io
import math
import os
import re
import subprocess
import tempfile

import h5py
import numpy as np

from harness import INNOSIM, check, finish, run, text



def table(group):
    return {text(c): group[text(c)][:] for c in group.attrs["columns"]}


def rows(t, scenario):
    keep = [i for i, s in enumerate(t["scenario"]) if text(s) == scenario]
    return {k: (v[keep] if v.dtype.kind != "O" else [text(x) for x in v[keep]]) for k, v in t.items()}


with tempfile.TemporaryDirectory() as tmp:
    copy = os.path.join(tmp, "copy.yaml")
    with open(copy, "w") as f:
        f.write("description: The baseline again, under another name.\nextends: baseline.yaml\n")
    ab = os.path.join(tmp, "ab.h5")
    abc = os.path.join(tmp, "abc.h5")
    abc2 = os.path.join(tmp, "abc2.h5")
    # Six years: the programme's first innovation projects end after three, so a shorter run shows
    # no effect on adoptions to speak of.
    base = ["compare", "--quiet", "--replicates", "6", "--years", "6"]
    out = run(*base, "baseline", "no-programme", "--threads", "2", "--output", ab).stdout
    check("baseline" in out and "(reference)" in out, "the reference is marked")
    check("Additionality against no-programme" in out, "additionality is reported")
    check("MNOK per extra adoption" in out, "cost per additional adoption is reported")
    run(*base, "no-programme", copy, "baseline", "--reference", "baseline", "--threads", "1", "--output", abc)
    run(*base, "no-programme", copy, "baseline", "--reference", "baseline", "--threads", "2", "--output", abc2)

    with h5py.File(ab, "r") as f, h5py.File(abc, "r") as g, h5py.File(abc2, "r") as h:
        check(text(f.attrs["kind"]) == "compare", "kind compare")
        check(text(g["comparison"].attrs["reference"]) == "baseline", "the reference is recorded")
        check(text(g["comparison"].attrs["counterfactual"]) == "no-programme", "the counterfactual is recorded")
        # Adding a scenario (and reordering) changes nothing for the others.
        for s in ("baseline", "no-programme"):
            check(np.array_equal(f[f"scenarios/{s}/totals"][:], g[f"scenarios/{s}/totals"][:]),
                  f"{s}: same totals with another scenario added")
            check(np.array_equal(f[f"scenarios/{s}/series"][:], g[f"scenarios/{s}/series"][:]),
                  f"{s}: same series with another scenario added")
        mf, mg = table(f["comparison/metrics"]), table(g["comparison/metrics"])
        for s in ("baseline", "no-programme"):
            a, b = rows(mf, s), rows(mg, s)
            for k in ("mean", "low", "high", "difference_mean", "difference_low", "difference_high"):
                check(np.array_equal(a[k], b[k]), f"{s}: comparison column {k} unchanged by adding a scenario")
        # Thread count changes nothing.
        for k, v in table(g["comparison/metrics"]).items():
            w = table(h["comparison/metrics"])[k]
            same = list(v) == list(w) if v.dtype.kind == "O" else np.array_equal(v, w, equal_nan=True)
            check(same, f"metrics column {k} is the same on 1 and 2 threads")
        # Common random numbers: an identical copy differs by exactly 0, in every replicate.
        check(np.array_equal(g["scenarios/copy/series"][:], g["scenarios/baseline/series"][:]),
              "a copy of the reference draws the same random numbers")
        c = rows(mg, "copy")
        check(np.all(c["difference_mean"] == 0) and np.all(c["difference_low"] == 0) and
              np.all(c["difference_high"] == 0), "the copy's paired differences are exactly 0")
        # Paired differences agree with the per-replicate totals in the file.
        names = [text(x) for x in g["scenarios/baseline/indicators/name"][:]]
        i = names.index("adoptions")
        d = g["scenarios/no-programme/totals"][:, i] - g["scenarios/baseline/totals"][:, i]
        n = rows(mg, "no-programme")
        k = n["metric"].index("adoptions")
        check(math.isclose(n["difference_mean"][k], d.mean(), rel_tol=1e-12), "difference = mean of paired differences")
        half = 2.5705818366147395 * d.std(ddof=1) / math.sqrt(len(d))  # t(0.975, 5)
        check(math.isclose(n["difference_high"][k] - n["difference_mean"][k], half, rel_tol=1e-9),
              "the difference's interval is the paired t interval")
        # Additionality: the baseline adds adoptions and costs money.
        add = table(g["comparison/additionality"])
        b = rows(add, "baseline")
        check(b["extra_adoptions_mean"][0] > 0 and b["extra_mnok_mean"][0] > 0, "the programme adds adoptions")
        ratio = b["extra_mnok_mean"][0] / b["extra_adoptions_mean"][0]
        check(math.isclose(b["mnok_per_extra_adoption_mean"][0], ratio, rel_tol=1e-9), "cost = extra MNOK / extra adoptions")
        grp = table(g["comparison/groups"])
        check(len(grp["group"]) == 3 * 10, "ten groups per scenario")

    # Errors: exit 2 and a message that names the problem.
    bad = run("compare", "baseline", "no-programme", "--reference", "basline", "-r", "2", expect=2)
    check("--reference basline: not among the compared scenarios" in bad.stderr, f"unknown reference: {bad.stderr}")
    bad = run("compare", "baseline", "scenarios/classic/bass-complete.yaml", "-r", "2", expect=2)
    check("compare is for programme scenarios" in bad.stderr, f"classic scenario: {bad.stderr}")
    short = os.path.join(tmp, "short.yaml")
    with open(short, "w") as f:
        f.write("description: Five years.\nextends: baseline.yaml\nrun:\n  years: 5\n")
    bad = run("compare", "baseline", short, "-r", "2", expect=2)
    check("needs one horizon" in bad.stderr, f"different horizons: {bad.stderr}")
    bad = run("compare", "baseline", "baseline", "-r", "2", expect=2)
    check("are both named 'baseline'" in bad.stderr, f"same name twice: {bad.stderr}")
    bad = run("compare", "baseline", "no-programme", "-r", "1", expect=2)
    check("--replicates 1 must be in [2," in bad.stderr, f"one replicate: {bad.stderr}")

    # By default one HDF5 file, compare.h5, in the working directory; --no-output writes none.
    here = os.path.join(tmp, "here")
    os.mkdir(here)
    p = subprocess.run([INNOSIM, "compare", "baseline", "no-programme", "-r", "2", "--years", "2", "--quiet"],
                       cwd=here, capture_output=True, text=True)
    check(p.returncode == 0 and os.listdir(here) == ["compare.h5"], f"default compare.h5: {os.listdir(here)}")
    os.remove(os.path.join(here, "compare.h5"))
    p = subprocess.run([INNOSIM, "compare", "baseline", "no-programme", "-r", "2", "--years", "2", "--quiet",
                        "--no-output"], cwd=here, capture_output=True, text=True)
    check(p.returncode == 0 and os.listdir(here) == [], f"--no-output: {os.listdir(here)}")

    # CSV export: one row per scenario and indicator, the same numbers as the file.
    import csv
    out_dir = os.path.join(tmp, "csv")
    run("export", ab, "-o", out_dir)
    with open(os.path.join(out_dir, "summary.csv"), newline="", encoding="utf-8") as f:
        summary = list(csv.DictReader(f))
    with h5py.File(ab, "r") as f:
        width = len(f["scenarios/baseline/indicators/name"])
        names = [text(x) for x in f["scenarios/baseline/indicators/name"][:]]
        mean = f["scenarios/baseline/totals"][:, names.index("adoptions")].mean()
    check(len(summary) == 2 * width, f"summary.csv rows: {len(summary)}")
    row = next(x for x in summary if x["scenario"] == "baseline" and x["indicator"] == "adoptions")
    # Rounded to two significant digits of the interval's half-width: within a twentieth of it,
    # and no more decimals than that precision.
    half = (float(row["high_95"]) - float(row["low_95"])) / 2
    check(abs(float(row["mean"]) - mean) <= half / 20 + 1e-9, f"summary.csv mean {row['mean']}, the file's {mean}")
    decimals = len(row["mean"].split(".")[1]) if "." in row["mean"] else 0
    check(decimals <= max(0, 1 - math.floor(math.log10(half))), f"summary.csv mean {row['mean']}: noise digits")
    check(float(row["low_95"]) < float(row["mean"]) < float(row["high_95"]), "summary.csv has the interval")
    for name in ("yearly.csv", "comparison_metrics.csv", "comparison_additionality.csv", "world_owners.csv"):
        check(os.path.getsize(os.path.join(out_dir, name)) > 100, f"{name} written")
    run("export", ab, "-o", os.path.join(tmp, "csv-nb"), "--decimal-comma")
    with open(os.path.join(tmp, "csv-nb", "summary.csv"), encoding="utf-8") as f:
        f.readline()
        first = f.readline()
    check(first.count(";") >= 9, f"';' between fields: {first}")

    # The spreadsheet CSV read as a spreadsheet set to Norwegian reads it: a UTF-8 BOM says the
    # encoding (else Tromsø comes out as TromsÃ¸), ';' separates, a decimal comma makes a number,
    # a ="..." formula makes text, and anything else that looks like a number becomes one (so a
    # code written as 0301 would be the number 301).
    def spreadsheet(path):
        raw = open(path, "rb").read()
        check(raw.startswith(b"\xef\xbb\xbf"), f"{os.path.basename(path)}: no UTF-8 byte order mark")
        rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline=""), delimiter=";"))

        def cell(v):
            if v.startswith('="') and v.endswith('"'):
                return v[2:-1]
            if re.fullmatch(r"-?\d+(,\d+)?", v):
                return float(v.replace(",", "."))
            return v
        return rows[0], [[cell(v) for v in r] for r in rows[1:]]

    head, owners = spreadsheet(os.path.join(tmp, "csv-nb", "world_owners.csv"))
    codes = [r[head.index("code")] for r in owners]
    check(all(isinstance(c, str) and len(c) == 4 for c in codes[:357]) and "0301" in codes,
          f"kommunenummer are not text in a spreadsheet: {codes[:3]}")
    check("Tromsø" in [r[head.index("name")] for r in owners], "Tromsø is not read back as Tromsø")
    check(all(isinstance(r[head.index("population")], float) for r in owners), "population is not a number")
    check(isinstance(owners[0][head.index("lat")], float) and 59 < owners[0][head.index("lat")] < 61,
          f"latitude with a decimal comma is not a number: {owners[0]}")
    check(owners[0][head.index("county")] == "Oslo", f"county given by index, not name: {owners[0]}")
    head, groups = spreadsheet(os.path.join(tmp, "csv-nb", "comparison_groups.csv"))
    check("under 5\u202f000 innbyggere" in [r[head.index("group_label")] for r in groups], "no bokmål group labels")
    head, rows = spreadsheet(os.path.join(tmp, "csv-nb", "summary.csv"))
    nb = next(r for r in rows if r[0] == "baseline" and r[head.index("indicator")] == "adoptions")
    check(isinstance(nb[head.index("mean")], float) and abs(nb[head.index("mean")] - mean) <= half / 20 + 1e-9,
          f"the spreadsheet's mean {nb[head.index('mean')]} against {mean}")
    check(not [n for n in os.listdir(out_dir) if ".tmp-" in n], "no temporaries left by export")

    # The report's summary is computed from the runs: taking the programme away loses
    # municipalities that use research, doubling the budget gains some, and the sentences say so
    # with the sign and interval of each change.
    report = os.path.join(tmp, "summary.html")
    run("compare", "baseline", "no-programme", "double-budget", "-r", "6", "--years", "5", "--no-output", "-q",
        "--report", report)
    import html as htmllib
    page = open(report, encoding="utf-8").read()
    section = re.search(r'<section class="summary">(.*?)</section>', page, re.S)
    check(section is not None, "the report has no summary section")
    paragraphs = [htmllib.unescape(re.sub(r"<[^>]+>", "", p)) for p in re.findall(r"<p>(.*?)</p>", section.group(1), re.S)]
    by_scenario = {p.split(" ")[0].rstrip(":"): p for p in paragraphs}
    research = r"Municipalities using research at the end: ([+\u2212])\d+ \[[+\u2212]\d+ – [+\u2212]\d+\] against baseline"
    m_np = re.search(research, by_scenario.get("no-programme", ""))
    m_db = re.search(research, by_scenario.get("double-budget", ""))
    check(m_np is not None and m_np.group(1) == "\u2212", f"no-programme's research sentence: {by_scenario.get('no-programme')}")
    check(m_db is not None and m_db.group(1) == "+", f"double-budget's research sentence: {by_scenario.get('double-budget')}")
    check(by_scenario.get("baseline", "").startswith("baseline (the reference):"), f"the reference's sentence: {paragraphs}")

    # innosim report refuses what is not a result file.
    bad = run("report", os.path.join(tmp, "missing.h5"), "-o", os.path.join(tmp, "r.html"), expect=2)
    check("missing.h5: no such file" in bad.stderr, f"missing result file: {bad.stderr}")
    bad = run("report", copy, "-o", os.path.join(tmp, "r.html"), expect=2)
    check("not an HDF5 file" in bad.stderr, f"not HDF5: {bad.stderr}")
    check(not os.path.exists(os.path.join(tmp, "r.html")), "no report is left behind after an error")
    bad = run("compare", "baseline", "no-programme", "-r", "2", "--report", os.path.join(tmp, "no", "r.html"),
              expect=2)
    check("--report" in bad.stderr and "does not exist" in bad.stderr, f"unwritable report path: {bad.stderr}")

finish()
