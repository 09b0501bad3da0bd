"""Reverie: a local-first workbench for psychodynamic therapy.

The package is layered in the direction the data flows (see DESIGN.md): ``record`` (plain data)
← ``ingest`` (parsing raw input) ← ``store`` (the database) ← ``present`` (CLI, later web and
reports). A lower layer never imports a higher one; ``tests/test_layers.py`` enforces it.
"""

__version__ = "0.1.0"
