"""Helpers shared by the three services: config, input, upstream calls, health, logging, serving."""
