"""Site weather: the canonical frame, readers and the synthetic generator."""
