# One Connect service using every sidecar_service / proxy / sidecar_task field Nomad 1.8 parses.
job "everything" {
  group "api" {
    network {
      mode = "bridge"
      port "metrics" {
        to = -1
      }
      port "health" {
        to = -1
      }
    }

    service {
      name = "api"
      port = "8080"
      tags = ["v1"]
      task = "app"

      check {
        name     = "api-live"
        type     = "http"
        path     = "/live"
        interval = "10s"
        timeout  = "2s"
        expose   = true
        method   = "GET"
        header {
          Accept = ["application/json", 1]
        }
        check_restart {
          limit = 3
        }
      }

      check_restart {
        grace           = "30s"
        ignore_warnings = true
      }

      connect {
        sidecar_service {
          tags                      = ["sidecar"]
          port                      = "20000"
          disable_default_tcp_check = true

          meta {
            layer = "mesh"
          }

          proxy {
            local_service_address = "127.0.0.1"
            local_service_port    = 8080

            upstreams {
              destination_name       = "db"
              destination_namespace  = "data"
              destination_peer       = "dc2-peer"
              destination_type       = "service"
              local_bind_port        = 5432
              local_bind_address     = "127.0.0.2"
              datacenter             = "dc2"

              mesh_gateway {
                mode = "local"
              }

              config {
                connect_timeout_ms = 9999
              }
            }

            upstreams {
              destination_name       = "cache"
              local_bind_socket_path = "/alloc/cache.sock"
              local_bind_socket_mode = "0700"
            }

            expose {
              path {
                path            = "/metrics"
                protocol        = "http"
                local_path_port = 9102
                listener_port   = "metrics"
              }
              path {
                path            = "/grpc.health.v1.Health/Check"
                protocol        = "grpc"
                local_path_port = 9090
                listener_port   = "health"
              }
            }

            transparent_proxy {
              uid                    = "101"
              outbound_port          = 15001
              exclude_inbound_ports  = ["metrics", "9000"]
              exclude_outbound_ports = [443, 80]
              exclude_outbound_cidrs = ["10.0.0.0/8"]
              exclude_uids           = ["10"]
              no_dns                 = true
            }

            config {
              protocol         = "http"
              local_idle_timeout_ms = 30000
              envoy_stats_tags = ["service=api"]
            }
          }
        }

        sidecar_task {
          name           = "proxy"
          driver         = "docker"
          user           = "envoy"
          kill_timeout   = "10s"
          shutdown_delay = "2s"
          kill_signal    = "SIGTERM"

          config {
            image = "envoyproxy/envoy:v1.29.2"
            args  = ["-c", "${NOMAD_SECRETS_DIR}/envoy_bootstrap.json", "-l", "${meta.connect.log_level}"]
          }

          env {
            ENVOY_UID = "101"
          }

          resources {
            cpu        = 250
            memory     = 128
            memory_max = 256
          }

          meta {
            role = "proxy"
          }

          logs {
            max_files     = 2
            max_file_size = 2
          }
        }
      }
    }

    task "app" {
      driver = "exec"

      config {
        command = "/bin/api"
      }
    }
  }
}
