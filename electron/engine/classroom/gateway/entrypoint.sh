#!/bin/sh
# Writes tinyproxy's configuration at start: the only client allowed is the gateway of the
# container's first (bridge) network, i.e. the host publishing 127.0.0.1:<port> — never an
# address on a student's overlay. CONNECT only to the ports the front door proxies.
set -eu
host_side=$(ip route | awk '/^default/ { print $3; exit }')
if [ -z "$host_side" ]; then
  echo "classroom gateway: no default route, cannot tell the host side" >&2
  exit 1
fi
ports=${GATEWAY_CONNECT_PORTS:-8888}
{
  echo "Port 3128"
  echo "Listen 0.0.0.0"
  echo "Timeout 3600"
  echo "MaxClients 200"
  echo "LogLevel Notice"
  echo "User nobody"
  echo "Group nogroup"
  echo "DisableViaHeader Yes"
  echo "Allow $host_side"
  for p in $ports; do echo "ConnectPort $p"; done
} > /etc/tinyproxy/gateway.conf
echo "classroom gateway: CONNECT to ports $ports, clients from $host_side only"
exec tinyproxy -d -c /etc/tinyproxy/gateway.conf
