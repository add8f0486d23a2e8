"""Sidecar runtimes: one proxy process per Connect service."""
