// Contexts and streams for HuddleTLS's memory-BIO streams: the server side
// (HuddleServer) and the client side (the bench). Context setup is a run of
// macro-wrapped calls (min version, ALPN, SNI), so it lives here as one
// function per side that writes why it failed.
#include <stdio.h>
#include <string.h>
#include <openssl/buffer.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

static const unsigned char huddle_alpn_http11[] = { 8, 'h', 't', 't', 'p', '/', '1', '.', '1' };

/// ALPN: HTTP/1.1 is all Huddle speaks; a client offering only h2 gets no ALPN answer.
static inline int huddle_alpn_select(SSL *ssl, const unsigned char **out, unsigned char *outlen,
                                     const unsigned char *in, unsigned int inlen, void *arg) {
    (void)ssl; (void)arg;
    unsigned char *selected = NULL;
    if (SSL_select_next_proto(&selected, outlen, huddle_alpn_http11, sizeof huddle_alpn_http11, in, inlen)
        != OPENSSL_NPN_NEGOTIATED) return SSL_TLSEXT_ERR_NOACK;
    *out = selected;
    return SSL_TLSEXT_ERR_OK;
}

static inline void huddle_tls_error(char *error, size_t size, const char *what) {
    unsigned long code = ERR_get_error();
    char reason[200] = "";
    if (code != 0) ERR_error_string_n(code, reason, sizeof reason);
    snprintf(error, size, "%s%s%s", what, code != 0 ? ": " : "", reason);
    ERR_clear_error();
}

/// A context for `method` with what both sides need: the oldest version
/// (TLS1_2_VERSION or TLS1_3_VERSION) and the memory-BIO write modes; NULL
/// with `error` saying why.
static inline SSL_CTX *huddle_tls_context(const SSL_METHOD *method, int min_version, char *error, size_t error_size) {
    SSL_CTX *ctx = SSL_CTX_new(method);
    if (ctx == NULL) { huddle_tls_error(error, error_size, "cannot make a TLS context"); return NULL; }
    if (SSL_CTX_set_min_proto_version(ctx, min_version) != 1) {
        huddle_tls_error(error, error_size, "cannot set the minimum TLS version");
        SSL_CTX_free(ctx);
        return NULL;
    }
    // Memory BIOs: a record may be written from a buffer at another address after a partial write.
    // Release buffers: an idle stream gives back its 16 KiB read and write buffers between records.
    SSL_CTX_set_mode(ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_RELEASE_BUFFERS);
    return ctx;
}

/// A server context for a PEM chain and key, or NULL with `error` saying why:
/// unreadable files, a key that does not match, a certificate out of its dates.
static inline SSL_CTX *huddle_tls_server_context(const char *cert_file, const char *key_file, int min_version,
                                                 char *error, size_t error_size) {
    SSL_CTX *ctx = huddle_tls_context(TLS_server_method(), min_version, error, error_size);
    if (ctx == NULL) return NULL;
    if (SSL_CTX_use_certificate_chain_file(ctx, cert_file) != 1) {
        huddle_tls_error(error, error_size, "tls.cert_file holds no PEM certificate chain");
    } else if (SSL_CTX_use_PrivateKey_file(ctx, key_file, SSL_FILETYPE_PEM) != 1) {
        // Loading a key already compares it with the certificate.
        int mismatch = ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH;
        huddle_tls_error(error, error_size, mismatch ? "tls.key_file does not match the certificate of tls.cert_file"
                                                     : "tls.key_file holds no PEM private key");
    } else if (SSL_CTX_check_private_key(ctx) != 1) {
        huddle_tls_error(error, error_size, "tls.key_file does not match the certificate of tls.cert_file");
    } else {
        X509 *cert = SSL_CTX_get0_certificate(ctx);
        if (X509_cmp_current_time(X509_get0_notAfter(cert)) <= 0) {
            snprintf(error, error_size, "the certificate of tls.cert_file has expired");
        } else if (X509_cmp_current_time(X509_get0_notBefore(cert)) > 0) {
            snprintf(error, error_size, "the certificate of tls.cert_file is not valid yet");
        } else {
            SSL_CTX_set_alpn_select_cb(ctx, huddle_alpn_select, NULL);
            return ctx;
        }
    }
    SSL_CTX_free(ctx);
    return NULL;
}

/// A client context offering ALPN http/1.1 that does not verify the server's
/// certificate (the bench generates load against a server it was pointed at),
/// or NULL with `error` saying why.
static inline SSL_CTX *huddle_tls_client_context(char *error, size_t error_size) {
    SSL_CTX *ctx = huddle_tls_context(TLS_client_method(), TLS1_2_VERSION, error, error_size);
    if (ctx == NULL) return NULL;
    // Unlike every other setter here, 0 means success.
    if (SSL_CTX_set_alpn_protos(ctx, huddle_alpn_http11, sizeof huddle_alpn_http11) != 0) {
        huddle_tls_error(error, error_size, "cannot offer ALPN http/1.1");
        SSL_CTX_free(ctx);
        return NULL;
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    return ctx;
}

/// An SSL reading from and writing to two new memory BIOs: the server side
/// when `server` is 1, else the client side, sending `server_name` as SNI
/// when it is not NULL (a host name; not for an IP address).
static inline SSL *huddle_tls_new_stream(SSL_CTX *ctx, int server, const char *server_name,
                                         BIO **incoming, BIO **outgoing) {
    SSL *ssl = SSL_new(ctx);
    if (ssl == NULL) return NULL;
    *incoming = BIO_new(BIO_s_mem());
    *outgoing = BIO_new(BIO_s_mem());
    SSL_set_bio(ssl, *incoming, *outgoing);
    if (server) {
        SSL_set_accept_state(ssl);
    } else {
        if (server_name != NULL) SSL_set_tlsext_host_name(ssl, server_name);
        SSL_set_connect_state(ssl);
    }
    return ssl;
}

/// A memory BIO's buffer never shrinks: a drained one that grew past `keep`
/// bytes (a welcome, a burst of relays) is replaced by a new empty one, so an
/// idle stream does not hold its largest burst. Answers the BIO now in use.
static inline BIO *huddle_tls_trim(SSL *ssl, BIO *bio, int outgoing, size_t keep) {
    BUF_MEM *memory = NULL;
    BIO_get_mem_ptr(bio, &memory);
    if (memory == NULL || memory->max <= keep || BIO_ctrl_pending(bio) > 0) return bio;
    BIO *fresh = BIO_new(BIO_s_mem());
    if (fresh == NULL) return bio;
    // Either call frees the BIO it replaces.
    if (outgoing) SSL_set0_wbio(ssl, fresh); else SSL_set0_rbio(ssl, fresh);
    return fresh;
}

static inline int huddle_tls_pending_output(BIO *outgoing) {
    return (int)BIO_ctrl_pending(outgoing);
}
