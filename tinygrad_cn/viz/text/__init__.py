"""Numbers, tables and small matrices as text or HTML: the same everywhere (graphs, tables, pages)."""
