# verdict: reject
# stage: validate
# error: Consul Connect service name "Store-front" in group "front" must not contain uppercase characters
# source: nomad/structs/services.go Service.Canonicalize replaces ${JOB}, ${TASKGROUP}, ${TASK}, ${BASE}; the Connect name
# source: check then sees the job's upper case
job "Store" {
  group "front" {
    network {
      mode = "bridge"
    }

    service {
      name = "${JOB}-front"
      port = "9001"

      connect {
        sidecar_service {}
      }
    }

    task "app" {
      driver = "docker"

      config {
        image = "example/Store:1"
      }
    }
  }
}
