"""Scrapy's log messages, less the one per scraped item.

Scrapy logs every item at DEBUG ("Scraped from <200 …>" with the item's repr); our items are the
pages themselves, bodies included, and the inspection log is their record. Building that message
for each page cost about 2% of a scan's crawl process even when DEBUG is not shown.
"""
from __future__ import annotations

from scrapy.logformatter import LogFormatter


class QuietItems(LogFormatter):
    def scraped(self, item, response, spider):
        return None  # Scrapy skips the message
