"""The spiders of the crawler project; `terms` is the one that scans shops."""
