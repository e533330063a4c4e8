import HuddleJSON
import HuddleTestSupport

extension ServerProcess {
    /// Upgrades to `/ws/<workspace>` with `token` in the query (or the
    /// `Authorization` header): 101 and the welcome's role, or the refusal's
    /// status and error code.
    func tokenUpgrade(_ token: String?, workspace: String = "acme", viaHeader: Bool = false) throws -> (Int, String?) {
        var path = "/ws/\(workspace)"
        var headers: [(String, String)] = []
        if let token {
            if viaHeader { headers.append(("Authorization", "Bearer \(token)")) } else { path += "?token=\(token)" }
        }
        do {
            let client = try WebSocketTestClient.connect(port: port, path: path, headers: headers)
            let welcome = try client.waitFor(type: "welcome")
            return (101, welcome["user"]?["role"]?.stringValue)
        } catch let rejected as HTTPRejected {
            return (rejected.status, (try? JSONParser.parse(rejected.body))?["error"]?.stringValue)
        }
    }
}
