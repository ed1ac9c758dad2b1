/*
 * An OpenSSL DTLS 1.2 client loop for the dtlsip benchmarks, so that OpenSSL-to-OpenSSL
 * figures are not dominated by process start-up (one `openssl s_client` per handshake).
 *
 *   openssl_dtls_client handshake HOST PORT CAFILE WARMUP COUNT
 *       full handshakes one after another (new socket and SSL each, no session reuse); prints
 *       one line per measured handshake, "hs NANOS", then "total NANOS" for the measured loop
 *       (handshake plus close_notify, as the Java contenders are timed).
 *   openssl_dtls_client bulk HOST PORT CAFILE SECONDS SIZE
 *       one handshake, then SSL_write of SIZE-byte records for SECONDS; prints "sent N" and
 *       "cpu USER_NS SYS_NS", this process's CPU time over the sending loop.
 *   openssl_dtls_client receive PORT CERTFILE KEYFILE
 *       a bulk receiver (s_server writes everything it reads to stdout, which caps it far below
 *       OpenSSL's record rate): binds 127.0.0.1:PORT, prints "ready", serves the first client
 *       (no cookie exchange), and every 100 ms prints "received BYTES RECORDS USER_NS SYS_NS"
 *       (cumulative; the last two its CPU time) until the client's close_notify.
 *
 * Suite ECDHE-ECDSA-AES128-GCM-SHA256, group P-256, link MTU 1400, server certificate
 * verified against CAFILE. Everything else is OpenSSL's default (e.g. the session_ticket
 * extension is offered, as by s_client).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* User and system CPU of this (single-threaded) process, in nanoseconds. */
static void cpu_ns(long long *user, long long *sys) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    *user = (long long) ru.ru_utime.tv_sec * 1000000000LL + (long long) ru.ru_utime.tv_usec * 1000LL;
    *sys = (long long) ru.ru_stime.tv_sec * 1000000000LL + (long long) ru.ru_stime.tv_usec * 1000LL;
}

static void die(const char *what) {
    fprintf(stderr, "openssl_dtls_client: %s\n", what);
    ERR_print_errors_fp(stderr);
    exit(1);
}

static SSL_CTX *make_ctx(const char *cafile) {
    SSL_CTX *ctx = SSL_CTX_new(DTLS_client_method());
    if (ctx == NULL) die("SSL_CTX_new");
    SSL_CTX_set_min_proto_version(ctx, DTLS1_2_VERSION);
    SSL_CTX_set_max_proto_version(ctx, DTLS1_2_VERSION);
    if (SSL_CTX_set_cipher_list(ctx, "ECDHE-ECDSA-AES128-GCM-SHA256") != 1) die("cipher list");
    if (SSL_CTX_set1_groups_list(ctx, "P-256") != 1) die("groups");
    if (SSL_CTX_load_verify_locations(ctx, cafile, NULL) != 1) die("CA file");
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    return ctx;
}

/* A new socket and SSL, handshake done; returns NULL on failure. */
static SSL *connect_one(SSL_CTX *ctx, struct sockaddr_in *server) {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) die("socket");
    if (connect(fd, (struct sockaddr *) server, sizeof *server) != 0) die("connect");
    BIO *bio = BIO_new_dgram(fd, BIO_CLOSE);
    BIO_ctrl(bio, BIO_CTRL_DGRAM_SET_CONNECTED, 0, server);
    SSL *ssl = SSL_new(ctx);
    SSL_set_bio(ssl, bio, bio);
    SSL_set_options(ssl, SSL_OP_NO_QUERY_MTU);
    DTLS_set_link_mtu(ssl, 1400);
    if (SSL_connect(ssl) != 1) {
        ERR_print_errors_fp(stderr);
        SSL_free(ssl);
        return NULL;
    }
    return ssl;
}

