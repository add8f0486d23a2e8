"""Verify that the mesh answers and enforces the declared intentions in the data plane."""
