"""Scrapy project: fetches shops' policy pages for the inspection log (docs/architecture.md)."""
