"""Compliance scanner for Taiwan online shops' standard terms.

The library: ``compliance.engine.evaluate`` judges documents under a rule pack
(``compliance.rules.load_pack``); ``compliance.store`` keeps the inspection log.
"""
__version__ = "0.1.0"
