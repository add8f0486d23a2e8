"""The mesh as a picture: services, upstream edges, intentions, health and sidecar statistics."""
