import Foundation
import HuddleJSON
import HuddlePluginKit

/// `huddle token`: signs a token with the configured secret.
public struct TokenMinter {
    public struct InvalidRole: Error, CustomStringConvertible {
        let role: String
        public var description: String { "role must be viewer, editor or admin, not \(role)" }
    }

    let jwt: JWT

    public init(secret: String) { jwt = JWT(secret: Array(secret.utf8)) }

    public func mint(user: String, name: String?, workspaces: [String], role: String, ttlSeconds: Int,
                     now: Date = Date()) throws -> String {
        guard Role(rawValue: role) != nil else { throw InvalidRole(role: role) }
        let issued = Int(now.timeIntervalSince1970)
        return jwt.sign([
            "sub": .string(user), "name": .string(name ?? user), "role": .string(role),
            "workspaces": .array(workspaces.map(JSONValue.string)),
            "iat": .int(issued), "exp": .int(issued + ttlSeconds),
        ])
    }
}
