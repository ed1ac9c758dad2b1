#!/usr/bin/env bash
# The paper's Tables 1 and 2 for today: datagrams/segments and bytes of one full handshake,
# DTLS 1.2 vs TLS 1.2 over TCP with OpenSSL s_server/s_client, plus our DTLS, for a ~562-byte
# and a ~1,671-byte certificate. Runs inside a fresh network namespace whose loopback has
# MTU 1500 (so TCP's MSS is 1460 as on Ethernet); tshark captures on that loopback.
# -mtu is the link MTU for both OpenSSL and our CLI (1500 = 1472-byte datagrams over IPv4).
#   bench/paper/handshake-sizes.sh [OUT.csv]      (needs root or unprivileged user namespaces)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$here/bench/results/handshake-sizes.csv}"
if [ "${INSIDE_NETNS:-}" != 1 ]; then
  exec unshare -rn env INSIDE_NETNS=1 bash "${BASH_SOURCE[0]}" "$out"
fi
ip link set lo mtu 1500 up
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"

# Self-signed certificates padded (OU= names, in subject and issuer) to at least the paper's sizes.
make_cert() { # name keyalg-args target
  local name=$1 target=$3 pad=0 size
  while :; do
    local subj="/CN=dtlsip" left=$pad
    while [ "$left" -gt 0 ]; do # OU values of at most 60 characters
      local k=$((left > 60 ? 60 : left)); subj="$subj/OU=$(printf 'x%.0s' $(seq 1 $k))"; left=$((left - k))
    done
    openssl req -x509 -new $2 -nodes -keyout "$name.key" -out "$name.pem" -days 365 \
      -subj "$subj" -sha256 2>/dev/null
    size=$(openssl x509 -in "$name.pem" -outform DER | wc -c)
    [ "$size" -ge "$target" ] && break
    pad=$((pad + (target - size + 3) / 4 + 0))
  done
  echo "$size"
}
small=$(make_cert small "-newkey ec -pkeyopt ec_paramgen_curve:P-256" 562)
large=$(make_cert large "-newkey rsa:2048" 1671)
echo "certificates: small EC P-256 $small bytes DER, large RSA-2048 $large bytes DER" >&2

port=4433
echo "cert,cert_der_bytes,suite,impl,protocol,c2s_packets,c2s_bytes,s2c_packets,s2c_bytes,packets,bytes,records,fragments,header_bytes,tcp_other_segments" >"$out"
run() { # cert suite impl proto
  local cert=$1 suite=$2 impl=$3 proto=$4 der
  der=$(openssl x509 -in "$cert.pem" -outform DER | wc -c)
  port=$((port + 1))
  tshark -q -i lo -f "port $port" -w cap.pcap 2>/dev/null & local ts=$!
  sleep 1.5
  local srv
  if [ "$impl" = ours ]; then
    "$here/bin/dtls-server" -port "$port" -cert "$work/$cert.pem" -key "$work/$cert.key" -cipher "$suite" -mtu 1500 -quiet \
      >/dev/null 2>&1 & srv=$!
    sleep 4
    "$here/bin/dtls-client" -connect 127.0.0.1:$port -insecure -cipher "$suite" -mtu 1500 </dev/null >/dev/null 2>&1 || true
  else
    local osuite; osuite=$([ "$suite" = ECDHE-ECDSA-AES128-GCM-SHA256 ] && echo ECDHE-ECDSA-AES128-GCM-SHA256 || echo ECDHE-RSA-AES128-GCM-SHA256)
    openssl s_server -$proto -accept $port -cert "$cert.pem" -key "$cert.key" -cipher "$osuite" -groups X25519:P-256 \
      -no_ticket -mtu 1500 -quiet >/dev/null 2>&1 </dev/null & srv=$!
    sleep 0.5
    (sleep 1) | openssl s_client -$proto -connect 127.0.0.1:$port -cipher "$osuite" -groups X25519:P-256 -mtu 1500 \
      >/dev/null 2>&1 || true
  fi
  sleep 0.5; kill $srv 2>/dev/null || true; wait $srv 2>/dev/null || true
  sleep 0.5; kill $ts; wait $ts 2>/dev/null || true
  local layer=tls; [ "$proto" = dtls1_2 ] && layer=dtls
  # per frame: source port, transport payload length, record content types, handshake types
  tshark -r cap.pcap -o tls.desegment_ssl_records:FALSE -o tcp.desegment_tcp_streams:FALSE -T fields -E separator=';' \
    -e udp.srcport -e tcp.srcport -e udp.length -e tcp.len -e $layer.record.content_type -e $layer.handshake.type \
    >frames.txt 2>/dev/null
  awk -F';' -v sp=$port -v cert=$3 -v name="$cert" -v der="$der" -v suite="$suite" -v impl="$impl" -v proto="$proto" '
    { src = ($1 != "" ? $1 : $2); len = ($3 != "" ? $3 - 8 : $4); types = $5; hs = $6
      if (len <= 0) { other++; next }
      if (types !~ /(^|,)(20|22)(,|$)/) next
      n = split(types, t, ","); nh = (hs == "" ? 0 : split(hs, h, ","))
      recs += n; frags += nh
      if (src == sp) { sp_pk++; sp_b += len } else { cp_pk++; cp_b += len } }
    END { hdr = (proto == "dtls1_2") ? 13 * recs + 12 * frags : 5 * recs + 4 * frags
          printf "%s,%s,%s,%s,%s,%d,%d,%d,%d,%d,%d,%d,%d,%d,%s\n", name, der, suite, impl, proto, cp_pk, cp_b, sp_pk, sp_b,
            cp_pk + sp_pk, cp_b + sp_b, recs, frags, hdr, (proto == "dtls1_2" ? "" : other) }' frames.txt >>"$out"
  tail -1 "$out" >&2
}
for c in small large; do
  suite=$([ $c = small ] && echo ECDHE-ECDSA-AES128-GCM-SHA256 || echo ECDHE-RSA-AES128-GCM-SHA256)
  run $c $suite openssl dtls1_2
  run $c $suite openssl tls1_2
  run $c $suite ours dtls1_2
done
echo "CSV: $out" >&2
