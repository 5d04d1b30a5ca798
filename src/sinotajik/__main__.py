"""``python -m sinotajik``: the same as the ``sinotajik`` command."""

from ._cli import run

if __name__ == "__main__":
    run()
