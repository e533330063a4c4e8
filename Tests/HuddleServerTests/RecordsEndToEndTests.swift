import HuddleJSON
import HuddleTestSupport
import Testing

/// `kind = "records"` (docs/protocol.md §7, "records"): a domain from its
/// field list, with every field type, every problem code, unique and indexed
/// fields through the store's index, paging and replay.
@Suite struct RecordsEndToEndTests {
    static let config = """
        [plugins.contacts]

        [plugins.deals]
        kind = "records"
        fields.title    = { type = "string", required = true, min_length = 2, max_length = 20 }
        fields.notes    = { type = "text", max_length = 50 }
        fields.amount   = { type = "number", min = 0 }
        fields.seats    = { type = "integer", min = 1, max = 10 }
        fields.won      = { type = "boolean" }
        fields.currency = { type = "enum", values = ["EUR", "USD"], default = "EUR" }
        fields.stage    = { type = "enum", values = ["lead", "won"] }
        fields.email    = { type = "email", unique = true }
        fields.site     = { type = "url" }
        fields.close_on = { type = "date" }
        fields.call_at  = { type = "datetime" }
        fields.owner    = { type = "user" }
        fields.labels   = { type = "tags", max_count = 2 }
        index = ["stage", "owner"]
        delete_roles = ["admin"]

        [plugins.tickets]
        kind = "records"
        fields.subject = { type = "string", required = true }

        [plugins.ledger]
        kind = "records"
        fields.entry = { type = "string", required = true }
        write_roles = ["admin"]
        """

    static let fullDeal: JSONValue = [
        "title": "ACME renewal", "notes": "call first", "amount": 1200.5, "seats": 3, "won": false,
        "stage": "lead", "email": "buyer@acme.test", "site": "https://acme.test/buy", "close_on": "2026-12-31",
        "call_at": "2026-12-01T09:30:00Z", "owner": "alice", "labels": ["hot", "q4"],
    ]

