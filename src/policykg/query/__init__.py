"""Querying the graph: saved queries and their parameters, the read-only SPARQL guard and its
lexer, plain questions, running a query with a time limit, result formats, and the evidence
behind a fact."""
