"""Nomad's job admission (v1.8): the agent's api->structs conversion, the server's mutators and validators."""
