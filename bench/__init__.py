"""Benchmarks of the mesh: apply time, intention enforcement delay, sidecar overhead, resources, scale."""
