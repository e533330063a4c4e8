import COpenSSL
import HuddleConfig

/// The certificate, key and settings new TLS handshakes use (`[tls]`); a
/// SIGHUP builds a new one and stops using the old, which lives on in the
/// sessions that still hold it.
final class TLSContext: @unchecked Sendable {
    struct SetupError: Error, CustomStringConvertible {
        let description: String
    }

    /// An `SSL_CTX *` this object owns.
    let context: OpaquePointer

    init(config: HuddleConfig.TLS) throws(SetupError) {
        guard let certFile = config.certFile, let keyFile = config.keyFile else {
            throw SetupError(description: "tls.cert_file and tls.key_file must both be set")
        }
        let minimum = config.minVersion == "1.3" ? TLS1_3_VERSION : TLS1_2_VERSION
        var message = [CChar](repeating: 0, count: 512)
        guard let context = huddle_tls_server_context(certFile, keyFile, minimum, &message, message.count) else {
            throw SetupError(description: String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        self.context = context
    }

    deinit {
        SSL_CTX_free(context)
    }
}
