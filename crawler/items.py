"""What the spider hands to the pipeline: a fetched page, a failed fetch, or a site that is done."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class PageItem:
    """A fetched page; the pipeline extracts its text and records it."""

    scan_id: int
    site_key: str
    url: str  # as requested (the key a resume skips by)
    final_url: str  # after redirects
    http_status: int
    fetched_at: str
    elapsed_ms: int | None
    content_type: str | None
    body: bytes
    depth: int
    discovered_from: str | None
    # (Extracted | None, (error_class, message) | None) when the spider had a worker read the page
    # already (crawler.pipelines.StorePipeline.read); None: the pipeline extracts it
    extracted: tuple | None = None


@dataclass
class FailureItem:
    """A page that could not be fetched, with its error class (dns, timeout, connection, http_4xx,
    http_5xx, robots_disallowed, too_large)."""

    scan_id: int
    site_key: str
    url: str
    error_class: str
    error_message: str
    fetched_at: str
    depth: int
    discovered_from: str | None
    http_status: int | None = None
    final_url: str | None = None


@dataclass
class SiteDoneItem:
    """Every page of a site has been fetched or has failed: the site can be judged."""

    scan_id: int
    site_key: str
