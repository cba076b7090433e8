"""Checks: each a small registered function with a stable code, a severity and a docstring.

``registry`` holds the codes; the modules beside it hold the checks, one theme each. The
docstring of every code is its documentation (``kb check --list`` and the README).
"""
