"""Fixtures every test directory may use: the real databases."""

pytest_plugins = ["tests.databases"]
