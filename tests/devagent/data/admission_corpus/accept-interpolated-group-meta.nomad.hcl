# verdict: accept
# source: client/taskenv setAlloc: Job.CombinedTaskMeta(group, "") merges the job's and the group's meta
job "group-meta" {
  group "api" {
    meta {
      flavour = "blue"
    }

    network {
      mode = "bridge"
    }

    service {
      name = "api-${NOMAD_META_flavour}"
      port = "9001"

      connect {
        sidecar_service {}
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/group-meta:1"
      }
    }
  }
}
