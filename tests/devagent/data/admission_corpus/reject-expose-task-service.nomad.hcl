# verdict: reject
# stage: validate
# error: exposed service check api[web]->web-svc->service: "web-svc" check is not a task-group service
# source: nomad/job_endpoint_hook_expose_check.go tgValidateUseOfCheckExpose (exposed checks belong to group services)
job "expose-task" {
  group "api" {
    network {
      mode = "bridge"

      port "http" {
        to = 8080
      }
    }

    # services on the task

    task "web" {
      driver = "docker"

      config {
        image = "example/web:1"
      }

      service {
        name = "web-svc"
        port = "http"

        check {
          type     = "http"
          path     = "/health"
          expose   = true
          interval = "10s"
          timeout  = "2s"
        }
      }
    }
  }
}
