"""How good the graph is: SHACL validation, scoring against gold, samples for judging, and
precision from judged sheets."""
