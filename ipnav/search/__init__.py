"""Professional patent search: query language -> AST -> tantivy, with Chinese substring semantics."""
