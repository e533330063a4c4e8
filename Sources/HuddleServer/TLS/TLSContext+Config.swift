import HuddleConfig
import HuddleTLS

extension TLSContext {
    /// The server context `[tls]` describes.
    convenience init(config: HuddleConfig.TLS) throws(SetupError) {
        guard let certFile = config.certFile, let keyFile = config.keyFile else {
            throw SetupError(description: "tls.cert_file and tls.key_file must both be set")
        }
        try self.init(certificateFile: certFile, keyFile: keyFile, minimumVersion: config.minVersion == "1.3" ? .tls13 : .tls12)
    }
}
