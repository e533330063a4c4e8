import HuddleTLS

extension HuddleServer {
    /// SIGHUP: new handshakes use the reloaded certificate and key; sessions
    /// keep theirs. A pair that does not load keeps the old one.
    func reloadTLS() {
        do {
            tlsContext = try TLSContext(config: config.tls)
            logger.notice("tls certificate and key reloaded")
        } catch {
            logger.error("tls reload refused; keeping the previous certificate and key", metadata: ["reason": "\(error)"])
        }
    }

    /// A TLS connection closed because its stream broke: counted, and logged
    /// at debug (scanners and plain-HTTP clients do it all day).
    func tlsStreamFailed(_ reason: String) {
        metrics.tlsFailures += 1
        logger.debug("tls connection closed", metadata: ["reason": "\(reason)"])
    }
}
