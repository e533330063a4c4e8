import Foundation
import HuddleTestSupport
import Testing

/// Native TLS (`[tls]`, docs/protocol.md §10): https and wss on the same
/// listener with ALPN http/1.1, refusal of a bad pair at start, and SIGHUP
/// reloads that keep sessions.
@Suite struct TLSEndToEndTests {
    let directory: TemporaryDirectory
    let pair: (certificate: String, key: String)

    init() throws {
        directory = try TemporaryDirectory(prefix: "huddle-tls")
        pair = try OpenSSLCommand.selfSignedCertificate(in: directory, name: "first", commonName: "first")
    }

    private func server() throws -> ServerProcess {
        // `info`: the reloads are logged at notice.
        try ServerProcess(environment: ["HUDDLE_TLS_CERT_FILE": pair.certificate, "HUDDLE_TLS_KEY_FILE": pair.key,
                                        "HUDDLE_LOG_LEVEL": "info"])
    }

    @Test func theListenerServesHTTPSAndWSSWithALPNHTTP11() throws {
        let server = try server()
        #expect(server.scheme == "https")
        let client = try TLSClientProcess(port: server.port, trusting: [pair.certificate])
        #expect(try client.send("get /healthz") == "200 http/1.1")
        #expect(try client.send("open alice /ws/acme?user=alice") == "alice welcome http/1.1 first")
        #expect(try client.send("ping alice") == "alice pong")
    }

    @Test func plainHTTPGetsNoAnswerFromATLSListener() throws {
        let server = try server()
        #expect(throws: (any Error).self) {
            _ = try HTTPTestClient.request(port: server.port, method: "GET", path: "/healthz", timeout: 5)
        }
    }

    @Test func aFailedHandshakeIsCountedAndTheDebugLogSaysWhy() throws {
        let server = try ServerProcess(environment: ["HUDDLE_TLS_CERT_FILE": pair.certificate, "HUDDLE_TLS_KEY_FILE": pair.key,
                                                     "HUDDLE_LOG_LEVEL": "debug"])
        _ = try? HTTPTestClient.request(port: server.port, method: "GET", path: "/healthz", timeout: 5)
        // Trusts only the system's CAs: it rejects the self-signed certificate with an alert.
        let distrustful = try TLSClientProcess(port: server.port, trusting: [])
        #expect(try distrustful.send("get /healthz").hasPrefix("failed SSLCertVerificationError"))

        let client = try TLSClientProcess(port: server.port, trusting: [pair.certificate])
        #expect(try client.send("metric huddle_tls_failures_total") == "2")
        let log = server.standardError()
        #expect(log.contains("TLS handshake failed: http request"), "\(log)")
        #expect(log.contains("TLS handshake failed: tlsv1 alert unknown ca"), "\(log)")
    }

    @Test func anExpiredOrMismatchedPairStopsTheStartAndSaysWhy() throws {
        let expired = try OpenSSLCommand.expiredCertificate(in: directory)
        let other = try OpenSSLCommand.selfSignedCertificate(in: directory, name: "other")
        let cases = [(expired.certificate, expired.key, "has expired"), (pair.certificate, other.key, "does not match")]
        for (certificate, key, reason) in cases {
            let (status, printed) = try HuddleCommandRun.run(
                ["serve", "--port", "0", "--storage", directory.file("h.sqlite")],
                environment: ["HUDDLE_TLS_CERT_FILE": certificate, "HUDDLE_TLS_KEY_FILE": key])
            #expect(status != 0)
            #expect(printed.contains(reason), "\(printed)")
        }
    }

    @Test func sighupReloadsTheCertificateForNewHandshakesAndKeepsSessions() throws {
        let server = try server()
        let next = try OpenSSLCommand.selfSignedCertificate(in: directory, name: "next", commonName: "next")
        let client = try TLSClientProcess(port: server.port, trusting: [pair.certificate, next.certificate])
        #expect(try client.send("open before /ws/acme?user=alice") == "before welcome http/1.1 first")

        try FileManager.default.removeItem(atPath: pair.certificate)
        try FileManager.default.copyItem(atPath: next.certificate, toPath: pair.certificate)
        try FileManager.default.removeItem(atPath: pair.key)
        try FileManager.default.copyItem(atPath: next.key, toPath: pair.key)
        kill(server.pid, SIGHUP)
        try waitUntil("the reload is logged") { server.standardError().contains("tls certificate and key reloaded") }
        #expect(try client.send("open after /ws/acme?user=bob") == "after welcome http/1.1 next")
        #expect(try client.send("ping before") == "before pong")

        // A key that does not load keeps the pair in use.
        try "not a key".write(toFile: pair.key, atomically: true, encoding: .utf8)
        kill(server.pid, SIGHUP)
        try waitUntil("the refusal is logged") { server.standardError().contains("tls reload refused") }
        #expect(try client.send("open later /ws/acme?user=carol") == "later welcome http/1.1 next")
    }
}
