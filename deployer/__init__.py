"""The deployer: renders the mesh's Nomad jobs, applies them, and keeps Consul intentions in step."""
