# verdict: accept
# source: docs/job-specification/task.mdx (kill_signal, kill_timeout under the progress deadline, shutdown_delay, leader)
job "kill" {
  group "api" {
    shutdown_delay = "5s"

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

    task "api" {
      driver         = "docker"
      leader         = true
      kill_signal    = "SIGTERM"
      kill_timeout   = "45s"
      shutdown_delay = "3s"

      config {
        image = "example/api:1"
      }
    }
  }
}
