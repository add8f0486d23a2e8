#!/usr/bin/env bash
# Bring the mesh up on this machine: Consul and devagent unless live ones are configured,
# then deployer apply + verify. Safe to run twice. `make down` stops what this started.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
py="$root/.venv/bin/python"
run="$root/.run"
mkdir -p "$run"

answers() {  # $1: URL that must answer 200, $2: seconds to keep trying (default: one try)
  "$py" - "$1" "${2:-0}" <<'PY'
import sys, time, requests
deadline = time.monotonic() + float(sys.argv[2])
while True:
    try:
        if requests.get(sys.argv[1], timeout=2).ok:
            sys.exit(0)
    except requests.RequestException:
        pass
    if time.monotonic() >= deadline:
        sys.exit(1)
    time.sleep(0.2)
PY
}

ports_or_free() {  # $@: preferred ports; prints each one if free, else a free one
  "$py" -c "import sys; from devagent.ports import free_port, is_port_free as f
print(*(p if f(p) else free_port() for p in map(int, sys.argv[1:])))" "$@"
}

wait_for() {  # $1: URL, $2: what, $3: log file
  answers "$1" 30 && return 0
  echo "error: $2 did not answer at $1 within 30 s" >&2
  echo "hint: see $3" >&2
  exit 1
}

# Reuse what a previous `make up` started.
[ -f "$run/env" ] && . "$run/env"
acl="${ACL:-1}"
acl_args=()
[ "$acl" = 1 ] && acl_args=(-config-file "$root/acl/consul-acl.hcl")

if [ -n "${CONSUL_HTTP_ADDR:-}" ] && answers "http://${CONSUL_HTTP_ADDR#http://}/v1/status/leader"; then
  echo "consul: using the agent at $CONSUL_HTTP_ADDR"
else
  read -r port grpc serf_lan serf_wan server < <(ports_or_free 8500 8502 8301 8302 8300)
  cd "$run"  # a -dev agent reads ./services and ./checks of where it runs: not the checkout's services/
  setsid "$root/tools/bin/consul" agent -dev -bind 127.0.0.1 -client 127.0.0.1 \
    -http-port "$port" -dns-port -1 -grpc-port "$grpc" -serf-lan-port "$serf_lan" \
    -serf-wan-port "$serf_wan" -server-port "$server" "${acl_args[@]}" \
    -hcl 'limits { http_max_conns_per_client = 4096 }' >"$run/consul.log" 2>&1 </dev/null &
  echo $! > "$run/consul.pid"
  cd "$root"
  export CONSUL_HTTP_ADDR="127.0.0.1:$port"
  wait_for "http://$CONSUL_HTTP_ADDR/v1/agent/connect/ca/roots" "consul" "$run/consul.log"
  echo "consul: started a dev agent at $CONSUL_HTTP_ADDR (pid $(cat "$run/consul.pid"), log .run/consul.log)"
  rm -f "$run"/*.token  # a new dev agent knows none of the old tokens
fi

# ACLs: bootstrap (the management token stays in .run, 0600), policies from acl/policies, tokens.
unset CONSUL_HTTP_TOKEN
"$py" "$root/scripts/consul-acl.py" "$run"
token_of() { [ -f "$run/$1.token" ] && cat "$run/$1.token" || true; }

if [ -n "${NOMAD_ADDR:-}" ] && answers "${NOMAD_ADDR%/}/v1/status/leader"; then
  echo "nomad: using the agent at $NOMAD_ADDR"
else
  port=$(ports_or_free 4646)
  CONSUL_HTTP_TOKEN="$(token_of devagent)" setsid "$py" -m devagent -http-port "$port" -consul-addr "$CONSUL_HTTP_ADDR" \
    -data-dir "$run/devagent" >"$run/devagent.log" 2>&1 </dev/null &
  echo $! > "$run/devagent.pid"
  export NOMAD_ADDR="http://127.0.0.1:$port"
  wait_for "$NOMAD_ADDR/v1/status/leader" "devagent" "$run/devagent.log"
  echo "nomad: started devagent at $NOMAD_ADDR (pid $(cat "$run/devagent.pid"), log .run/devagent.log)"
fi

export CONSUL_HTTP_TOKEN="$(token_of deployer)"  # the deployer's token, never the management one
(umask 077; printf 'export CONSUL_HTTP_ADDR=%s\nexport NOMAD_ADDR=%s\nexport CONSUL_HTTP_TOKEN=%s\n' \
  "$CONSUL_HTTP_ADDR" "$NOMAD_ADDR" "$CONSUL_HTTP_TOKEN" > "$run/env")

"$py" -m deployer apply
"$py" -m deployer verify

# The live topology page (deployer ui), started once and stopped by `make down`.
if [ -f "$run/ui.pid" ] && kill -0 "$(cat "$run/ui.pid")" 2>/dev/null; then
  ui_url=$(cat "$run/ui.url")
else
  ui_port=$(ports_or_free 8765)
  setsid "$py" -m deployer ui --port "$ui_port" >"$run/ui.log" 2>&1 </dev/null &
  echo $! > "$run/ui.pid"
  ui_url="http://127.0.0.1:$ui_port/"
  wait_for "${ui_url}api/topology" "deployer ui" "$run/ui.log"
  echo "$ui_url" > "$run/ui.url"
fi

cat <<TXT

The mesh is up. Try:
  . .run/env                                   # point the deployer at these agents
  curl -s http://127.0.0.1:5000/ | python3 -m json.tool
  .venv/bin/deployer intentions deny invoice tax   # then curl again: invoice -> tax fails
  .venv/bin/deployer intentions allow invoice tax  # as declared again (a deleted one is denied: default deny)
  .venv/bin/deployer status
  curl -s http://$CONSUL_HTTP_ADDR/v1/connect/intentions   # no token: ACLs show nothing
  Consul UI: http://$CONSUL_HTTP_ADDR/ui/ (log in with the token in .run/env)
  Topology:  $ui_url   (live; click an edge to allow or deny it)
  make down                                    # stop what make up started
TXT
