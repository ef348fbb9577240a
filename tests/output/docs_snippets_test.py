"""The code in docs/output.md runs: every ```python block (with Debian's python3-h5py) and every
```r block (with Debian's r-base-core and r-cran-hdf5r, which tools/setup installs) against a
fresh `innosim run baseline --output baseline.h5`, in a directory of its own. A snippet that no
longer matches the file's layout fails here, not in a reader's hands.

    /usr/bin/python3 tests/output/docs_snippets_test.py build/release/tools/innosim
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from harness import INNOSIM, check, finish  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
DOC = os.path.join(ROOT, "docs", "output.md")

text = open(DOC, encoding="utf-8").read()
blocks = re.findall(r"```(python|r)\n(.*?)```", text, re.S)
languages = [lang for lang, _ in blocks]
check("python" in languages and "r" in languages, f"docs/output.md has no Python or no R snippet: {languages}")
rscript = shutil.which("Rscript")
check(rscript is not None, "Rscript is missing: tools/setup installs r-base-core and r-cran-hdf5r")

with tempfile.TemporaryDirectory() as tmp:
    p = subprocess.run([INNOSIM, "run", "baseline", "-r", "3", "--years", "3", "--output", "baseline.h5", "-q"],
                       cwd=tmp, capture_output=True, text=True)
    check(p.returncode == 0, f"innosim run: {p.stderr}")
    for k, (lang, code) in enumerate(blocks):
        path = os.path.join(tmp, f"snippet-{k}.{'py' if lang == 'python' else 'R'}")
        with open(path, "w", encoding="utf-8") as f:
            f.write(code)
        if lang == "r" and rscript is None:
            continue
        command = ["/usr/bin/python3", path] if lang == "python" else [rscript, "--vanilla", path]
        p = subprocess.run(command, cwd=tmp, capture_output=True, text=True, timeout=300)
        first = code.strip().splitlines()[0]
        check(p.returncode == 0, f"docs/output.md {lang} snippet {k} ({first}) failed:\n{p.stdout}\n{p.stderr}")
        print(f"{lang} snippet {k}: ok")
finish()
