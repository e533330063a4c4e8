import HuddleJSON
import HuddleTestSupport
import Testing

/// `kind = "proxy"` (docs/protocol.md §7, "proxy") against a backend in
/// Python: signed calls, every answer shape, and a slow, timed-out, broken
/// or absent backend.
@Suite struct ProxyEndToEndTests {
    static let secret = "proxy-secret-0123456789"
    static let actions = #"["invoice.create", "invoice.list", "invoice.void", "invoice.weird", "invoice.bad_json", "invoice.crash", "invoice.wrong_event", "invoice.hold", "invoice.release"]"#

    /// `billing` on the backend; `impatient` on the same backend with a short
    /// timeout; `forged` signing with the wrong secret; `gone` on a port
    /// nothing listens on; `tickets` a records domain beside them.
    static func config(backend: Int, closedPort: Int) -> String {
        """
        [plugins.billing]
        kind = "proxy"
        url = "http://127.0.0.1:\(backend)/huddle/billing"
        actions = \(actions)
        secret = "\(secret)"
        timeout_ms = 30000

        [plugins.impatient]
        kind = "proxy"
        url = "http://127.0.0.1:\(backend)/huddle/impatient"
        actions = ["invoice.hold"]
        secret = "\(secret)"
        timeout_ms = 200

        [plugins.forged]
        kind = "proxy"
        url = "http://127.0.0.1:\(backend)/huddle/forged"
        actions = ["invoice.create"]
        secret = "not-the-backends-secret"

        [plugins.gone]
        kind = "proxy"
        url = "http://127.0.0.1:\(closedPort)/huddle/gone"
        actions = ["invoice.create"]
        secret = "\(secret)"

        [plugins.tickets]
        kind = "records"
        fields.subject = { type = "string", required = true }
        """
    }

    private let backend: ProxyBackendProcess
    private let configured: ConfiguredServer
    private var server: ServerProcess { configured.server }

    init() throws {
        backend = try ProxyBackendProcess(secret: Self.secret)
        configured = try ConfiguredServer(config: Self.config(backend: backend.port, closedPort: try ProxyBackendProcess.closedPort()))
    }

    @Test func eventAnswerIsStoredAckedBroadcastAndReplayed() throws {
        let alice = try server.join("acme", user: "alice", name: "Alice")
        let bob = try server.join("acme", user: "bob")
        let ack = try alice.ask("billing.invoice.create", ["amount": 120], id: "r1")
        #expect(ack["type"] == "ack" && ack["seq"] == 1)
        let event = try bob.waitFor("billing.invoice_created")
        #expect(event["by"] == ["user": "alice", "name": "Alice", "session": .string(alice.session)])
        #expect(event["data"] == ack["result"])
        #expect(event["data"]?["invoice"] == [
            "amount": 120, "user": ["id": "alice", "name": "Alice", "role": "editor"], "workspace": "acme",
            "request_id": "r1", "path": "/huddle/billing",
        ], "the backend got the request, the user, the workspace and the id, signed")
        let epoch = alice.welcome["epoch"]!.stringValue!
        let late = try server.join("acme", user: "carol", query: "since=0&epoch=\(epoch)")
        #expect(try late.waitFor("billing.invoice_created")["data"] == ack["result"])
    }

    @Test func welcomeListsAProxyWithItsKindAndTypes() throws {
        let alice = try server.join("acme", user: "alice")
        let entry = alice.welcome["plugins"]?.arrayValue?.first { $0["name"] == "forged" }
        #expect(entry == ["name": "forged", "kind": "proxy", "types": ["forged.invoice.create"]])
    }

    @Test func resultAnswerIsAnAckWithoutSeq() throws {
        let alice = try server.join("acme", user: "alice")
        let ack = try alice.ask("billing.invoice.list", ["status": "open"], id: "r1")
        #expect(ack == ["type": "ack", "id": "r1", "result": ["invoices": [], "data": ["status": "open"]]])
    }

    @Test func errorAnswerIsForwardedAndAnUnknownCodeBecomesInternal() throws {
        let alice = try server.join("acme", user: "alice")
        let refused = try alice.ask("billing.invoice.void", ["id": "inv-1"], id: "r1")
        #expect(refused["code"] == "validation_failed" && refused["message"] == "that invoice cannot be voided")
        #expect(refused["details"] == [["field": "id", "problem": "required"]])
        #expect(try alice.ask("billing.invoice.weird", id: "r2")["code"] == "internal")
    }

    @Test func aWrongSignatureIsRefusedByTheBackend() throws {
        let alice = try server.join("acme", user: "alice")
        #expect(try alice.ask("forged.invoice.create", id: "r1")["code"] == "forbidden")
    }

    @Test func unusableAnswersAreInternalAndStoreNothing() throws {
        let alice = try server.join("acme", user: "alice")
        #expect(try alice.ask("billing.invoice.bad_json", id: "r1")["code"] == "internal")
        #expect(try alice.ask("billing.invoice.wrong_event", id: "r2")["code"] == "internal")
        #expect(try alice.ask("billing.invoice.crash", id: "r3")["code"] == "unavailable")
        #expect(try alice.ask("tickets.create", ["subject": "after"], id: "r4")["seq"] == 1, "nothing was stored before")
    }

    @Test func backendDownIsUnavailableAndStoresNothing() throws {
        let alice = try server.join("acme", user: "alice")
        #expect(try alice.ask("gone.invoice.create", id: "r1")["code"] == "unavailable")
        #expect(try alice.ask("tickets.create", ["subject": "after"], id: "r2")["seq"] == 1)
    }

    @Test func timeoutIsUnavailable() throws {
        let alice = try server.join("acme", user: "alice")
        #expect(try alice.ask("impatient.invoice.hold", id: "r1")["code"] == "unavailable")
        _ = try alice.ask("billing.invoice.release", id: "r2")
    }

    /// A held call delays neither another plugin, nor another workspace, nor
    /// another call to the same backend: their acks come while it waits.
    @Test func slowBackendDelaysNoOtherRequest() throws {
        let alice = try server.join("acme", user: "alice")
        let bob = try server.join("globex", user: "bob")
        try alice.send(["type": "billing.invoice.hold", "id": "held"])
        #expect(try bob.ask("tickets.create", ["subject": "meanwhile"], id: "t1")["type"] == "ack")
        #expect(try alice.ask("tickets.create", ["subject": "meanwhile"], id: "t2")["type"] == "ack")
        #expect(try alice.ask("billing.invoice.list", id: "l1")["type"] == "ack")
        #expect(try bob.ask("billing.invoice.release", id: "r1")["result"] == ["released": true])
        #expect(try alice.answer(to: "held")["result"] == ["held": true])
    }
}
