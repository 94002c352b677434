#!/bin/sh
# rackdeck-agent: the Linux heartbeat agent of Rackdeck.
#
# Every run measures this machine once and POSTs it to Rackdeck's agent receiver:
# hostname, Proxmox VM id and node (if set), CPU % (two reads of /proc/stat), RAM used/total
# (/proc/meminfo), disk used/total of / (df), uptime and a timestamp. A timer runs it every
# 30 s; when the heartbeats stop, Rackdeck marks the machine down and (if enabled for it)
# resets the hung VM through Proxmox.
#
# POSIX sh only (dash, busybox ash, bash all work); needs curl or wget, nothing else.
#
# Configuration: /etc/rackdeck-agent.conf (mode 0600, owner root), KEY=value lines:
#     URL=http://192.168.1.10:7374     where Rackdeck's receiver listens
#     KEY=rdk_...                      this agent's key (Rackdeck shows it once)
#     VMID=105                         optional: the Proxmox guest id
#     NODE=pve1                        optional: the Proxmox node
# The environment variables URL, KEY, VMID and NODE override the file; RACKDECK_AGENT_CONF
# names another file. RACKDECK_HTTP=curl|wget forces the HTTP client.
#
# Install (what Rackdeck's "Install agent" does over SSH):
#     install -m 0755 rackdeck-agent.sh /usr/local/bin/rackdeck-agent
#     install -m 0600 rackdeck-agent.conf /etc/rackdeck-agent.conf
#     install -m 0644 rackdeck-agent.service rackdeck-agent.timer /etc/systemd/system/
#     systemctl daemon-reload && systemctl enable --now rackdeck-agent.timer
# Without systemd, a cron fallback in /etc/cron.d/rackdeck-agent (cron has minutes only, so
# two runs a minute):
#     * * * * * root /usr/local/bin/rackdeck-agent >/dev/null 2>&1; sleep 30; /usr/local/bin/rackdeck-agent >/dev/null 2>&1
#
# Usage: rackdeck-agent [--print | --check | --help]
#     (none)    measure and send one report
#     --print   measure and print the JSON report, send nothing
#     --check   ask the receiver whether it is reachable and knows this key
# Exit codes: 0 sent, 1 bad configuration, 2 no curl or wget, 3 not delivered or refused.

set -u

AGENT_VERSION=1
CONF=${RACKDECK_AGENT_CONF:-/etc/rackdeck-agent.conf}

say() { printf 'rackdeck-agent: %s\n' "$*" >&2; }
die() { code=$1; shift; say "$*"; exit "$code"; }

mode=send
case ${1:-} in
  '') ;;
  --print) mode=print ;;
  --check) mode=check ;;
  -h|--help) sed -n '2,35p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) die 1 "unknown option: $1 (try --help)" ;;
esac

# --- configuration: the file is parsed, never sourced, so it cannot run code -----------------
conf_url='' conf_key='' conf_vmid='' conf_node=''
if [ -r "$CONF" ]; then
  while IFS= read -r line || [ -n "$line" ]; do
    case $line in ''|'#'*) continue ;; esac
    k=${line%%=*}
    v=${line#*=}
    case $v in
      \"*\") v=${v#\"}; v=${v%\"} ;;
      \'*\') v=${v#\'}; v=${v%\'} ;;
    esac
    case $k in
      URL) conf_url=$v ;;
      KEY) conf_key=$v ;;
      VMID) conf_vmid=$v ;;
      NODE) conf_node=$v ;;
    esac
  done < "$CONF"
fi
URL=${URL:-$conf_url}
KEY=${KEY:-$conf_key}
VMID=${VMID:-$conf_vmid}
NODE=${NODE:-$conf_node}
URL=${URL%/}

case $URL in
  http://?*|https://?*) ;;
  '') [ "$mode" = print ] || die 1 "no URL: set it in $CONF or the environment" ;;
  *) die 1 "URL must start with http:// or https://" ;;
esac
case $URL in *[!]A-Za-z0-9.:/_%[-]*) die 1 "URL holds characters that do not belong in it" ;; esac
if [ "$mode" != print ]; then
  case $KEY in
    rdk_*) ;;
    '') die 1 "no KEY: set it in $CONF or the environment" ;;
    *) die 1 "KEY does not look like a Rackdeck agent key (rdk_...)" ;;
  esac
  case $KEY in *[!A-Za-z0-9_-]*) die 1 "KEY holds characters that do not belong in it" ;; esac
fi
case $VMID in *[!0-9]*) die 1 "VMID must be digits only" ;; esac
case $NODE in *[!A-Za-z0-9.-]*) die 1 "NODE must be a Proxmox node name" ;; esac

# --- measurements --------------------------------------------------------------------------
cpu_counters() {
  # cpu  user nice system idle iowait irq softirq steal ...  (old kernels lack the last ones)
  read -r _cpu c_user c_nice c_sys c_idle c_wait c_irq c_soft c_steal _rest < /proc/stat
  c_total=$(( c_user + c_nice + c_sys + c_idle + ${c_wait:-0} + ${c_irq:-0} + ${c_soft:-0} + ${c_steal:-0} ))
  c_idle_all=$(( c_idle + ${c_wait:-0} ))
}

cpu_counters
t1=$c_total i1=$c_idle_all
sleep "${RACKDECK_SAMPLE_SECONDS:-1}" 2>/dev/null || sleep 1
cpu_counters
dt=$(( c_total - t1 ))
di=$(( c_idle_all - i1 ))
if [ "$dt" -gt 0 ]; then tenths=$(( (1000 * (dt - di)) / dt )); else tenths=0; fi
[ "$tenths" -lt 0 ] && tenths=0
[ "$tenths" -gt 1000 ] && tenths=1000
cpu_percent="$(( tenths / 10 )).$(( tenths % 10 ))"

