import COpenSSL

/// The settings every TLS stream made from it shares: for a server, the
/// certificate, key and minimum version new handshakes use (HuddleServer's
/// `[tls]`, rebuilt on SIGHUP while the old one lives on in the streams that
/// hold it); for a client, what it offers (the bench).
public final class TLSContext: @unchecked Sendable {
    /// Why a context could not be made, in words for the user.
    public struct SetupError: Error, CustomStringConvertible {
        public let description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// The oldest protocol version a server accepts.
    public enum MinimumVersion: Sendable {
        case tls12, tls13
    }

    /// An `SSL_CTX *` this object owns.
    let context: OpaquePointer
    /// Whether its streams accept handshakes (server) or start them (client).
    public let isServer: Bool

    /// A server context for a PEM certificate chain and its key: refused, with
    /// the reason, when a file does not load, the key does not match, or the
    /// certificate is out of its validity dates.
    public init(certificateFile: String, keyFile: String, minimumVersion: MinimumVersion) throws(SetupError) {
        let minimum = minimumVersion == .tls13 ? TLS1_3_VERSION : TLS1_2_VERSION
        context = try Self.make { huddle_tls_server_context(certificateFile, keyFile, minimum, $0, $1) }
        isServer = true
    }

    /// A client context offering ALPN `http/1.1` that accepts any server
    /// certificate: for load generation against a server one points it at,
    /// never for data that needs the peer checked.
    public static func unverifiedClient() throws(SetupError) -> TLSContext {
        try TLSContext(client: make { huddle_tls_client_context($0, $1) })
    }

    private init(client context: OpaquePointer) {
        self.context = context
        isServer = false
    }

    private static func make(_ build: (UnsafeMutablePointer<CChar>, Int) -> OpaquePointer?) throws(SetupError) -> OpaquePointer {
        var message = [CChar](repeating: 0, count: 512)
        guard let context = message.withUnsafeMutableBufferPointer({ build($0.baseAddress!, $0.count) }) else {
            throw SetupError(description: String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return context
    }

    deinit {
        SSL_CTX_free(context)
    }
}
