# verdict: accept
# warning: Group "api" has warnings: 1 error occurred:
# warning: Update max parallel count is greater than task group count (3 > 2). A destructive change would result in the simultaneous replacement of all allocations.
# source: nomad/structs/structs.go TaskGroup.Warnings (max_parallel above a count over 1), nested under the group's name
job "wide-update" {
  group "api" {
    count = 2

    update {
      max_parallel = 3
    }

    network {
      mode = "bridge"
    }

    service {
      name = "api"
      port = "9001"

      connect {
        sidecar_service {}
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/wide-update:1"
      }
    }
  }
}
