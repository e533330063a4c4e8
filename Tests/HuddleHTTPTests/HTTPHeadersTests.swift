import HuddleHTTP
import Testing

@Test func headerLookupIgnoresCaseAndKeepsOrder() {
    var headers = HTTPHeaders([("Accept", "a"), ("X-Multi", "1")])
    headers.add("x-multi", "2")
    #expect(headers["ACCEPT"] == "a")
    #expect(headers.values("X-MULTI") == ["1", "2"])
    #expect(headers.map(\.name) == ["Accept", "X-Multi", "x-multi"])
    #expect(headers["Missing"] == nil)
}

@Test func replaceKeepsOneValueInTheFirstPlace() {
    var headers = HTTPHeaders([("A", "1"), ("B", "2"), ("a", "3")])
    headers.replace("A", "new")
    #expect(headers.map(\.name) == ["A", "B"])
    #expect(headers.values("a") == ["new"])
    headers.replace("C", "appended")
    #expect(headers.map(\.name) == ["A", "B", "C"])
}

@Test func tokensSpanAllValuesTrimmedWithoutEmpties() {
    let headers = HTTPHeaders([("Connection", " keep-alive ,, Upgrade"), ("connection", "\tclose")])
    #expect(headers.tokens("Connection") == ["keep-alive", "Upgrade", "close"])
    #expect(headers.hasToken("connection", "UPGRADE"))
    #expect(!headers.hasToken("Connection", "keep"))
}
