import Foundation
import HuddleConfig
import HuddleServer
import HuddleTestSupport
import Testing

/// Records and proxy tables are checked at startup like any plugin option:
/// every problem of every table in one run, each with its file and line.
@Suite struct PluginKindProblemsTests {
    private func problems(_ contents: String, environment: [String: String] = [:]) throws -> [String] {
        let directory = try TemporaryDirectory(prefix: "huddle-kind-config")
        let path = directory.file("huddle.toml")
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try HuddleConfig.load(file: path, environment: environment, overrides: CommandLineOverrides(),
                                      validate: { HuddleServer.pluginProblems($0, plugins: HuddleServer.builtInPlugins) })
            return []
        } catch {
            return error.problems.map { $0.description.replacingOccurrences(of: path, with: "FILE") }
        }
    }

    @Test func everyBadFieldDefinitionIsReportedWithItsLine() throws {
        let found = try problems("""
            [plugins.deals]
            kind = "records"
            fields.title = { type = "strng" }
            fields.amount = { type = "number", min = 10, max = 1 }
            fields.stage = { type = "enum" }
            fields.id = { type = "string" }
            fields.notes = { type = "text", unique = true, colour = "red" }
            fields.currency = { type = "enum", values = ["EUR"], default = "USD" }
            fields.body = { type = "text" }
            index = ["body", "missing"]
            write_roles = ["owner"]
            """)
        #expect(found.sorted() == [
            "FILE:4:1: plugins.deals.fields.amount.min: must not be above max",
            "FILE:8:1: plugins.deals.fields.currency.default: is not a valid enum value for this field (not_in_list)",
            "FILE:6:1: plugins.deals.fields.id: id is a field every record has; choose another name",
            "FILE:7:1: plugins.deals.fields.notes.colour: is not an option of a text field",
            "FILE:7:1: plugins.deals.fields.notes.unique: a text field cannot be unique",
            "FILE:5:1: plugins.deals.fields.stage.values: is required for an enum field",
            "FILE:3:1: plugins.deals.fields.title.type: must be one of string, text, integer, number, boolean, enum, email, url, date, datetime, user, tags",
            "FILE:10:1: plugins.deals.index: cannot index body, a text field",
            "FILE:10:1: plugins.deals.index: names no field missing",
            "FILE:11:1: plugins.deals.write_roles: may list only viewer, editor, admin; not \"owner\"",
        ].sorted())
    }

    @Test func anIndexNamingNoFieldIsReportedEvenWhenEveryFieldIsWrong() throws {
        #expect(try problems("""
            [plugins.deals]
            kind = "records"
            fields.title = { type = "strng" }
            index = ["title", "owner"]
            """) == [
            "FILE:3:1: plugins.deals.fields.title.type: must be one of string, text, integer, number, boolean, enum, email, url, date, datetime, user, tags",
            "FILE:4:1: plugins.deals.index: names no field owner",
        ])
    }

    @Test func unknownKindCoreNameAndProxyOptionsAreReportedTogether() throws {
        #expect(try problems("""
            [plugins.presence]
            kind = "records"
            fields.title = { type = "string" }

            [plugins.shop]
            kind = "graphql"

            [plugins.billing]
            kind = "proxy"
            url = "ftp://billing"
            actions = []
            timeout_ms = 0
            """) == [
            "FILE:10:1: plugins.billing.url: must be an http:// or https:// URL",
            "FILE:11:1: plugins.billing.actions: must name at least one action",
            "FILE:8:1: plugins.billing.secret: is required: the key of the X-Huddle-Signature HMAC (prefer the environment variable)",
            "FILE:12:1: plugins.billing.timeout_ms: must be between 1 and 600000, not 0",
            "FILE:1:1: plugins.presence: presence is a core message type; choose another name for this plugin",
            "FILE:6:1: plugins.shop.kind: must be one of records, proxy; without kind, the name selects a registered plugin",
        ])
    }

    @Test func aProxySecretFromTheEnvironmentCompletesTheTable() throws {
        let table = """
            [plugins.billing]
            kind = "proxy"
            url = "http://127.0.0.1:9000/huddle/billing"
            actions = ["invoice.create"]
            """
        #expect(try problems(table, environment: ["HUDDLE_PLUGINS_BILLING_SECRET": "from-the-environment"]) == [])
    }

    @Test func theGuidesExampleDomainsLoadWithoutAProblem() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Examples/deals-server/domains.toml")
        let text = try String(contentsOf: example, encoding: .utf8)
        #expect(try problems(text, environment: ["HUDDLE_PLUGINS_BILLING_SECRET": "from-the-environment"]) == [])
    }
}
