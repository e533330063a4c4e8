import HuddleJSON

/// A client envelope that arrived outside a WebSocket session
/// (`POST /api/workspaces/{ws}/messages`), decoded by the same rules.
public struct DetachedRequest {
    public let type: String
    public let id: JSONValue?
    public let data: [String: JSONValue]

    /// The `error` message for an envelope that is not valid.
    public struct Rejected: Error {
        public let message: Outgoing
    }

    /// The envelope, or the `error` message (bad_json / bad_envelope) a session would get.
    public static func decode(_ bytes: [UInt8]) -> Result<DetachedRequest, Rejected> {
        bytes.withUnsafeBytes { text in
            switch Envelope.parse(text) {
            case .failure(let failure):
                return .failure(Rejected(message: Hub.envelopeError(failure)))
            case .success(let envelope):
                let data = envelope.data.map { Envelope.decode($0, in: text).objectValue ?? [:] } ?? [:]
                return .success(DetachedRequest(type: envelope.type, id: envelope.id, data: data))
            }
        }
    }
}

extension Hub {
    /// The one shape of envelope errors, for sessions and HTTP alike.
    static func envelopeError(_ failure: Envelope.Failure) -> Outgoing {
        switch failure {
        case .badJSON(let error):
            return errorMessage(code: ErrorCode.badJSON, message: "the message is not valid JSON: \(error)", id: nil)
        case .badEnvelope(let problem, let id):
            return errorMessage(code: ErrorCode.badEnvelope, message: problem, id: id)
        }
    }
}
