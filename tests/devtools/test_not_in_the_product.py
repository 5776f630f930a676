"""Local tools stay out of the product: the image leaves them out, and production never reads or imports them."""

import os
import subprocess
import sys

from tests.cms.test_settings import PRODUCTION_VALUES, ROOT

# Runs in production settings: starts Django, runs every system check (which loads the URLs, the models and the admin
# hooks), and prints any module or file of the local tools that was imported or opened on the way.
USES_OF_LOCAL_TOOLS = """
import os
import sys

tools = tuple(os.path.realpath(name) + os.sep for name in ("devtools", "bench"))
used = []


def watch(event, args):
    if event == "import" and args[0].split(".")[0] in ("devtools", "bench"):
        used.append(args[0])
    elif event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.path.realpath(os.fsdecode(args[0]))
        if path.startswith(tools):
            used.append(path)


sys.addaudithook(watch)
import django

django.setup()
from django.core.management import call_command

call_command("check", verbosity=0)
print("used:", sorted(set(used)))
"""


def test_the_image_leaves_out_the_local_tools():
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {"devtools", "bench", "tests", "scripts"} <= set(ignored)


def test_production_neither_imports_nor_reads_the_local_tools():
    environment = {key: value for key, value in os.environ.items() if key not in PRODUCTION_VALUES}
    result = subprocess.run(  # noqa: S603 - our own code, fixed arguments
        [sys.executable, "-c", USES_OF_LOCAL_TOOLS],
        cwd=ROOT,
        env={**environment, **PRODUCTION_VALUES},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "used: []"
