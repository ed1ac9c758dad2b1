#!/usr/bin/env bash
# Builds wolfSSL's example client and server with DTLS 1.3 from Debian's own source package:
# the only DTLS 1.3 peer available on Debian 12 (docs/DTLS13.md, ../shared/notes/dtls13-peers.md).
#
#   .ci/build-wolfssl.sh            build once, then print the directory (fast when cached)
#   .ci/build-wolfssl.sh --rebuild  discard the cached build and build again
#
# Result: $CACHE/wolfssl-dtls13 -> wolfssl-<debian version>-<flags hash>/ with
#   bin/server, bin/client   the examples, statically linked against that wolfSSL
#   certs/dh2048.pem         the examples refuse to start unless ./certs/dh2048.pem exists
#                            (their "wolf root" check): run them with this directory as cwd
#   BUILD-INFO               version, configure flags, build time
# CACHE is $DTLSIP_CACHE, default ~/.cache/dtlsip. A failed build leaves the reason in
# $CACHE/wolfssl-dtls13.failed, which WolfSslPeer quotes when it skips a test.
#
# Source packages are fetched with a private apt sources list and list directory, so the
# machine's apt configuration is never changed. Build tools (autoconf, automake, libtool,
# dpkg-dev) are installed with apt-get when missing and we are root.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
cache="${DTLSIP_CACHE:-$HOME/.cache/dtlsip}"
link="$cache/wolfssl-dtls13"
failed="$cache/wolfssl-dtls13.failed"

# What the tests need: DTLS 1.3 with connection IDs and the MTU option; PSK and tickets for
# resumption; CCM, X25519, Ed25519 and RSA-PSS for every 1.3 suite, group and signature we
# implement; SNI/ALPN/SRTP/exporters for the extensions. HAVE_SECRET_CALLBACK lets
# wolfssl-keylog.c log the TLS 1.3 secrets.
configure_flags=(--enable-dtls --enable-dtls13 --enable-dtlscid --enable-dtls-mtu
    --enable-psk --enable-session-ticket --enable-aesccm --enable-curve25519 --enable-ed25519
    --enable-rsapss --enable-supportedcurves --enable-sni --enable-alpn --enable-srtp
    --enable-keying-material --enable-examples --disable-shared --disable-crypttests
    --disable-benchmark)
cflags="-O2 -DHAVE_SECRET_CALLBACK"
# Upstream fixes applied to the Debian source, named so that changing them rebuilds.
patches="chacha20-record-number-counter-le (wolfSSL PR 6641); dtls13-resumption-psk-label (as later wolfSSL)"
flags_hash="$( { printf '%s\n' "${configure_flags[@]}" "$cflags" "$patches"; cat "$here/wolfssl-keylog.c"; } \
    | sha256sum | cut -c1-12)"

mkdir -p "$cache"
exec 9>"$cache/wolfssl-dtls13.lock"
flock 9 # two concurrent runs (CI and a developer's mvn) build once

if [ "${1:-}" = "--rebuild" ]; then
    rm -rf "$cache"/wolfssl-*-"$flags_hash" "$link"
fi
for dir in "$cache"/wolfssl-*-"$flags_hash"; do
    if [ -x "$dir/bin/server" ] && [ -x "$dir/bin/client" ]; then
        ln -sfn "$(basename "$dir")" "$link"
        rm -f "$failed"
        echo "$link"
        exit 0
    fi
done

fail() {
    echo "build-wolfssl.sh: $*" >&2
    printf '%s (%s)\n' "$*" "$(date -u +%FT%TZ)" >"$failed"
    exit 1
}

