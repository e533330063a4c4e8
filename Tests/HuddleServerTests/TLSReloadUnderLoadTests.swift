import Foundation
import HuddleTestSupport
import Testing

/// SIGHUP reloads while wss sessions are busy (issue 13): the files are
/// replaced as a certificate renewal would, several times, once with a
/// broken key, and the sessions never notice.
@Suite struct TLSReloadUnderLoadTests {
    static let sessions = 20
    /// Pongs the flood must get after each reload before the next one, so
    /// every reload happens with traffic in flight on every session.
    static let pongsBetweenReloads = 5 * sessions

    @Test func reloadsUnderLoadDropNoSessionOrMessageAndHandshakesGetTheNewPair() throws {
        let directory = try TemporaryDirectory(prefix: "huddle-tls-load")
        // The files the server reads; the renewals are copied over them.
        let live = try OpenSSLCommand.selfSignedCertificate(in: directory, name: "live", commonName: "first")
        let renewals = try (1...3).map {
            try OpenSSLCommand.selfSignedCertificate(in: directory, name: "renewal\($0)", commonName: "renewal\($0)")
        }
        let server = try ServerProcess(environment: [
            "HUDDLE_TLS_CERT_FILE": live.certificate, "HUDDLE_TLS_KEY_FILE": live.key, "HUDDLE_LOG_LEVEL": "info",
            // The flood pings as fast as it can; the rate limit is not under test.
            "HUDDLE_LIMITS_MESSAGES_PER_SECOND": "100000", "HUDDLE_LIMITS_BURST": "100000",
        ])
        let client = try TLSClientProcess(port: server.port, trusting: [live.certificate] + renewals.map(\.certificate))
        var presented = try OpenSSLCommand.fingerprint(ofCertificate: live.certificate)
        #expect(try client.send("cert") == "\(presented) first")
        #expect(try client.send("flood \(Self.sessions) /ws/acme") == "flood \(Self.sessions) welcome")

        var reloads = 0
        var refusals = 0
        for (index, renewal) in renewals.enumerated() {
            try replace(live.certificate, with: renewal.certificate)
            try replace(live.key, with: renewal.key)
            kill(server.pid, SIGHUP)
            reloads += 1
            try waitUntil("reload \(reloads) is logged") { server.count("tls certificate and key reloaded") == reloads }
            presented = try OpenSSLCommand.fingerprint(ofCertificate: renewal.certificate)
            #expect(try client.send("cert") == "\(presented) renewal\(index + 1)")
            try waitForTraffic(client)

            if index == 1 {
                // A key that does not load: the pair in use stays.
                try "not a key\n".write(toFile: live.key, atomically: true, encoding: .utf8)
                kill(server.pid, SIGHUP)
                refusals += 1
                try waitUntil("the refusal is logged") { server.count("tls reload refused") == refusals }
                #expect(try client.send("cert") == "\(presented) renewal\(index + 1)")
                try waitForTraffic(client)
            }
        }

        let summary = try client.send("stop")
        let sent = summary.split(separator: " ").first { $0.hasPrefix("sent=") }?.dropFirst("sent=".count) ?? "?"
        #expect(summary == "stopped sessions=\(Self.sessions) sent=\(sent) answered=\(sent) error=none")
        #expect(Int(sent) ?? 0 >= (reloads + refusals) * Self.pongsBetweenReloads)
    }

    /// Renews `path` as certbot does: the new file is written beside it and renamed over it.
    private func replace(_ path: String, with source: String) throws {
        let staged = path + ".new"
        try? FileManager.default.removeItem(atPath: staged)
        try FileManager.default.copyItem(atPath: source, toPath: staged)
        guard rename(staged, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    /// Waits until every session has been answered several more times.
    private func waitForTraffic(_ client: TLSClientProcess) throws {
        let before = try answered(client)
        try waitUntil("the flood goes on") { try answered(client) >= before + Self.pongsBetweenReloads }
    }

    private func answered(_ client: TLSClientProcess) throws -> Int {
        let answer = try client.send("answered")
        guard answer.hasPrefix("answered "), let count = Int(answer.dropFirst("answered ".count)) else {
            throw TestClientError.unexpected("flood: \(answer)")
        }
        return count
    }
}

private extension ServerProcess {
    /// How many times the server has logged `line` so far.
    func count(_ line: String) -> Int {
        standardError().components(separatedBy: line).count - 1
    }
}
