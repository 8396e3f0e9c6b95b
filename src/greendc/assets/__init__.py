"""Physics of the assets as pure functions, and the profiles orchestrator."""
