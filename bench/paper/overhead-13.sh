#!/usr/bin/env bash
# The paper's overhead table for DTLS 1.3 against TLS 1.3 over TCP (issue 14): one full handshake
# and one 1,200-byte application record, captured with tshark on the loopback of a fresh network
# namespace (MTU 1500). Same EC P-256 certificate, X25519 key share (P-256 for wolfSSL, and
# TLS 1.3 once more with P-256 to compare with it), TLS_AES_128_GCM_SHA256,
# server authentication only, no tickets where the program can turn them off.
#   TLS 1.3   openssl s_server/s_client -tls1_3 -num_tickets 0
#   DTLS 1.3  ours: bin/dtls-server/bin/dtls-client -dtls1_3 (cookie HelloRetryRequest, our default)
#             wolfSSL 5.5.4 example server/client -u -v 4 (with its cookie, and with -J n)
# The client sends a 1,200-byte line (1,199 characters and a newline) once connected. Counted per
# direction: the transport payload (UDP payload or TCP segment data, record headers included)
# of every datagram or data-carrying segment before the one holding that record (the handshake;
# for DTLS only datagrams whose first record is a plaintext handshake/CCS record or a DTLS 1.3
# record of epoch 2, so ACKs and NewSessionTickets in epoch 3 are out, as in bench's CountingRelay),
# and that record's overhead = its datagram/segment payload - 1,200. TCP's SYN, ACK and FIN
# segments carry no data and are left out (TCP's own handshake is one more round trip).
#   bench/paper/overhead-13.sh [OUT.csv]      (needs unprivileged user namespaces or root)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${1:-$here/bench/results/overhead-13.csv}"
if [ "${INSIDE_NETNS:-}" != 1 ]; then
  exec unshare -rn env INSIDE_NETNS=1 bash "${BASH_SOURCE[0]}" "$out"
fi
ip link set lo mtu 1500 up
wolf="${WOLFSSL_HOME:-$HOME/.cache/dtlsip/wolfssl-dtls13}"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout key.pem -out cert.pem -days 2 \
  -subj /CN=dtlsip-bench -sha256 2>/dev/null
der=$(openssl x509 -in cert.pem -outform DER | wc -c)
echo "certificate: EC P-256, $der bytes DER" >&2
printf '%01199d\n' 0 >line.txt
echo "impl,protocol,key_share,cert_der_bytes,hs_c2s_packets,hs_c2s_bytes,hs_s2c_packets,hs_s2c_bytes,hs_packets,hs_bytes,flights,record_payload,record_wire_bytes,record_overhead" >"$out"

port=5000
run() { # impl protocol transport [groups]
  local impl=$1 proto=$2 transport=$3 groups=${4:-X25519:P-256} srv
  port=$((port + 1))
  tshark -q -i lo -f "$transport port $port" -w "$work/cap.pcap" 2>/dev/null & local ts=$!
  sleep 3 # tshark takes a while to start on a loaded machine
  case $impl in
    openssl)
      local extra=(); [ "$proto" = tls1_3 ] && extra=(-num_tickets 0) || extra=(-no_ticket)
      openssl s_server -$proto -accept $port -cert cert.pem -key key.pem -groups $groups "${extra[@]}" -mtu 1500 \
        -quiet < <(sleep 10) >/dev/null 2>&1 & srv=$! # an open stdin: at its end s_server closes the connection
      sleep 0.5
      (cat line.txt; sleep 1) | openssl s_client -$proto -connect 127.0.0.1:$port -groups $groups -mtu 1500 \
        >/dev/null 2>&1 || true ;;
    ours)
      "$here/bin/dtls-server" -port $port -cert "$work/cert.pem" -key "$work/key.pem" -dtls1_3 -mtu 1500 -quiet \
        >/dev/null 2>&1 & srv=$!
      sleep 4
      (cat line.txt; sleep 1) | "$here/bin/dtls-client" -connect 127.0.0.1:$port -insecure -dtls1_3 -mtu 1500 -quiet \
        >/dev/null 2>&1 || true ;;
    wolfssl|wolfssl-nocookie)
      local j=(); [ $impl = wolfssl-nocookie ] && j=(-J n)
      (cd "$wolf" && exec ./bin/server -u -v 4 -p $port -c "$work/cert.pem" -k "$work/key.pem" -d "${j[@]}" \
        -l TLS13-AES128-GCM-SHA256 -e) >/dev/null 2>&1 & srv=$!
      sleep 0.5
      # wolfSSL offers a P-256 key share (65 bytes, X25519 32): with -t its server still asked for P-256 by a
      # HelloRetryRequest, so P-256 it is. The client sends its own 14-byte message, then this line (-e: echoed)
      (cd "$wolf" && ./bin/client -u -v 4 -p $port -x -A "$work/cert.pem" -l TLS13-AES128-GCM-SHA256 \
        -B 1200,1200) >/dev/null 2>&1 || true ;;
  esac
  sleep 0.5; kill $srv 2>/dev/null || true; wait $srv 2>/dev/null || true
  sleep 0.5; kill $ts; wait $ts 2>/dev/null || true
  # per frame: source port, transport payload length, first payload byte (UDP)
  tshark -r cap.pcap -T fields -E separator=';' -e udp.srcport -e tcp.srcport -e udp.length -e tcp.len -e udp.payload \
    >frames.txt 2>/dev/null
  mkdir -p "$out.frames" && cp frames.txt "$out.frames/$impl-$proto.txt" # what the row was computed from
  awk -F';' -v sp=$port -v der="$der" -v impl="$impl" -v proto="$proto" -v groups="${groups%%:*}" '
    function hex(s) { return index("0123456789abcdef", substr(s, 1, 1)) * 16 + index("0123456789abcdef", substr(s, 2, 1)) - 17 }
    { src = ($1 != "" ? $1 : $2); len = ($3 != "" ? $3 - 8 : $4)
      if (len <= 0 || done) next
      if (src != sp && len >= 1200) { rec = len; done = 1; next } # the 1,200-byte record
      if ($5 != "") { # DTLS: plaintext handshake/CCS records, or 1.3 unified headers (001CSLEE) of epoch 2
        b = hex($5)
        if (!(b == 22 || b == 20 || (int(b / 32) == 1 && b % 4 == 2))) next
      }
      to = (src == sp ? "s" : "c")
      if (to != last) { flights++; last = to }
      if (src == sp) { sp_pk++; sp_b += len } else { cp_pk++; cp_b += len } }
    END { printf "%s,%s,%s,%d,%d,%d,%d,%d,%d,%d,%d,1200,%d,%d\n", impl, proto, groups, der, cp_pk, cp_b, sp_pk, sp_b,
            cp_pk + sp_pk, cp_b + sp_b, flights, rec, rec - 1200 }' frames.txt >>"$out"
  tail -1 "$out" >&2
}
run openssl tls1_3 tcp
run openssl tls1_3 tcp P-256
run ours dtls1_3 udp
run wolfssl dtls1_3 udp P-256
run wolfssl-nocookie dtls1_3 udp P-256
echo "CSV: $out" >&2
