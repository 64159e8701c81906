"""Places: Vietnam's official administrative units (the gazetteer) and linking an article's
places to them."""
