import HuddleJSON
import HuddleOutbound
import HuddlePluginKit

/// A proxy plugin's backend: each request is POSTed, signed, on the
/// plugin's own ``OutboundClient``, so a slow backend holds only its own
/// calls, never the loop, the store thread or another plugin's.
final class ProxyBackend {
    let settings: ProxySettings
    private let client: OutboundClient

    init(settings: ProxySettings, deliver: @escaping (@escaping () -> Void) -> Void) {
        self.settings = settings
        client = OutboundClient(name: "proxy-\(settings.name)", maxInFlight: settings.maxInFlight, deliver: deliver)
    }

    /// Calls the backend; `completion` runs through `deliver` with what its answer means.
    func call(_ request: PluginRequest, id: JSONValue?, log: @escaping (String) -> Void,
              completion: @escaping (ProxyAnswer) -> Void) {
        let body = Self.body(of: request, id: id)
        let signature = HMACSHA256.mac(key: settings.secret, message: body).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
        let outbound = OutboundRequest(url: settings.url, headers: [
            ("Content-Type", "application/json"), ("X-Huddle-Signature", "sha256=\(signature)"),
        ], body: body, timeoutMs: settings.timeoutMs)
        let name = settings.name
        client.send(outbound) { result in
            let (answer, logged) = ProxyAnswer.from(result, plugin: name)
            if let logged { log(logged) }
            completion(answer)
        }
    }

    /// Stops the client; calls under way are answered `unavailable`.
    func close() { client.close() }

    /// `{"type","id","workspace","user":{"id","name","role"},"data"}`.
    static func body(of request: PluginRequest, id: JSONValue?) -> [UInt8] {
        JSONValue.object([
            "type": .string(request.type), "id": id ?? .null, "workspace": .string(request.workspace),
            "user": ["id": .string(request.user.id), "name": .string(request.user.name), "role": .string(request.user.role.rawValue)],
            "data": .object(request.data),
        ]).encoded()
    }
}