mem_total='' mem_avail='' mem_free='' mem_buffers='' mem_cached=''
while read -r k v _unit; do
  case $k in
    MemTotal:) mem_total=$v ;;
    MemAvailable:) mem_avail=$v ;;
    MemFree:) mem_free=$v ;;
    Buffers:) mem_buffers=$v ;;
    Cached:) mem_cached=$v ;;
  esac
done < /proc/meminfo
[ -n "$mem_total" ] || die 3 "cannot read MemTotal from /proc/meminfo"
# Kernels before 3.14 have no MemAvailable: free + buffers + cache is the classic estimate.
[ -n "$mem_avail" ] || mem_avail=$(( ${mem_free:-0} + ${mem_buffers:-0} + ${mem_cached:-0} ))
[ "$mem_avail" -le "$mem_total" ] || mem_avail=$mem_total
mem_total_b=$(( mem_total * 1024 ))
mem_used_b=$(( (mem_total - mem_avail) * 1024 ))

disk=$(df -P -k / 2>/dev/null | { read -r _header; read -r _fs d_total d_used _rest; echo "${d_total:-0} ${d_used:-0}"; })
disk_total_b=$(( ${disk%% *} * 1024 ))
disk_used_b=$(( ${disk##* } * 1024 ))
[ "$disk_used_b" -le "$disk_total_b" ] || disk_used_b=$disk_total_b

read -r up _idle < /proc/uptime
uptime_s=${up%%.*}

host=$(hostname 2>/dev/null || cat /proc/sys/kernel/hostname 2>/dev/null)
host=$(printf '%s' "$host" | tr -cd 'A-Za-z0-9._-')
[ -n "$host" ] || host=unknown
now=$(date +%s)

extra=''
[ -n "$VMID" ] && extra="$extra,\"vmid\":$VMID"
[ -n "$NODE" ] && extra="$extra,\"node\":\"$NODE\""
body=$(printf '{"hostname":"%s","cpuPercent":%s,"memUsedBytes":%s,"memTotalBytes":%s,"diskUsedBytes":%s,"diskTotalBytes":%s,"uptimeSeconds":%s,"timestamp":%s,"agent":"rackdeck-agent.sh/%s"%s}' \
  "$host" "$cpu_percent" "$mem_used_b" "$mem_total_b" "$disk_used_b" "$disk_total_b" "$uptime_s" "$now" "$AGENT_VERSION" "$extra")

if [ "$mode" = print ]; then
  printf '%s\n' "$body"
  exit 0
fi

# --- delivery --------------------------------------------------------------------------------
http=${RACKDECK_HTTP:-}
if [ -z "$http" ]; then
  if command -v curl >/dev/null 2>&1; then http=curl
  elif command -v wget >/dev/null 2>&1; then http=wget
  else die 2 "neither curl nor wget is installed"
  fi
fi

tmp=$(mktemp -d 2>/dev/null) || die 3 "cannot create a temporary folder"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 3' INT TERM
umask 077

# The key never goes on a command line (other users could read it in ps): curl reads it from
# its config on stdin, GNU wget from a private wgetrc. Busybox wget has neither; there, and
# only there, it is passed as --header.
request() { # method path -> sets $status, response body in $tmp/resp
  url="$URL$2"
  : > "$tmp/resp"
  case $http in
    curl)
      status=$(printf 'header = "Authorization: Bearer %s"\n' "$KEY" | {
        if [ "$1" = POST ]; then
          curl -sS -m 15 -K - -H 'Content-Type: application/json' --data-binary "$body" -o "$tmp/resp" -w '%{http_code}' "$url"
        else
          curl -sS -m 15 -K - -o "$tmp/resp" -w '%{http_code}' "$url"
        fi
      } 2>"$tmp/err") || status=000
      ;;
    wget)
      if wget --version 2>/dev/null | grep -q 'GNU Wget'; then
        printf 'header = Authorization: Bearer %s\n' "$KEY" > "$tmp/wgetrc"
        set -- "$1" --config="$tmp/wgetrc" --content-on-error
      else
        set -- "$1" --header "Authorization: Bearer $KEY"
      fi
      m=$1; shift
      if [ "$m" = POST ]; then
        wget -q -S -T 15 -t 1 -O "$tmp/resp" "$@" --header 'Content-Type: application/json' --post-data "$body" "$url" 2>"$tmp/err"
      else
        wget -q -S -T 15 -t 1 -O "$tmp/resp" "$@" "$url" 2>"$tmp/err"
      fi
      status=$(sed -n 's/.*HTTP\/[0-9.]* \([0-9][0-9][0-9]\).*/\1/p' "$tmp/err" | tail -n 1)
      [ -n "$status" ] || status=000
      ;;
    *) die 2 "RACKDECK_HTTP must be curl or wget" ;;
  esac
}

if [ "$mode" = check ]; then
  request GET /api/health/ping
else
  request POST /api/health/report
fi

case $status in
  2??)
    [ "$mode" = check ] && { cat "$tmp/resp"; echo; }
    exit 0
    ;;
  000)
    say "could not reach $URL: $(cut -c 1-300 "$tmp/err" | head -n 3 | tr "\n" " ")"
    exit 3
    ;;
  *)
    say "the receiver answered HTTP $status: $(cut -c 1-500 "$tmp/resp" | head -n 5)"
    exit 3
    ;;
esac
