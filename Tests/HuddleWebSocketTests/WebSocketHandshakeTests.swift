import HuddleWebSocket
import Testing

private let sampleKey = "dGhlIHNhbXBsZSBub25jZQ=="

private func upgradeHeaders(replacing overrides: [(String, String?)] = []) -> [(String, String)] {
    var headers: [(String, String)] = [
        ("Host", "localhost"), ("Upgrade", "websocket"), ("Connection", "Upgrade"),
        ("Sec-WebSocket-Key", sampleKey), ("Sec-WebSocket-Version", "13"),
    ]
    for (name, value) in overrides {
        headers.removeAll { $0.0.lowercased() == name.lowercased() }
        if let value { headers.append((name, value)) }
    }
    return headers
}

private func rejection(method: String = "GET", _ overrides: [(String, String?)]) -> HandshakeRejection? {
    guard case .failure(let rejection) = WebSocketHandshake.evaluate(method: method, headers: upgradeHeaders(replacing: overrides)) else {
        return nil
    }
    return rejection
}

@Test func acceptValueMatchesRFCSample() {
    #expect(WebSocketHandshake.acceptValue(forKey: sampleKey) == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
}

@Test func validUpgradeIsAcceptedWithoutSubprotocol() throws {
    let accepted = try WebSocketHandshake.evaluate(method: "GET", headers: upgradeHeaders()).get()
    #expect(accepted.subprotocol == nil)
    #expect(accepted.responseHeaders.map(\.0) == ["Upgrade", "Connection", "Sec-WebSocket-Accept"])
    #expect(accepted.responseHeaders.last?.1 == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
}

@Test func headerTokensAndValuesAreMatchedCaseInsensitively() throws {
    let headers = upgradeHeaders(replacing: [("Upgrade", "WebSocket"), ("Connection", "keep-alive, UPGRADE")])
    #expect(throws: Never.self) { try WebSocketHandshake.evaluate(method: "GET", headers: headers).get() }
}

@Test func nonGetMethodIsRejectedWith426() {
    #expect(rejection(method: "POST", []) == HandshakeRejection(status: 426, code: "upgrade_required", headers: [("Upgrade", "websocket")]))
}

@Test func plainGetIsRejectedWith426() {
    #expect(rejection([("Upgrade", nil)])?.status == 426)
    #expect(rejection([("Connection", "keep-alive")])?.code == "upgrade_required")
}

@Test func wrongVersionIsRejectedWith426AndSupportedVersion() {
    let expected = HandshakeRejection(status: 426, code: "upgrade_required",
                                      headers: [("Upgrade", "websocket"), ("Sec-WebSocket-Version", "13")])
    #expect(rejection([("Sec-WebSocket-Version", "8")]) == expected)
    #expect(rejection([("Sec-WebSocket-Version", nil)]) == expected)
}

@Test(arguments: [nil, "", "short", "dGhlIHNhbXBsZSBub25jZQ", "dGhlIHNhbXBsZSBub25jZQ=!", "dGhlIHNhbXBsZSBub25j*Q==",
                  "dGhlIHNhbXBsZSBub25jZSBtb3Jl"] as [String?])
func missingOrInvalidKeyIsRejectedWith400(key: String?) {
    #expect(rejection([("Sec-WebSocket-Key", key)]) == HandshakeRejection(status: 400, code: "bad_handshake", headers: []))
}

@Test func foreignSubprotocolsAreRejectedWith400() {
    #expect(rejection([("Sec-WebSocket-Protocol", "chat, superchat")])
        == HandshakeRejection(status: 400, code: "bad_subprotocol", headers: []))
}

@Test func huddleSubprotocolIsSelectedAmongSeveral() throws {
    let headers = upgradeHeaders() + [("Sec-WebSocket-Protocol", "chat"), ("Sec-WebSocket-Protocol", "mqtt, huddle.v1")]
    let accepted = try WebSocketHandshake.evaluate(method: "GET", headers: headers).get()
    #expect(accepted.subprotocol == "huddle.v1")
    #expect(accepted.responseHeaders.contains { $0 == ("Sec-WebSocket-Protocol", "huddle.v1") })
}

@Test func checksRunInProtocolOrder() {
    // Each request breaks every later rule too; the earliest one must answer.
    #expect(rejection(method: "POST", [("Sec-WebSocket-Version", "8")])?.headers.count == 1)
    #expect(rejection([("Sec-WebSocket-Version", "8"), ("Sec-WebSocket-Key", nil)])?.status == 426)
    #expect(rejection([("Sec-WebSocket-Key", "bad"), ("Sec-WebSocket-Protocol", "chat")])?.code == "bad_handshake")
}

@Test func rejectionBodyIsTheJSONErrorObject() {
    let body = HandshakeRejection(status: 400, code: "bad_subprotocol", headers: []).jsonBody
    #expect(String(decoding: body, as: UTF8.self) == #"{"error":"bad_subprotocol"}"#)
}
