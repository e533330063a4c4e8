import HuddleLoop
import HuddleTLS

extension BenchEndpoint {
    /// Why a TLS endpoint got no stream.
    struct TLSUnavailable: Error, CustomStringConvertible {
        let description: String
    }

    /// One client context for every TLS connection of the run. It checks no
    /// certificate: the bench loads a server it was pointed at, and a
    /// throw-away certificate (benchmarks/run.sh with BENCH_TLS=1) must do.
    private static let tlsContext = Result<TLSContext, TLSContext.SetupError> { () throws(TLSContext.SetupError) in
        try TLSContext.unverifiedClient()
    }

    /// Connects on `loop`, over TLS when the URL said `https://` or `wss://`;
    /// `completion` gets a connection ready for `startReading` and writes
    /// (TLS then shakes hands under the first write), or why there is none.
    func connect(loop: EventLoop, completion: @escaping (Result<TCPConnection, any Error>) -> Void) {
        TCPConnection.connect(loop: loop, host: host, port: port) { [self] result in
            switch result {
            case .failure(let error):
                completion(.failure(error))
            case .success(let connection):
                if usesTLS {
                    do {
                        connection.security = try stream()
                    } catch {
                        connection.close()
                        completion(.failure(error))
                        return
                    }
                }
                completion(.success(connection))
            }
        }
    }

    private func stream() throws -> TLSStream {
        let context = try Self.tlsContext.get()
        // SNI names a host; an IP address is never sent.
        let isAddress = host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." }
        guard let stream = TLSStream(context: context, serverName: isAddress ? nil : host) else {
            throw TLSUnavailable(description: "cannot start a TLS stream")
        }
        return stream
    }
}
