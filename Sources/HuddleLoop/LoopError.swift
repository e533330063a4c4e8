import CUV

/// A libuv error: `code` is libuv's negative error number (e.g. `UV_ECONNRESET`).
public struct LoopError: Error, CustomStringConvertible, Equatable {
    /// The libuv error code, always negative.
    public let code: Int32

    public init(code: Int32) {
        self.code = code
    }

    /// libuv's symbolic name, e.g. `ECONNREFUSED`.
    public var name: String {
        String(cString: uv_err_name(code))
    }

    /// The human-readable message followed by the symbolic name.
    public var description: String {
        "\(String(cString: uv_strerror(code))) (\(name))"
    }

    /// True when the peer closed its side normally.
    public var isEndOfFile: Bool {
        code == UV_EOF.rawValue
    }

    /// Throws when `status` is a libuv error (negative), passes otherwise.
    static func check(_ status: Int32) throws(LoopError) {
        if status < 0 {
            throw LoopError(code: status)
        }
    }
}
