import HuddleCore

extension HuddleServer {
    /// `auth.refresh` (docs/protocol.md §1): the new token must verify, name
    /// the session's user and still allow its workspace; otherwise an `error`
    /// answers and the session stays as it was.
    func refreshToken(_ refresh: TokenRefresh) {
        let session = refresh.session
        func refuse(_ code: String, _ message: String) {
            deliver(Hub.errorMessage(code: code, message: message, id: refresh.id), to: .session(session))
        }
        switch authenticator.identity(of: refresh.token, workspace: session.workspace.id, nowSeconds: wallSeconds()) {
        case .failure(let rejection):
            refuse(rejection.code, "the token was refused; the session keeps its current token")
        case .success(let identity) where identity.userID != session.identity.userID:
            refuse(Rejection.invalidToken.code, "the token names another user")
        case .success(let identity):
            apply(hub.tokenRefreshed(session, id: refresh.id, identity: identity, now: now()))
        }
    }
}
