// JWT signature checks and JWK key construction in C: OpenSSL 3's parameter
// builders and ECDSA_SIG are macro- and pointer-heavy, and each of these is
// one short call sequence that reads better here than through Swift pointers.
#include <string.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

/// A public key from PEM text (SubjectPublicKeyInfo), or NULL.
static inline EVP_PKEY *huddle_pem_public_key(const char *pem, int length) {
    BIO *bio = BIO_new_mem_buf(pem, length);
    if (bio == NULL) return NULL;
    EVP_PKEY *key = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
    BIO_free(bio);
    return key;
}

static inline EVP_PKEY *huddle_key_from_params(const char *type, OSSL_PARAM_BLD *builder) {
    EVP_PKEY *key = NULL;
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(builder);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
    if (params != NULL && ctx != NULL && EVP_PKEY_fromdata_init(ctx) == 1) {
        if (EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) != 1) key = NULL;
    }
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    return key;
}

/// An RSA public key from a JWK's big-endian `n` and `e`, or NULL.
static inline EVP_PKEY *huddle_rsa_public_key(const unsigned char *n, int n_length,
                                              const unsigned char *e, int e_length) {
    BIGNUM *bn_n = BN_bin2bn(n, n_length, NULL);
    BIGNUM *bn_e = BN_bin2bn(e, e_length, NULL);
    OSSL_PARAM_BLD *builder = OSSL_PARAM_BLD_new();
    EVP_PKEY *key = NULL;
    if (bn_n && bn_e && builder && OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_N, bn_n)
        && OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_E, bn_e)) {
        key = huddle_key_from_params("RSA", builder);
    }
    OSSL_PARAM_BLD_free(builder);
    BN_free(bn_n);
    BN_free(bn_e);
    return key;
}

/// An EC public key on `group` ("P-256", "P-384") from an uncompressed point (04 || x || y), or NULL.
static inline EVP_PKEY *huddle_ec_public_key(const char *group, const unsigned char *point, int length) {
    OSSL_PARAM_BLD *builder = OSSL_PARAM_BLD_new();
    EVP_PKEY *key = NULL;
    if (builder && OSSL_PARAM_BLD_push_utf8_string(builder, OSSL_PKEY_PARAM_GROUP_NAME, group, 0)
        && OSSL_PARAM_BLD_push_octet_string(builder, OSSL_PKEY_PARAM_PUB_KEY, point, length)) {
        key = huddle_key_from_params("EC", builder);
    }
    OSSL_PARAM_BLD_free(builder);
    return key;
}

/// An Ed25519 public key from its 32 raw bytes, or NULL.
static inline EVP_PKEY *huddle_ed25519_public_key(const unsigned char *raw, int length) {
    return EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, raw, length);
}

/// What kind of key this is: 1 RSA, 2 EC P-256, 3 EC P-384, 4 Ed25519, 0 anything else.
static inline int huddle_key_kind(EVP_PKEY *key) {
    switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA: return 1;
    case EVP_PKEY_ED25519: return 4;
    case EVP_PKEY_EC: {
        char group[64];
        size_t length = 0;
        if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &length) != 1) return 0;
        if (strcmp(group, "prime256v1") == 0 || strcmp(group, "P-256") == 0) return 2;
        if (strcmp(group, "secp384r1") == 0 || strcmp(group, "P-384") == 0) return 3;
        return 0;
    }
    default: return 0;
    }
}

/// A JWS ECDSA signature is r || s, each `half` bytes; OpenSSL verifies DER.
/// Writes the DER form to `*der` (free with OPENSSL_free); its length, or -1.
static inline int huddle_ecdsa_raw_to_der(const unsigned char *raw, int half, unsigned char **der) {
    ECDSA_SIG *sig = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(raw, half, NULL);
    BIGNUM *s = BN_bin2bn(raw + half, half, NULL);
    if (sig == NULL || r == NULL || s == NULL || ECDSA_SIG_set0(sig, r, s) != 1) {
        ECDSA_SIG_free(sig);
        BN_free(r);
        BN_free(s);
        return -1;
    }
    *der = NULL;
    int length = i2d_ECDSA_SIG(sig, der);
    ECDSA_SIG_free(sig);
    return length;
}

/// 1 when `signature` is `key`'s over `message`: `digest` NULL for Ed25519,
/// `pss` 1 for RSASSA-PSS with a salt as long as the digest (RFC 7518 §3.5).
static inline int huddle_verify(EVP_PKEY *key, const EVP_MD *digest, int pss,
                                const unsigned char *message, size_t message_length,
                                const unsigned char *signature, size_t signature_length) {
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    int ok = ctx != NULL && EVP_DigestVerifyInit(ctx, &pctx, digest, NULL, key) == 1;
    if (ok && pss) {
        ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1
            && EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1;
    }
    if (ok) ok = EVP_DigestVerify(ctx, signature, signature_length, message, message_length) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}
