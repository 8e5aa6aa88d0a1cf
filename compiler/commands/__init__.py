"""Commands beyond a build: check, explain, diff, init/schema (scaffold) and serve (with its
page).  Each is a function the click layer (compiler/cli/) calls; none prints or exits.
"""
