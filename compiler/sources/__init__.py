"""Sources: files to checked documents and the resolved template library, once per project.

discover (which files) -> load + lexical (YAML to located data) -> validate (JSON Schema) ->
compose (``extends:``) -> library (the search path) -> resolve_templates (typed templates);
``gather`` runs them all.  Nothing here knows an athlete's plan: compiler/plan/ starts there.
"""
