# This file is part of Pôle.
from .test_module import InsertionTestMixin

__all__ = ['InsertionTestMixin']
