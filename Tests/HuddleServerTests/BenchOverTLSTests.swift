import Foundation
import HuddleJSON
import HuddleTestSupport
import Testing

/// `huddle bench --url https://…` (issue 13's S1 over TLS): the generator's
/// sessions shake hands with the server's TLS and measure as over plain TCP.
@Suite struct BenchOverTLSTests {
    @Test func benchWithAnHTTPSURLWelcomesEverySessionAndLosesNoCursor() throws {
        let directory = try TemporaryDirectory(prefix: "huddle-bench-tls")
        let pair = try OpenSSLCommand.selfSignedCertificate(in: directory)
        let server = try ServerProcess(environment: ["HUDDLE_TLS_CERT_FILE": pair.certificate, "HUDDLE_TLS_KEY_FILE": pair.key])
        for url in ["https://127.0.0.1:\(server.port)", "wss://localhost:\(server.port)"] {
            let (status, printed) = try HuddleCommandRun.output(["bench", "--url", url, "--scenario", "s1", "--workspaces", "2",
                                                                 "--sessions", "5", "--duration", "1", "--json"])
            #expect(status == 0, "\(url): \(printed)")
            let report = try JSONParser.parse(Array(printed.utf8))
            #expect(report["sessions"]?.intValue == 10, "\(url): \(printed)")
            #expect(report["failures"]?.intValue == 0)
            let received = try #require(report["relays_received"]?.intValue)
            #expect(received > 0 && received == report["relays_expected"]?.intValue)
        }
    }

    @Test func benchWithAnHTTPSURLForAPlainListenerFailsEverySessionAndSaysSo() throws {
        let server = try ServerProcess()
        let (status, printed) = try HuddleCommandRun.output(["bench", "--url", "https://127.0.0.1:\(server.port)", "--scenario", "s1",
                                                             "--workspaces", "1", "--sessions", "2", "--duration", "1", "--json"])
        #expect(status != 0)
        #expect(printed.contains("closed before welcome"), "\(printed)")
    }
}
