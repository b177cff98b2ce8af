import Foundation
import Testing
@testable import VisBackends
import VisCore

/// A nested options type, as a backend or a pipeline config would declare it.
private struct RunConfig: Codable, Equatable {
    struct Backend: Codable, Equatable {
        var type: String
        var initKwargs: [String: String]?

        enum CodingKeys: String, CodingKey {
            case type
            case initKwargs = "init_kwargs"
        }
    }

    var name: String
    var depth: Int
    var rate: Double
    var flags: [Bool]
    var backends: [Backend]
    var note: String?
}

@Suite("ConfigValue Codable and ConfigValueDecoder")
struct ConfigValueCodableTests {
    static func decodingError<Value: Decodable>(_ valueType: Value.Type, _ value: ConfigValue) -> ConfigDecodingError? {
        do {
            _ = try ConfigValueDecoder().decode(valueType, from: value)
            Issue.record("decoding \(value) should fail")
            return nil
        } catch let error as ConfigDecodingError {
            return error
        } catch {
            Issue.record("unexpected error type \(type(of: error)): \(error)")
            return nil
        }
    }

    let run: ConfigValue = [
        "name": "r1", "depth": 50, "rate": 0.5, "flags": [true, false],
        "backends": [["type": "LocalVisBackend"], ["type": "WandbVisBackend", "init_kwargs": ["project": "p"]]],
    ]

    @Test("decoding and encoding round-trip, through the tree and through JSON text")
    func roundTrips() throws {
        let decoded = try ConfigValueDecoder().decode(RunConfig.self, from: run)
        #expect(decoded.backends[1].initKwargs == ["project": "p"])
        #expect(decoded.note == nil)
        #expect(try ConfigValueDecoder().decode(RunConfig.self, from: ConfigValueEncoder().encode(decoded)) == decoded)
        let config = try Config(text: run.jsonText(indent: 2), format: .json)
        #expect(try config.decode(RunConfig.self) == decoded)
        #expect(try Config(text: try config.dumped(as: .yaml), format: .yaml).decode(RunConfig.self) == decoded)

        // Other Codable formats read and write the tree (their decoders do not report key order: keys come back
        // sorted); the config's own JSON text keeps the order.
        let tree: ConfigValue = ["z": 1, "a": [1.5, "x", nil, true], "m": ["k": -2]]
        let data = try JSONEncoder().encode(tree)
        #expect(try JSONDecoder().decode(ConfigValue.self, from: data) == ["a": [1.5, "x", nil, true], "m": ["k": -2], "z": 1])
        #expect(try ConfigValue(jsonText: String(decoding: data, as: UTF8.self))["m"] == ["k": -2])
        let reread = try ConfigValue(jsonText: tree.jsonText(indent: 2))
        #expect(reread == tree)
        #expect(reread.dictionaryValue.map { Array($0.keys) } == ["z", "a", "m"])
    }

    @Test("ConfigValue(jsonText:) keeps key order and reads Python's NaN and infinities; jsonText writes them back")
    func jsonTextRules() throws {
        let value = try ConfigValue(jsonText: #"{"b": NaN, "a": [Infinity, -Infinity], "c": {"y": 1, "x": 2}}"#)
        #expect(value.dictionaryValue.map { Array($0.keys) } == ["b", "a", "c"])
        #expect(value["b"]?.doubleValue?.isNaN == true)
        #expect(value["a"] == [.double(.infinity), .double(-.infinity)])
        #expect(value.jsonText() == #"{"b": NaN, "a": [Infinity, -Infinity], "c": {"y": 1, "x": 2}}"#)
        // The tree itself decodes as is (order and NaN kept) wherever a type asks for a ConfigValue.
        struct Holder: Decodable { var c: ConfigValue }
        #expect(try ConfigValueDecoder().decode(Holder.self, from: value).c.jsonText() == #"{"y": 1, "x": 2}"#)
        #expect(throws: VisBackendError.self) { try ConfigValue(jsonText: "{\"a\": }", source: "x.json") }
    }

    @Test("errors carry the key path through dictionaries and arrays, as a LocalizedError")
    func keyPaths() throws {
        var bad = run
        bad = try #require(bad.dictionaryValue).merging(
            ["backends": [["type": "LocalVisBackend"], ["type": "WandbVisBackend", "init_kwargs": ["project": 3]]]]
        ) { $1 }.asConfigValue
        let error = try #require(Self.decodingError(RunConfig.self, bad))
        #expect(error.kind == .typeMismatch)
        #expect(error.path == [.key("backends"), .index(1), .key("init_kwargs"), .key("project")])
        #expect(error.description == "backends[1].init_kwargs.project: expected a string, found an integer")
        #expect(error.localizedDescription == error.description)
        #expect((error as any Error).localizedDescription == error.description)

        let nestedArray = try #require(Self.decodingError([[Int]].self, [[1, 2], [3, "4"]]))
        #expect(nestedArray.description == "[1][1]: expected an integer, found a string")
        let topLevel = try #require(Self.decodingError(RunConfig.self, [1, 2]))
        #expect(topLevel.description == "<root>: expected a dictionary, found an array")
        let narrow = try #require(Self.decodingError(UInt8.self, 300))
        #expect(narrow.kind == .invalidValue && narrow.message == "expected an integer in 0...255, got 300")
    }

