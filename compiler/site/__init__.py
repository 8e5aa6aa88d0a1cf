"""Site: writing a build's outputs to the output folder.

``build.build_site`` runs the first pass (compiler/sources/), hands the athletes to the workers
of ``batch`` (which compile with compiler/plan/ and emit with compiler/emit/), writes with
``writer`` under ``lock``, and skips what has not changed (``batch``'s manifests, ``site_cache``).
"""
