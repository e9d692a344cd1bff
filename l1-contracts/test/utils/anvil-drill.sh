# Sourced by the anvil drill scripts (test/*Anvil.sh, SCRIPT set to the script's name first): one
# local anvil from npm on a free port, stopped on exit, and `fail` naming the script.
anvil_log=$(mktemp)
anvil_pid=
cleanup() {
  if [ -n "$anvil_pid" ]; then kill "$anvil_pid" 2>/dev/null || true; fi
  rm -f "$anvil_log"
}
trap cleanup EXIT

fail() {
  echo "$SCRIPT: $*" >&2
  exit 1
}

# Starts anvil (chain 31337) and exports ETH_RPC_URL for cast.
start_anvil() {
  tools/anvil --port 0 --host 127.0.0.1 --chain-id 31337 >"$anvil_log" 2>&1 &
  anvil_pid=$!
  for _ in $(seq 1 100); do
    grep -q "Listening on" "$anvil_log" && break
    sleep 0.1
  done
  rpc="http://$(grep -o 'Listening on [0-9.:]*' "$anvil_log" | head -n1 | cut -d' ' -f3)"
  [ "$rpc" != "http://" ] || fail "anvil did not start: $(cat "$anvil_log")"
  export ETH_RPC_URL="$rpc"
}
