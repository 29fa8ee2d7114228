# This file is part of Pôle.
"""The scenarios for Tryton's runner (python -m unittest): pytest runs them
through the repository's conftest.py instead."""
from trytond.tests.test_tryton import load_doc_tests


def load_tests(*args, **kwargs):
    return load_doc_tests(__name__, __file__, *args, **kwargs)
