"""The graph for other tools: tidy tables (CSV, with a data package) and entity networks
(GraphML, GEXF)."""
