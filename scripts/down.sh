#!/usr/bin/env bash
# Stop what `make up` started, by the PIDs it recorded, and nothing else.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
run="$root/.run"

stop_group() {  # $1: name, $2: pid file
  local pidfile="$2" pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL -- "-$pid" 2>/dev/null
    echo "$1: stopped (pid $pid)"
  else
    echo "$1: was not running"
  fi
  rm -f "$pidfile"
}

stop_group "deployer ui" "$run/ui.pid"
rm -f "$run/ui.url"
# devagent first: it stops the jobs and deregisters them from Consul on SIGTERM.
stop_group devagent "$run/devagent.pid"
started_consul=0
[ -f "$run/consul.pid" ] && started_consul=1
stop_group consul "$run/consul.pid"
rm -f "$run/env"
[ "$started_consul" = 1 ] && rm -f "$run"/*.token  # the dev agent's tokens died with it
true
