"""What every other package uses: error classes, languages and messages, formatting.

Imports no Flask: it runs in a worker, a CLI command or a notebook alike.
"""
