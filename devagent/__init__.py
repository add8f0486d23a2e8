"""devagent: a dev agent that speaks Nomad's HTTP API and runs jobs on this host."""
