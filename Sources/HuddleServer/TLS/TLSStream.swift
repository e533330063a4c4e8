import COpenSSL
import HuddleLoop

/// One connection's TLS on two memory BIOs: ciphertext from the socket goes
/// into one, ciphertext for the socket comes out of the other, so OpenSSL
/// never touches the socket and runs inside the loop's own reads and flushes.
final class TLSStream: StreamSecurity {
    /// Plaintext read per `SSL_read` call.
    static let readChunk = 16_384

    private let ssl: OpaquePointer
    private let incoming: OpaquePointer
    private let outgoing: OpaquePointer
    /// Keeps the context alive while this stream uses it, across a reload.
    private let context: TLSContext
    private var finished = false

    init?(context: TLSContext) {
        var incoming: OpaquePointer?
        var outgoing: OpaquePointer?
        guard let ssl = huddle_tls_new_stream(context.context, &incoming, &outgoing), let incoming, let outgoing else { return nil }
        self.ssl = ssl
        self.incoming = incoming
        self.outgoing = outgoing
        self.context = context
    }

    deinit {
        // SSL_free frees both BIOs too.
        SSL_free(ssl)
    }

    func received(_ bytes: UnsafeRawBufferPointer) -> [UInt8]? {
        guard BIO_write(incoming, bytes.baseAddress, Int32(bytes.count)) == Int32(bytes.count) else { return nil }
        var plaintext: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: Self.readChunk)
        while true {
            let count = chunk.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32($0.count)) }
            if count > 0 {
                plaintext += chunk.prefix(Int(count))
                continue
            }
            switch SSL_get_error(ssl, count) {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                return plaintext
            case SSL_ERROR_ZERO_RETURN:
                // The peer's close_notify: what came before it still counts.
                return plaintext
            default:
                ERR_clear_error()
                return nil
            }
        }
    }

    func send(_ bytes: UnsafeRawBufferPointer) {
        guard !finished, bytes.count > 0 else { return }
        var offset = 0
        while offset < bytes.count {
            let written = SSL_write(ssl, bytes.baseAddress! + offset, Int32(bytes.count - offset))
            // Memory BIOs grow as needed, so a write fails only before the handshake or on a broken stream.
            guard written > 0 else {
                ERR_clear_error()
                return
            }
            offset += Int(written)
        }
    }

    func finish() {
        guard !finished else { return }
        finished = true
        if SSL_is_init_finished(ssl) == 1 { SSL_shutdown(ssl) }
        ERR_clear_error()
    }

    var hasOutput: Bool { huddle_tls_pending_output(outgoing) > 0 }

    func takeOutput() -> [UInt8] {
        let pending = Int(huddle_tls_pending_output(outgoing))
        guard pending > 0 else { return [] }
        var output = [UInt8](repeating: 0, count: pending)
        let count = output.withUnsafeMutableBytes { BIO_read(outgoing, $0.baseAddress, Int32(pending)) }
        return Array(output.prefix(max(Int(count), 0)))
    }
}
