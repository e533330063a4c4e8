import COpenSSL
import HuddleLoop

/// One connection's TLS on two memory BIOs: ciphertext from the socket goes
/// into one, ciphertext for the socket comes out of the other, so OpenSSL
/// never touches the socket and runs inside the loop's own reads and flushes.
/// The same stream serves both sides; its context says which.
public final class TLSStream: StreamSecurity {
    /// Plaintext read per `SSL_read` call.
    static let readChunk = 16_384
    /// Bytes a drained memory BIO may keep allocated; a larger one is
    /// replaced (`huddle_tls_trim`). Above the few hundred bytes of an
    /// ordinary flush, below a welcome or a burst.
    static let retainedBufferBytes = 4_096

    private let ssl: OpaquePointer
    private var incoming: OpaquePointer
    private var outgoing: OpaquePointer
    /// Keeps the context alive while this stream uses it, across a reload.
    private let context: TLSContext
    private var finished = false
    /// Application bytes sent since the last `takeOutput`. A flush hands over
    /// one buffer per queued message; sealing them together makes one record
    /// (one encryption, one header and tag) per flush instead of one per
    /// message. It also holds what a client sends before its handshake ends.
    private var unsealed: [UInt8] = []
    public private(set) var failure: String?

    /// A stream on the side `context` is for; a client sends `serverName`
    /// (a host name, not an IP address) as SNI.
    public init?(context: TLSContext, serverName: String? = nil) {
        var incoming: OpaquePointer?
        var outgoing: OpaquePointer?
        guard let ssl = huddle_tls_new_stream(context.context, context.isServer ? 1 : 0, serverName, &incoming, &outgoing),
              let incoming, let outgoing else { return nil }
        self.ssl = ssl
        self.incoming = incoming
        self.outgoing = outgoing
        self.context = context
    }

    deinit {
        // SSL_free frees both BIOs too.
        SSL_free(ssl)
    }

    /// Whether the handshake is over (the peer is known, records flow).
    public var isEstablished: Bool { SSL_is_init_finished(ssl) == 1 }

    /// The protocol ALPN settled on (`http/1.1`), or nil.
    public var negotiatedProtocol: String? {
        var data: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &length)
        guard let data, length > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
    }

    public func received(_ bytes: UnsafeRawBufferPointer) -> [UInt8]? {
        guard BIO_write(incoming, bytes.baseAddress, Int32(bytes.count)) == Int32(bytes.count) else {
            return broken(reason: "out of memory for incoming records")
        }
        var plaintext: [UInt8] = []
        while true {
            var count: Int32 = 0
            // Uninitialized: SSL_read fills what it reports, nothing is zeroed first.
            let chunk = [UInt8](unsafeUninitializedCapacity: Self.readChunk) { buffer, initialized in
                count = SSL_read(ssl, buffer.baseAddress, Int32(buffer.count))
                initialized = max(Int(count), 0)
            }
            if count > 0 {
                if plaintext.isEmpty { plaintext = chunk } else { plaintext += chunk }
                continue
            }
            switch SSL_get_error(ssl, count) {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                incoming = huddle_tls_trim(ssl, incoming, 0, Self.retainedBufferBytes)
                return plaintext
            case SSL_ERROR_ZERO_RETURN:
                // The peer's close_notify: what came before it still counts.
                return plaintext
            case let error:
                // OpenSSL's reason: a client's alert ("tlsv1 alert unknown ca":
                // it does not trust the certificate), "http request" (plain
                // HTTP), "no shared cipher", "unsupported protocol".
                let reason = ERR_reason_error_string(ERR_peek_error()).map { String(cString: $0) } ?? "SSL error \(error)"
                ERR_clear_error()
                return broken(reason: reason)
            }
        }
    }

    private func broken(reason: String) -> [UInt8]? {
        failure = (isEstablished ? "TLS stream broken: " : "TLS handshake failed: ") + reason
        return nil
    }

    public func send(_ bytes: UnsafeRawBufferPointer) {
        guard !finished, bytes.count > 0 else { return }
        unsealed.append(contentsOf: bytes)
    }

    public func finish() {
        guard !finished else { return }
        seal()
        finished = true
        unsealed = []
        if isEstablished { SSL_shutdown(ssl) }
        ERR_clear_error()
    }

    public var hasOutput: Bool {
        huddle_tls_pending_output(outgoing) > 0 || (!unsealed.isEmpty && isEstablished)
    }

    public func takeOutput() -> [UInt8] {
        seal()
        let pending = Int(huddle_tls_pending_output(outgoing))
        guard pending > 0 else { return [] }
        let output = [UInt8](unsafeUninitializedCapacity: pending) { buffer, initialized in
            initialized = max(Int(BIO_read(outgoing, buffer.baseAddress, Int32(pending))), 0)
        }
        outgoing = huddle_tls_trim(ssl, outgoing, 1, Self.retainedBufferBytes)
        return output
    }

    /// Encrypts what was sent since the last call. Before the handshake is
    /// over, SSL_write only advances it (a client's first call makes its
    /// ClientHello) and the bytes wait for the next call.
    private func seal() {
        guard !finished, !unsealed.isEmpty else { return }
        var offset = 0
        let outcome: Int32 = unsealed.withUnsafeBytes { bytes in
            while offset < bytes.count {
                // Memory BIOs grow as needed; with partial writes enabled each call seals up to one record.
                let written = SSL_write(ssl, bytes.baseAddress! + offset, Int32(bytes.count - offset))
                guard written > 0 else { return SSL_get_error(ssl, written) }
                offset += Int(written)
            }
            return SSL_ERROR_NONE
        }
        switch outcome {
        case SSL_ERROR_NONE:
            // Freed, not kept: an idle connection holds no buffer.
            unsealed = []
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            unsealed.removeFirst(offset)
        default:
            // A broken stream: the next read reports it and the connection closes.
            ERR_clear_error()
            unsealed = []
        }
    }
}
