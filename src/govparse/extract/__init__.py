"""One extractor per entity type; each returns items that carry their source line."""
