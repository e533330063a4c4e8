/// Sizes past which the parser refuses a request rather than buffering it.
public struct HTTPLimits: Equatable, Sendable {
    /// Longest request line (method, target, version; without CRLF). Over it: 414.
    public var maxRequestLine = 8192
    /// Largest header section, every field line and the blank line that ends
    /// it, CRLFs included. Chunked trailers count against the same budget. Over it: 431.
    public var maxHeaderBytes = 16384
    /// Most field lines (trailers included). Over it: 431.
    public var maxHeaderCount = 100
    /// Largest body, declared by Content-Length or summed over chunks. Over it: 413.
    public var maxBodyBytes = 1 << 20
    /// Longest chunk-size line (size plus extensions, without CRLF). Over it: 400.
    public var maxChunkLine = 4096

    public static let `default` = HTTPLimits()

    public init(
        maxRequestLine: Int = 8192, maxHeaderBytes: Int = 16384, maxHeaderCount: Int = 100,
        maxBodyBytes: Int = 1 << 20, maxChunkLine: Int = 4096
    ) {
        self.maxRequestLine = maxRequestLine
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
        self.maxChunkLine = maxChunkLine
    }
}
