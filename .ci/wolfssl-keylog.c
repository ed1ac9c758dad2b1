/*
 * Key log for wolfSSL's example client and server (DTLS 1.3 / TLS 1.3), written for dtlsip's
 * tests: wolfSSL 5.5.4's examples never install a TLS 1.3 secret callback, and its
 * WOLFSSL_SSLKEYLOGFILE option only logs TLS 1.2 master secrets. build-wolfssl.sh links this
 * file into both examples with -Wl,--wrap=wolfSSL_new, so every WOLFSSL object the examples
 * create gets a callback that appends NSS key log lines
 * (https://firefox-source-docs.mozilla.org/security/nss/legacy/key_log_format/) to the file
 * named by $SSLKEYLOGFILE. Without that variable nothing is logged.
 *
 * Labels: wolfSSL reports the first traffic secrets only (not the ones KeyUpdate derives), so
 * the application traffic secrets are always "_0".
 */
#include <stdio.h>
#include <stdlib.h>
#include <wolfssl/options.h>
#include <wolfssl/ssl.h>

WOLFSSL *__real_wolfSSL_new(WOLFSSL_CTX *ctx);

static const char *label(int id)
{
    switch (id) {
    case CLIENT_EARLY_TRAFFIC_SECRET: return "CLIENT_EARLY_TRAFFIC_SECRET";
    case CLIENT_HANDSHAKE_TRAFFIC_SECRET: return "CLIENT_HANDSHAKE_TRAFFIC_SECRET";
    case SERVER_HANDSHAKE_TRAFFIC_SECRET: return "SERVER_HANDSHAKE_TRAFFIC_SECRET";
    case CLIENT_TRAFFIC_SECRET: return "CLIENT_TRAFFIC_SECRET_0";
    case SERVER_TRAFFIC_SECRET: return "SERVER_TRAFFIC_SECRET_0";
    case EARLY_EXPORTER_SECRET: return "EARLY_EXPORTER_SECRET";
    case EXPORTER_SECRET: return "EXPORTER_SECRET";
    default: return NULL;
    }
}

static int log_secret(WOLFSSL *ssl, int id, const unsigned char *secret, int secret_len, void *ctx)
{
    const char *path = getenv("SSLKEYLOGFILE");
    const char *name = label(id);
    unsigned char client_random[32];
    FILE *f;
    int i;

    (void) ctx;
    if (path == NULL || name == NULL
            || wolfSSL_get_client_random(ssl, client_random, sizeof client_random) != sizeof client_random) {
        return 0; /* a missing log line must not fail the handshake */
    }
    f = fopen(path, "a");
    if (f == NULL) {
        return 0;
    }
    fprintf(f, "%s ", name);
    for (i = 0; i < (int) sizeof client_random; i++) {
        fprintf(f, "%02x", client_random[i]);
    }
    fputc(' ', f);
    for (i = 0; i < secret_len; i++) {
        fprintf(f, "%02x", secret[i]);
    }
    fputc('\n', f);
    fclose(f);
    return 0;
}

WOLFSSL *__wrap_wolfSSL_new(WOLFSSL_CTX *ctx)
{
    WOLFSSL *ssl = __real_wolfSSL_new(ctx);
    if (ssl != NULL && getenv("SSLKEYLOGFILE") != NULL) {
        wolfSSL_set_tls13_secret_cb(ssl, log_secret, NULL);
    }
    return ssl;
}