static int receive_loop(int port, const char *certfile, const char *keyfile) {
    SSL_CTX *ctx = SSL_CTX_new(DTLS_server_method());
    if (ctx == NULL) die("SSL_CTX_new");
    SSL_CTX_set_min_proto_version(ctx, DTLS1_2_VERSION);
    SSL_CTX_set_max_proto_version(ctx, DTLS1_2_VERSION);
    if (SSL_CTX_set_cipher_list(ctx, "ECDHE-ECDSA-AES128-GCM-SHA256") != 1) die("cipher list");
    if (SSL_CTX_set1_groups_list(ctx, "P-256") != 1) die("groups");
    if (SSL_CTX_use_certificate_file(ctx, certfile, SSL_FILETYPE_PEM) != 1) die("certificate");
    if (SSL_CTX_use_PrivateKey_file(ctx, keyfile, SSL_FILETYPE_PEM) != 1) die("key");
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in local;
    memset(&local, 0, sizeof local);
    local.sin_family = AF_INET;
    local.sin_port = htons((unsigned short) port);
    local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *) &local, sizeof local) != 0) die("bind");
    printf("ready\n");
    fflush(stdout);
    struct sockaddr_in peer;
    socklen_t peer_len = sizeof peer;
    char probe[1];
    if (recvfrom(fd, probe, 1, MSG_PEEK, (struct sockaddr *) &peer, &peer_len) < 0) die("recvfrom");
    if (connect(fd, (struct sockaddr *) &peer, peer_len) != 0) die("connect");
    BIO *bio = BIO_new_dgram(fd, BIO_CLOSE);
    BIO_ctrl(bio, BIO_CTRL_DGRAM_SET_CONNECTED, 0, &peer);
    SSL *ssl = SSL_new(ctx);
    SSL_set_bio(ssl, bio, bio);
    SSL_set_options(ssl, SSL_OP_NO_QUERY_MTU);
    DTLS_set_link_mtu(ssl, 1400);
    if (SSL_accept(ssl) != 1) die("SSL_accept");
    struct timeval tv = {0, 100000};
    BIO_ctrl(bio, BIO_CTRL_DGRAM_SET_RECV_TIMEOUT, 0, &tv);
    static unsigned char buf[1 << 16];
    long long bytes = 0, records = 0;
    long long next_report = now_ns();
    for (;;) {
        int n = SSL_read(ssl, buf, sizeof buf);
        if (n > 0) {
            bytes += n;
            records++;
        } else if (SSL_get_error(ssl, n) != SSL_ERROR_WANT_READ) {
            break;
        }
        if (now_ns() >= next_report) {
            long long user, sys;
            cpu_ns(&user, &sys);
            printf("received %lld %lld %lld %lld\n", bytes, records, user, sys);
            fflush(stdout);
            next_report = now_ns() + 100000000LL;
        }
    }
    long long user, sys;
    cpu_ns(&user, &sys);
    printf("received %lld %lld %lld %lld\n", bytes, records, user, sys);
    fflush(stdout);
    SSL_free(ssl);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 5 && strcmp(argv[1], "receive") == 0) {
        return receive_loop(atoi(argv[2]), argv[3], argv[4]);
    }
    if (argc != 7) {
        fprintf(stderr, "usage: %s handshake HOST PORT CAFILE WARMUP COUNT | bulk HOST PORT CAFILE SECONDS SIZE\n", argv[0]);
        return 2;
    }
    struct sockaddr_in server;
    memset(&server, 0, sizeof server);
    server.sin_family = AF_INET;
    server.sin_port = htons((unsigned short) atoi(argv[3]));
    if (inet_pton(AF_INET, argv[2], &server.sin_addr) != 1) die("address");
    SSL_CTX *ctx = make_ctx(argv[4]);

    if (strcmp(argv[1], "handshake") == 0) {
        int warmup = atoi(argv[5]);
        int count = atoi(argv[6]);
        long long *samples = calloc((size_t) count, sizeof *samples);
        long long start = 0;
        for (int i = 0; i < warmup + count; i++) {
            if (i == warmup) start = now_ns();
            long long t0 = now_ns();
            SSL *ssl = connect_one(ctx, &server);
            long long t1 = now_ns();
            if (ssl == NULL) die("handshake failed");
            if (i >= warmup) samples[i - warmup] = t1 - t0;
            SSL_shutdown(ssl); /* sends close_notify; does not wait for the peer's */
            SSL_free(ssl);
        }
        long long total = now_ns() - start;
        for (int i = 0; i < count; i++) printf("hs %lld\n", samples[i]);
        printf("total %lld\n", total);
        return 0;
    }
    if (strcmp(argv[1], "bulk") == 0) {
        double seconds = atof(argv[5]);
        int size = atoi(argv[6]);
        unsigned char *payload = calloc((size_t) size, 1);
        memset(payload, 'x', (size_t) size);
        SSL *ssl = connect_one(ctx, &server);
        if (ssl == NULL) die("handshake failed");
        long long sent = 0;
        long long user0, sys0, user1, sys1;
        cpu_ns(&user0, &sys0);
        long long end = now_ns() + (long long) (seconds * 1e9);
        while (now_ns() < end) {
            if (SSL_write(ssl, payload, size) == size) sent++;
        }
        cpu_ns(&user1, &sys1);
        printf("sent %lld\n", sent);
        printf("cpu %lld %lld\n", user1 - user0, sys1 - sys0);
        fflush(stdout);
        usleep(300000);
        SSL_shutdown(ssl);
        SSL_free(ssl);
        return 0;
    }
    fprintf(stderr, "unknown mode %s\n", argv[1]);
    return 2;
}
