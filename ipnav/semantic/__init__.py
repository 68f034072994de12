"""Semantic search: a multilingual sentence vector per application and an approximate nearest-neighbour index."""
