# verdict: accept
# source: client/taskenv setAlloc (NOMAD_GROUP_NAME is the group's name at submit time)
job "group-name" {
  group "checkout" {
    network {
      mode = "bridge"
    }

    service {
      name = "${NOMAD_GROUP_NAME}-svc"
      port = "9001"

      connect {
        sidecar_service {}
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/group-name:1"
      }
    }
  }
}