    @Test("a value of the wrong type is not reported as missing, and a missing one not as mistyped")
    func wrongTypeVersusMissing() throws {
        struct Call: Decodable { var op: String }
        let wrong = try #require(Self.decodingError(Call.self, ["op": 5]))
        #expect(wrong.kind == .typeMismatch)
        #expect(wrong.description == "op: expected a string, found an integer")
        let missing = try #require(Self.decodingError(Call.self, ["name": "x"]))
        #expect(missing.kind == .missing)
        #expect(missing.description == "op: missing; expected a string")
        let null = try #require(Self.decodingError(Call.self, ["op": nil]))
        #expect(null.description == "op: expected a string, found null")
        // Optional values: absent and null are nil, a wrong type is still an error.
        struct Options: Decodable { var op: String? }
        #expect(try ConfigValueDecoder().decode(Options.self, from: ["op": nil]).op == nil)
        #expect(Self.decodingError(Options.self, ["op": 5])?.kind == .typeMismatch)
    }

    @Test("integers are numbers but not the reverse; NaN decodes as a Double")
    func numbers() throws {
        #expect(try ConfigValue.int(3).decode(Double.self) == 3)
        #expect(try ConfigValue.double(.nan).decode(Double.self).isNaN)
        #expect(Self.decodingError(Int.self, 2.5)?.description == "<root>: expected an integer, found a number")
    }

    @Test("unknown keys are rejected in the dictionary's order, naming the key path")
    func unknownKeys() throws {
        struct Strict: Decodable {
            init(from decoder: any Decoder) throws { try decoder.rejectUnknownKeys(["a", "b"]) }
        }
        struct Outer: Decodable { var inner: [Strict] }
        let error = try #require(Self.decodingError(Outer.self, ["inner": [["a": 1], ["b": 1, "zz": 2, "c": 3]]]))
        #expect(error.kind == .unknownKey)
        #expect(error.description == "inner[1].zz: unknown key; expected one of a, b")
    }

    @Test("DecodingErrors of nested initialisers become key-path errors (Color's parser)")
    func nestedDecodingErrors() throws {
        struct Styled: Decodable { var colors: [Color] }
        let unknownName = try #require(Self.decodingError(Styled.self, ["colors": ["red", "blak"]]))
        #expect(unknownName.keyPath == "colors[1]")
        #expect(unknownName.message.hasPrefix("expected a matplotlib colour name"))
        let wrongKind = try #require(Self.decodingError(Styled.self, ["colors": [true]]))
        #expect(wrongKind.description == "colors[0]: expected a colour string or an array of 3 or 4 numbers, found a bool")
    }

    @Test("backend options decode through the registry with key paths; the visualizer prefixes the entry's place")
    func registryKeyPaths() throws {
        #expect(
            throws: VisBackendError.configValue(key: "init_kwargs.project", expected: "a string", actual: "an integer")
        ) {
            try VisBackendRegistry.shared.build(
                ["type": "WandbVisBackend", "save_dir": "/tmp/unused", "init_kwargs": ["project": 3]])
        }
        #expect(
            throws: VisBackendError.configValue(key: "init_kwargs.tags[1]", expected: "a string", actual: "an integer")
        ) {
            try VisBackendRegistry.shared.build(
                ["type": "WandbVisBackend", "save_dir": "/tmp/unused", "init_kwargs": ["tags": ["a", 2]]])
        }
        #expect(
            throws: VisBackendError.configValue(
                key: "flush_interval", expected: "a number", actual: "a string")
        ) {
            try VisBackendRegistry.shared.build(
                ["type": "TensorboardVisBackend", "save_dir": "/tmp/unused", "flush_interval": "soon"])
        }
        #expect(
            throws: VisBackendError.configValue(
                key: "log_hparam", expected: "one of flush_interval, log_hparams for TensorboardVisBackend",
                actual: "an unknown option")
        ) {
            try VisBackendRegistry.shared.build(
                ["type": "TensorboardVisBackend", "save_dir": "/tmp/unused", "log_hparam": true])
        }
        #expect(throws: VisBackendError.configValue(key: "type", expected: "a string", actual: "an integer")) {
            try VisBackendRegistry.shared.build(["type": 5])
        }
    }
}

extension OrderedDictionary where Key == String, Value == ConfigValue {
    fileprivate var asConfigValue: ConfigValue { .dictionary(self) }
}
