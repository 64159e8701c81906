"""``policykg serve``: the SPARQL endpoint, entity pages, YASGUI (vendored under ``static/yasgui/``)
and the reader processes behind them."""
