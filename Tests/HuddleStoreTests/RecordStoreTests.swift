import HuddlePluginKit
import Testing
@testable import HuddleStore

/// The record store of either backend, through `Store.withRecordStore`.
@Suite struct RecordStoreTests {
    private let fixture: StoreFixture

    init() throws { fixture = try StoreFixture() }

    private func records<T>(plugin: String = "contacts", workspace: String = "w1",
                            _ body: (RecordStore) throws -> T) throws -> T {
        try fixture.store.withRecordStore(plugin: plugin, workspace: workspace, body)
    }

    @Test func insertedRecordReadsBackAtVersionOne() throws {
        try records { try $0.insert(StoredRecord.first(id: "c1", value: ["name": "Ada"]), kind: "contact", index: ["email": "ada@x"]) }
        let record = try records { try $0.get(kind: "contact", id: "c1") }
        #expect(record == StoredRecord(id: "c1", version: 1, value: ["name": "Ada"]))
    }

    @Test func getOfMissingRecordIsNil() throws {
        #expect(try records { try $0.get(kind: "contact", id: "nope") } == nil)
    }

    @Test func updateReplacesValueVersionAndIndex() throws {
        try records { store in
            try store.insert(StoredRecord.first(id: "c1", value: ["name": "Ada"]), kind: "contact", index: ["email": "ada@x", "phone": "1"])
            try store.update(StoredRecord(id: "c1", version: 2, value: ["name": "Ada L"]), kind: "contact", index: ["email": "ada@y"])
        }
        #expect(try records { try $0.get(kind: "contact", id: "c1") }
            == StoredRecord(id: "c1", version: 2, value: ["name": "Ada L"]))
        #expect(try records { try $0.find(kind: "contact", index: "email", value: "ada@x") }.isEmpty)
        #expect(try records { try $0.find(kind: "contact", index: "phone", value: "1") }.isEmpty)
        #expect(try records { try $0.find(kind: "contact", index: "email", value: "ada@y") }.map(\.id) == ["c1"])
    }

    @Test func deleteRemovesRecordAndIndexAndIgnoresMissing() throws {
        try records { store in
            try store.insert(StoredRecord.first(id: "c1", value: [:]), kind: "contact", index: ["email": "a"])
            try store.delete(kind: "contact", id: "c1")
            try store.delete(kind: "contact", id: "never-there")
        }
        #expect(try records { try $0.get(kind: "contact", id: "c1") } == nil)
        #expect(try records { try $0.find(kind: "contact", index: "email", value: "a") }.isEmpty)
    }

    @Test func findAndAllReturnOldestFirst() throws {
        try records { store in
            for id in ["z", "a", "m"] {
                try store.insert(StoredRecord.first(id: id, value: ["id": .string(id)]), kind: "contact", index: ["tag": "t"])
            }
            try store.update(StoredRecord(id: "z", version: 2, value: ["id": "z2"]), kind: "contact", index: ["tag": "t"])
        }
        #expect(try records { try $0.all(kind: "contact") }.map(\.id) == ["z", "a", "m"])
        #expect(try records { try $0.find(kind: "contact", index: "tag", value: "t") }.map(\.id) == ["z", "a", "m"])
    }

    @Test func recordsAreScopedByPluginWorkspaceAndKind() throws {
        try records { try $0.insert(StoredRecord.first(id: "c1", value: ["n": 1]), kind: "contact", index: ["k": "v"]) }
        try records(plugin: "notes") { try $0.insert(StoredRecord.first(id: "c1", value: ["n": 2]), kind: "contact", index: ["k": "v"]) }
        try records(workspace: "w2") { try $0.insert(StoredRecord.first(id: "c1", value: ["n": 3]), kind: "contact", index: ["k": "v"]) }
        try records { try $0.insert(StoredRecord.first(id: "c1", value: ["n": 4]), kind: "other", index: ["k": "v"]) }
        #expect(try records { try $0.all(kind: "contact") }.map(\.value) == [["n": 1]])
        #expect(try records { try $0.find(kind: "contact", index: "k", value: "v") }.map(\.value) == [["n": 1]])
    }

    @Test func insertOfExistingIDIsADuplicateError() throws {
        try records { try $0.insert(StoredRecord.first(id: "c1", value: [:]), kind: "contact") }
        #expect(throws: RecordStoreError.duplicateRecord(kind: "contact", id: "c1")) {
            try records { try $0.insert(StoredRecord.first(id: "c1", value: [:]), kind: "contact") }
        }
    }

    @Test func updateOfMissingRecordIsAnError() throws {
        #expect(throws: RecordStoreError.missingRecord(kind: "contact", id: "c9")) {
            try records { try $0.update(StoredRecord(id: "c9", version: 2, value: [:]), kind: "contact") }
        }
    }

    @Test func throwingBodyRollsBackItsWrites() throws {
        struct Abort: Error {}
        #expect(throws: Abort.self) {
            try records { store in
                try store.insert(StoredRecord.first(id: "c1", value: [:]), kind: "contact", index: ["email": "a"])
                throw Abort()
            }
        }
        #expect(try records { try $0.all(kind: "contact") }.isEmpty)
    }

    @Test func valuesKeepTheirJSONTypes() throws {
        let value: JSONValue = ["int": 17, "double": 1.5, "text": "ü\n\"", "null": nil, "list": [true, false], "nested": ["a": []]]
        try records { try $0.insert(StoredRecord.first(id: "c1", value: value), kind: "contact") }
        #expect(try records { try $0.get(kind: "contact", id: "c1")?.value } == value)
    }
}
