"""Runs schemathesis against a running `tapebench serve` and its /openapi.json.

    check_api.py BASE_URL AGENT_ID

Two runs, each with every check: the coverage, fuzzing and stateful phases with generated ids (mostly
unknown agents: 400 and 404 answers), then coverage and fuzzing with the path's `id` set to AGENT_ID, so the
200 answers are checked against their schemas too. Deterministic generation; exits non-zero on any issue.
"""
import os
import subprocess
import sys
import tempfile

base, agent = sys.argv[1], sys.argv[2]
cli = os.path.join(os.path.dirname(sys.executable), "schemathesis")
common = ["run", base + "/openapi.json", "--checks", "all", "--max-examples", "25", "--generation-deterministic", "--no-color"]
with tempfile.TemporaryDirectory() as folder:
    config = os.path.join(folder, "schemathesis.toml")
    with open(config, "w") as handle:
        handle.write('[parameters]\n"path.id" = "%s"\n' % agent)
    runs = [
        [cli] + common,
        [cli, "--config-file", config] + common + ["--phases", "coverage,fuzzing"],
    ]
    for command in runs:
        result = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=600)
        sys.stdout.write(result.stdout)
        if result.returncode != 0:
            sys.stderr.write(result.stdout[-4000:] + result.stderr[-2000:])
            sys.exit(result.returncode)
