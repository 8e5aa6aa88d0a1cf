"""The command line: a thin shell over compiler.api.

Exit codes: 0 clean, 1 problems found in the inputs (with --strict, warnings too), 2 usage error,
3 internal error (a bug in planc; the traceback is shown only with --debug).  Problems are rendered
by compiler.report as text (stderr), JSON or GitHub annotations (stdout).  The compiler stages are
imported only by the commands that need them, so `planc --version` and `planc --help` stay fast.

The package: app.py (the `planc` group and its help), options.py (the shared options and what
they come to), running.py (output format, exceptions to exit codes), project.py (planc.yaml) and
one module per group of commands: plan_commands.py (check, explain), site_commands.py (build,
index, serve) and repo_commands.py (init, schema, diff).
"""

from __future__ import annotations

from .app import main
from .plan_commands import check, explain
from .repo_commands import diff, init, schema
from .site_commands import build, index, serve

for _command in (check, build, index, explain, init, schema, diff, serve):
    main.add_command(_command)

__all__ = ["main"]
