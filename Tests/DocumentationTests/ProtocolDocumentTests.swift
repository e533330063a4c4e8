import HuddlePluginKit
import HuddleServer
import Testing

@testable import HuddleConfig

// docs/protocol.md must name everything a client or plugin author can meet.
// The lists come from the code: what is a compiled list is read as one; what
// is declared as string constants (message types, error codes) is read from
// the sources that declare them, so a new one is caught wherever it is added.

/// The names `docs/protocol.md` lacks, each as it would appear: `` `name` ``.
private func undocumented(_ names: some Sequence<String>) throws -> [String] {
    let document = try Repository.text("docs/protocol.md")
    return Set(names).filter { !document.contains("`\($0)`") }.sorted()
}

@Test func everyConfigurationKeyIsDocumented() throws {
    #expect(try undocumented(ConfigKey.catalog.map(\.path)) == [],
            "add each key to the table of docs/protocol.md §10")
}

@Test func everyErrorCodeIsDocumented() throws {
    let pluginCodes = PluginError.Code.allCases.map(\.rawValue)
    // `code: "…"`: core errors, HTTP rejections, handshake refusals.
    let literalCodes = try Repository.captures(of: #"code: "([a-z_]+)""#, inSwiftUnder: "Sources")
    let coreCodes = try Repository.captures(of: #"static let \w+ = "([a-z_]+)""#,
                                            inSwiftUnder: "Sources/HuddleCore/ProtocolConstants.swift")
    #expect(literalCodes.count > 10 && coreCodes.count > 3, "the scans find the codes")
    #expect(try undocumented(pluginCodes + literalCodes + coreCodes) == [],
            "add each code to docs/protocol.md §2 (Errors)")
}

@Test func everyCoreMessageTypeIsDocumented() throws {
    let declared = try Repository.captures(of: #"static let \w+ = "([a-z.]+)""#,
                                           inSwiftUnder: "Sources/HuddleCore/MessageType.swift")
    // Types the server writes itself: `ack`, `synced`.
    let serverTypes = try Repository.captures(of: #""type": "([a-z.]+)""#, inSwiftUnder: "Sources/HuddleServer")
        .union(Repository.captures(of: #"Type = "([a-z.]+)""#, inSwiftUnder: "Sources/HuddleServer"))
    #expect(declared.count > 10 && serverTypes.isSuperset(of: ["ack", "synced"]), "the scans find the types")
    #expect(try undocumented(declared.union(serverTypes)) == [], "add each type to docs/protocol.md")
}

@Test func everyBuiltInPluginMessageAndEventIsDocumented() throws {
    let requests = HuddleServer.builtInPlugins.flatMap { $0.messageTypes }
    let events = try Repository.captures(of: #"PluginEvent\(type: "([a-z_.]+)""#, inSwiftUnder: "Plugins")
    #expect(events.count >= HuddleServer.builtInPlugins.count, "the scan finds the events")
    #expect(try undocumented(requests + events) == [], "add each type to docs/protocol.md §7")
}

@Test func everyProblemCodeIsDocumented() throws {
    let codes = FieldProblem.Problem.standard + HuddleServer.builtInPlugins.flatMap { $0.problemCodes }
    #expect(try undocumented(codes.map(\.rawValue)) == [], "add each code to the details table of docs/protocol.md §2")
}

@Test func documentsLinkTheProtocolInTheRepository() throws {
    for path in ["README.md", "Plugins/README.md"] {
        let text = try Repository.text(path)
        #expect(text.contains("docs/protocol.md"), "\(path) links docs/protocol.md")
        #expect(!text.contains("PROTOCOL.md"), "\(path) cites a protocol file outside the repository")
    }
}

@Test func everyRecordsTypeOptionAndProblemIsDocumented() throws {
    let types = try Repository.captures(of: #"(?m)^    case ([a-z`, ]+)$"#, inSwiftUnder: "Plugins/Records/FieldType.swift")
        .flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "`", with: "") } }
    let fieldOptions = try Repository.captures(of: #"static let [\w`]+ = "([a-z_]+)""#,
                                               inSwiftUnder: "Plugins/Records/FieldType.swift")
    let tableOptions = try Repository.captures(of: #"static let \w+Option = "([a-z_]+)""#,
                                               inSwiftUnder: "Plugins/Records/RecordsDomain.swift")
    let problems = try Repository.captures(of: #"Self\("([a-z_]+)"\)"#, inSwiftUnder: "Plugins/Records")
    #expect(types.count == 12 && fieldOptions.count >= 10 && tableOptions.count == 4 && problems == ["not_in_list"],
            "the scans find the records vocabulary")
    #expect(try undocumented(types + fieldOptions + tableOptions + problems) == [],
            "add each to docs/protocol.md §7 (Records domains)")
}

@Test func everyProxyOptionIsDocumented() throws {
    let options = try Repository.captures(of: #"options\.(?:value|int|names)\("([a-z_]+)""#,
                                          inSwiftUnder: "Sources/HuddleServer/Proxy/ProxySettings.swift")
    #expect(options == ["url", "actions", "secret", "timeout_ms", "max_in_flight"], "the scan finds the proxy options")
    #expect(try undocumented(options) == [], "add each to docs/protocol.md §7 (Proxy domains)")
}