start=$(date +%s)
need=()
command -v autoreconf >/dev/null 2>&1 || need+=(autoconf)
command -v automake >/dev/null 2>&1 || need+=(automake)
command -v libtoolize >/dev/null 2>&1 || need+=(libtool)
command -v dpkg-source >/dev/null 2>&1 || need+=(dpkg-dev)
command -v cc >/dev/null 2>&1 || need+=(gcc)
command -v make >/dev/null 2>&1 || need+=(make)
if [ ${#need[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || fail "missing build tools (${need[*]}); install them or run as root"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null \
        || fail "apt-get install ${need[*]} failed"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/dtlsip-wolfssl.XXXXXX")"
trap 'rm -rf "$work"' EXIT
# deb-src entries for the suites the machine already uses (Debian's own signing key).
mkdir -p "$work/apt/sources.d" "$work/apt/lists/partial"
: >"$work/apt/none.list"
codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
[ -n "$codename" ] || fail "cannot tell the Debian release from /etc/os-release"
cat >"$work/apt/sources.d/debian-src.sources" <<EOF
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $codename $codename-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: $codename-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
apt_opts=(-o "Dir::Etc::SourceList=$work/apt/none.list" -o "Dir::Etc::SourceParts=$work/apt/sources.d"
    -o "Dir::State::Lists=$work/apt/lists" -o "APT::Sandbox::User=root")
apt-get -qq "${apt_opts[@]}" update >"$work/apt.log" 2>&1 || fail "apt-get update of deb-src lists failed: $(tail -1 "$work/apt.log")"
(cd "$work" && apt-get -qq "${apt_opts[@]}" source --download-only wolfssl >>"$work/apt.log" 2>&1) \
    || fail "apt-get source wolfssl failed: $(tail -1 "$work/apt.log")"
dsc="$(ls "$work"/wolfssl_*.dsc | head -1)"
version="$(basename "$dsc" .dsc | sed 's/^wolfssl_//')"
(cd "$work" && dpkg-source -x "$dsc" src >"$work/dpkg-source.log" 2>&1) \
    || fail "dpkg-source -x $dsc failed: $(tail -1 "$work/dpkg-source.log")"

cd "$work/src"
log="$work/build.log"
# wolfSSL before 5.6.4 byte-swaps the ChaCha20 record number mask counter on Linux: it tests
# "#ifdef BIG_ENDIAN", which glibc's <endian.h> defines on every machine. RFC 9147 4.2.3 feeds
# Ciphertext[0..3] to the ChaCha20 block function as its counter, a little-endian word (RFC 8439
# 2.3, as QUIC spells out in RFC 9001 5.4.4), which is also what wolfSSL meant and fixed in PR
# 6641 (5.6.4, "Dtls13GetRnMask: Correctly get chacha counter on BE systems"). Without the fix no
# TLS_CHACHA20_POLY1305_SHA256 record of this peer opens in an RFC-conformant implementation.
if grep -q '^#ifdef BIG_ENDIAN$' src/dtls13.c; then
    sed -i 's/^#ifdef BIG_ENDIAN$/#ifdef BIG_ENDIAN_ORDER/' src/dtls13.c
fi
# wolfSSL 5.5.4 derives a ticket's resumption PSK with the "tls13 " label prefix even in DTLS
# 1.3, where every HKDF-Expand-Label uses "dtls13" (RFC 9147 5.9); later wolfSSL picks
# dtls13ProtocolLabel there when ssl->options.dtls, as it already did for every other label.
# Without that no DTLS 1.3 ticket of this peer resumes with an RFC-conformant implementation
# ("binder does not verify" both ways; Dtls13WolfSslInteropTest's resumption tests).
if ! grep -A12 '^int DeriveResumptionPSK' src/tls13.c | grep -q dtls13ProtocolLabel; then
    sed -i '/WOLFSSL_MSG("Derive Resumption PSK");/a\
#ifdef WOLFSSL_DTLS13\
    if (ssl->options.dtls) {\
        protocol = dtls13ProtocolLabel;\
        protocolLen = DTLS13_PROTOCOL_LABEL_SZ;\
    }\
#endif' src/tls13.c
    grep -A12 '^int DeriveResumptionPSK' src/tls13.c | grep -q dtls13ProtocolLabel \
        || fail "could not patch DeriveResumptionPSK in wolfSSL $version"
fi
{ ./autogen.sh && ./configure "${configure_flags[@]}" CFLAGS="$cflags"; } >"$log" 2>&1 \
    || fail "wolfSSL $version configure failed: $(tail -3 "$log" | tr '\n' ' ')"
grep -q 'DTLS v1.3: *yes' "$log" || fail "wolfSSL $version configured without DTLS 1.3"
cc -O2 -I. -c "$here/wolfssl-keylog.c" -o keylog.o >>"$log" 2>&1 \
    || fail "compiling wolfssl-keylog.c failed: $(tail -3 "$log" | tr '\n' ' ')"
make -j"$(nproc)" examples/server/server examples/client/client \
    examples_server_server_LDADD="src/libwolfssl.la keylog.o" \
    examples_client_client_LDADD="src/libwolfssl.la keylog.o" \
    LDFLAGS="-Wl,--wrap=wolfSSL_new" >>"$log" 2>&1 \
    || fail "wolfSSL $version make failed: $(tail -3 "$log" | tr '\n' ' ')"

out="$cache/wolfssl-$version-$flags_hash"
rm -rf "$out.tmp"
mkdir -p "$out.tmp/bin" "$out.tmp/certs"
cp examples/server/server examples/client/client "$out.tmp/bin/"
cp certs/dh2048.pem "$out.tmp/certs/"
cat >"$out.tmp/BUILD-INFO" <<EOF
wolfssl $version (Debian source package, $codename)
configure ${configure_flags[*]} CFLAGS="$cflags"
linked with .ci/wolfssl-keylog.c (-Wl,--wrap=wolfSSL_new): NSS key log to \$SSLKEYLOGFILE
patched: $patches
built $(date -u +%FT%TZ) in $(( $(date +%s) - start )) s on $(nproc) cores
EOF
rm -rf "$out"
mv "$out.tmp" "$out"
ln -sfn "$(basename "$out")" "$link"
rm -f "$failed"
# Builds with other flags, patches or versions are stale now.
for old in "$cache"/wolfssl-*-*; do
    [ -d "$old" ] && [ "$old" != "$out" ] && rm -rf "$old"
done
echo "built wolfSSL $version with DTLS 1.3 in $(( $(date +%s) - start )) s" >&2
echo "$link"