    @Test func welcomeShowsTheFieldSchemaInConfigOrder() throws {
        let server = try ConfiguredServer(config: Self.config).server
        let alice = try server.join("acme", user: "alice")
        let plugins = alice.welcome["plugins"]!.arrayValue!
        let deals = plugins.first { $0["name"] == "deals" }!
        #expect(deals["kind"] == "records")
        #expect(deals["types"] == ["deals.create", "deals.update", "deals.delete", "deals.get", "deals.list"])
        #expect(deals["index"] == ["stage", "owner"])
        let fields = deals["fields"]!.arrayValue!
        #expect(fields.map { $0["name"]!.stringValue! } == [
            "title", "notes", "amount", "seats", "won", "currency", "stage", "email", "site", "close_on", "call_at",
            "owner", "labels",
        ])
        #expect(fields[0] == ["name": "title", "type": "string", "required": true, "min_length": 2, "max_length": 20])
        #expect(fields[5] == ["name": "currency", "type": "enum", "values": ["EUR", "USD"], "default": "EUR"])
        #expect(plugins.first { $0["name"] == "contacts" }?["kind"] == "builtin")
    }

    @Test func createStoresEveryTypeAndBroadcastsWithAttribution() throws {
        let server = try ConfiguredServer(config: Self.config).server
        let alice = try server.join("acme", user: "alice", name: "Alice")
        let bob = try server.join("acme", user: "bob")
        let ack = try alice.ask("deals.create", Self.fullDeal, id: "c1")
        #expect(ack["type"] == "ack" && ack["seq"] == 1)
        let event = try bob.waitFor("deals.created")
        #expect(event["by"] == ["user": "alice", "name": "Alice", "session": .string(alice.session)])
        #expect(event["data"] == ack["result"])
        let record = event["data"]!["record"]!
        for (field, value) in Self.fullDeal.objectValue! { #expect(record[field] == value, "\(field)") }
        #expect(record["currency"] == "EUR", "the default fills an absent field")
        #expect(record["version"] == 1 && record["created_by"] == "alice")
        let fetched = try alice.ask("deals.get", ["id": record["id"]!], id: "g1")
        #expect(fetched["result"] == ["record": record])
    }

    @Test func everyProblemOfARequestComesBackInOneValidationFailed() throws {
        let server = try ConfiguredServer(config: Self.config).server
        let alice = try server.join("acme", user: "alice")
        let problems = try alice.problems("deals.create", [
            "notes": .string(String(repeating: "n", count: 51)), "amount": -1, "seats": "three", "won": "yes",
            "currency": "GBP", "email": "buyer-at-acme", "site": "ftp://acme.test", "close_on": "2026-02-30",
            "call_at": "tomorrow", "owner": "no spaces", "labels": ["a", "b", "c"], "budget": 5,
        ], id: "p1")
        #expect(problems == [
            "title": "required", "notes": "too_long", "amount": "out_of_range", "seats": "wrong_type", "won": "wrong_type",
            "currency": "not_in_list", "email": "invalid_format", "site": "invalid_format", "close_on": "invalid_format",
            "call_at": "invalid_format", "owner": "invalid_format", "labels": "too_many", "budget": "not_allowed",
        ])
        #expect(try alice.problems("deals.create", ["title": "", "seats": 11, "labels": ["x", "x"]], id: "p2")
            == ["title": "too_short", "seats": "out_of_range", "labels": "duplicate"])
    }

    @Test func uniqueHoldsUnderConcurrentCreatesFromTwoSessions() throws {
        let server = try ConfiguredServer(config: Self.config).server
        let alice = try server.join("acme", user: "alice")
        let bob = try server.join("acme", user: "bob")
        let emails = (0..<30).map { "buyer\($0)@acme.test" }
        for (i, email) in emails.enumerated() {
            let deal: JSONValue = ["title": "deal", "email": .string(email)]
            try alice.send(["type": "deals.create", "id": .string("a\(i)"), "data": deal])
            // Bob writes the same address in another case: unique emails compare case-insensitively.
            try bob.send(["type": "deals.create", "id": .string("b\(i)"), "data": ["title": "deal", "email": .string(email.uppercased())]])
        }
        for i in emails.indices {
            let answers = [try alice.answer(to: "a\(i)"), try bob.answer(to: "b\(i)")]
            #expect(answers.filter { $0["type"] == "ack" }.count == 1, "exactly one \(emails[i]) is stored")
            #expect(answers.contains { $0["details"] == [["field": "email", "problem": "duplicate"]] })
        }
    }

    @Test func updateIsPartialNullClearsAndAStaleVersionConflicts() throws {
        let server = try ConfiguredServer(config: Self.config).server
        let alice = try server.join("acme", user: "alice")
        let created = try alice.ask("deals.create", ["title": "ACME", "stage": "lead", "amount": 10], id: "c1")
        let id = created["result"]!["record"]!["id"]!
        let updated = try alice.ask("deals.update", ["id": id, "version": 1, "changes": ["amount": 20, "stage": .null]], id: "u1")
        let record = updated["result"]!["record"]!
        #expect(record["title"] == "ACME" && record["amount"] == 20 && record["stage"] == .null && record["version"] == 2)
        #expect(updated["result"]!["changes"] == ["amount": 20, "stage": .null])
        #expect(try alice.problems("deals.update", ["id": id, "changes": ["title": .null]], id: "u2") == ["title": "required"])
        let stale = try alice.ask("deals.update", ["id": id, "version": 1, "changes": ["amount": 30]], id: "u3")
        #expect(stale["code"] == "conflict" && stale["current"] == record)
        let missing = try alice.ask("deals.update", ["id": "nope", "changes": ["amount": 30]], id: "u4")
        #expect(missing["code"] == "not_found")
    }

    @Test func updateToAnotherRecordsUniqueValueIsDuplicate() throws {
        let server = try ConfiguredServer(config: Self.config).server
        let alice = try server.join("acme", user: "alice")
        _ = try alice.ask("deals.create", ["title": "one", "email": "one@acme.test"], id: "c1")
        let second = try alice.ask("deals.create", ["title": "two", "email": "two@acme.test"], id: "c2")
        let id = second["result"]!["record"]!["id"]!
        #expect(try alice.problems("deals.update", ["id": id, "changes": ["email": "One@Acme.test"]], id: "u1") == ["email": "duplicate"])
        let own = try alice.ask("deals.update", ["id": id, "changes": ["email": "TWO@acme.test"]], id: "u2")
        #expect(own["type"] == "ack", "a record may keep its own value in another case")
    }

    @Test func deleteNeedsADeleteRoleAndTheCurrentVersion() throws {
        let server = try ConfiguredServer(config: Self.config).server
        let alice = try server.join("acme", user: "alice")
        let deal = try alice.ask("deals.create", ["title": "ACME"], id: "c1")["result"]!["record"]!["id"]!
        #expect(try alice.ask("deals.delete", ["id": deal], id: "d1")["code"] == "forbidden", "editors may not delete deals")
        let ticket = try alice.ask("tickets.create", ["subject": "Printer"], id: "c2")["result"]!["record"]!["id"]!
        #expect(try alice.ask("tickets.delete", ["id": ticket, "version": 2], id: "d2")["code"] == "conflict")
        let deleted = try alice.ask("tickets.delete", ["id": ticket, "version": 1], id: "d3")
        #expect(deleted["result"] == ["id": ticket])
        #expect(try alice.ask("tickets.get", ["id": ticket], id: "g1")["code"] == "not_found")
    }

    @Test func listFiltersOnIndexedFieldsOnly() throws {
        let server = try ConfiguredServer(config: Self.config).server
        let alice = try server.join("acme", user: "alice")
        for (i, stage) in ["lead", "won", "lead"].enumerated() {
            _ = try alice.ask("deals.create", ["title": .string("deal \(i)"), "stage": .string(stage), "owner": "bob"], id: "c\(i)")
        }
        let leads = try alice.ask("deals.list", ["filter": ["stage": "lead", "owner": "bob"]], id: "l1")["result"]!
        #expect(leads["records"]!.arrayValue!.map { $0["title"]! } == ["deal 0", "deal 2"])
        #expect(leads["next"] == .null)
        #expect(try alice.problems("deals.list", ["filter": ["title": "deal 0", "stage": "lost"]], id: "l2")
            == ["title": "not_allowed", "stage": "not_in_list"])
        #expect(try alice.problems("deals.list", ["limit": 501, "cursor": "zz"], id: "l3")
            == ["limit": "out_of_range", "cursor": "invalid_format"])
    }

    /// Creation order is `created_at`, then `id` for records stamped in the same millisecond.
    @Test func pagingThroughAThousandRecordsSeesEachOnceInCreationOrder() throws {
        let unthrottled = ["HUDDLE_LIMITS_MESSAGES_PER_SECOND": "100000", "HUDDLE_LIMITS_BURST": "100000"]
        let server = try ConfiguredServer(config: Self.config, environment: unthrottled).server
        let alice = try server.join("acme", user: "alice")
        var created: [(at: String, id: String)] = []
        // In rounds below limits.max_pending_requests, so none is refused.
        for round in 0..<10 {
            for i in 0..<100 { try alice.send(["type": "tickets.create", "id": .string("t\(round)-\(i)"), "data": ["subject": "ticket"]]) }
            for i in 0..<100 {
                let record = try alice.answer(to: "t\(round)-\(i)")["result"]!["record"]!
                created.append((record["created_at"]!.stringValue!, record["id"]!.stringValue!))
            }
        }
        var listed: [String] = []
        var cursor: JSONValue = .null
        repeat {
            let page = try alice.ask("tickets.list", ["limit": 150, "cursor": cursor], id: "page\(listed.count)")["result"]!
            listed += page["records"]!.arrayValue!.map { $0["id"]!.stringValue! }
            cursor = page["next"]!
        } while cursor != .null
        #expect(listed.count == 1000)
        #expect(Set(listed).count == 1000, "no record twice")
        let expected = created.sorted { ($0.at, $0.id) < ($1.at, $1.id) }.map(\.id)
        #expect(listed == expected, "creation order")
    }

    @Test func recordsEventsAreReplayedAfterAReconnect() throws {
        let server = try ConfiguredServer(config: Self.config).server
        let alice = try server.join("acme", user: "alice")
        let created = try alice.ask("deals.create", ["title": "ACME"], id: "c1")
        let id = created["result"]!["record"]!["id"]!
        _ = try alice.ask("deals.update", ["id": id, "changes": ["won": true]], id: "u1")
        let epoch = alice.welcome["epoch"]!.stringValue!
        let late = try server.join("acme", user: "bob", query: "since=0&epoch=\(epoch)")
        let first = try late.waitFor("deals.created")
        let second = try late.waitFor("deals.updated")
        #expect(first["seq"] == 1 && first["data"] == created["result"])
        #expect(second["seq"] == 2 && second["data"]?["record"]?["won"] == true)
        #expect(try late.waitFor("synced")["seq"] == 2)
    }

    @Test func httpMessagesReachARecordsDomainToo() throws {
        let server = try ConfiguredServer(config: Self.config).server
        let watcher = try server.join("acme", user: "watcher")
        let answer = try server.post("/api/workspaces/acme/messages?user=api",
                                     json: ["type": "tickets.create", "id": "h1", "data": ["subject": "From the backend"]])
        #expect(answer.status == 200 && answer.json?["seq"] == 1)
        let event = try watcher.waitFor("tickets.created")
        #expect(event["by"]?["session"] == .null && event["data"] == answer.json?["result"])
        let refused = try server.post("/api/workspaces/acme/messages", json: ["type": "tickets.create", "data": [:]])
        #expect(refused.status == 400 && refused.json?["details"] == [["field": "subject", "problem": "required"]])
    }

    @Test func writersOutsideWriteRolesAreForbiddenAfterValidation() throws {
        let server = try ConfiguredServer(config: Self.config).server
        let editor = try server.join("acme", user: "alice")
        #expect(try editor.problems("ledger.create", [:], id: "w1") == ["entry": "required"], "validation_failed comes first")
        let refused = try editor.ask("ledger.create", ["entry": "payroll"], id: "w2")
        #expect(refused["code"] == "forbidden" && refused["message"] == "only admin may create ledger records")
        #expect(try editor.ask("ledger.list", id: "w3")["result"] == ["records": [], "next": .null], "reading needs no role")
    }
}
