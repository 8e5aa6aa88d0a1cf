"""Plan: one athlete's document and the resolved templates to a Plan, once per athlete.

resolve (the athlete's Blueprint) -> periodize (weeks and targets) -> paces -> schedule (slots
on dates) -> expand (sessions sized by allocate and sizing); ``pipeline.compile_plan`` runs
them.  Pure: nothing here reads or writes a file.
"""
