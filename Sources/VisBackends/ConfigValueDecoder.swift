import Foundation
import OrderedCollections

/// Decodes `Decodable` types from a ``ConfigValue`` tree (a loaded ``Config``, a backend's options), with errors
/// that name the key path of the value at fault.
///
/// ```swift
/// struct Options: Decodable {
///     var flushInterval: Double?
///     enum CodingKeys: String, CodingKey { case flushInterval = "flush_interval" }
/// }
/// let options = try ConfigValueDecoder().decode(Options.self, from: ["flush_interval": "soon"])
/// // ConfigDecodingError: flush_interval: expected a number, found a string
/// ```
///
/// The rules are the config's own: `null` counts as absent for optional values (`decodeIfPresent`), an integer is
/// a valid floating-point number but not the reverse, dictionary keys are visited in their order, and NaN and the
/// infinities are ordinary numbers. Decoding ``ConfigValue`` itself at any position returns the subtree as is.
/// Every failure is a ``ConfigDecodingError`` (a `DecodingError` thrown by a nested initialiser is converted).
public struct ConfigValueDecoder {
    /// Values nested initialisers read through `Decoder.userInfo` (a base directory, a resolver).
    public var userInfo: [CodingUserInfoKey: Any]

    /// Creates a decoder.
    public init(userInfo: [CodingUserInfoKey: Any] = [:]) {
        self.userInfo = userInfo
    }

    /// Decodes `type` from `value`.
    ///
    /// - Parameters:
    ///   - type: The type to decode.
    ///   - value: The tree to decode it from.
    ///   - codingPath: Where `value` sits in a larger tree; error key paths start with it (`ops[2]` + `bboxes`).
    /// - Throws: ``ConfigDecodingError``, and what the type's initialiser throws besides decoding errors.
    public func decode<Value: Decodable>(
        _ type: Value.Type, from value: ConfigValue, codingPath: [ConfigDecodingError.PathComponent] = []
    ) throws -> Value {
        let decoder = _ConfigValueDecoding(value: value, codingPath: codingPath.map(_ConfigKey.init), userInfo: userInfo)
        return try decoder.decodeValue(Value.self)
    }
}

extension ConfigValue {
    /// The subtree at `path`, or `nil` when a component is missing.
    func node(at path: some Sequence<ConfigDecodingError.PathComponent>) -> ConfigValue? {
        var current = self
        for component in path {
            switch (component, current) {
            case (.key(let key), .dictionary(let entries)):
                guard let next = entries[key] else { return nil }
                current = next
            case (.index(let index), .array(let elements)) where elements.indices.contains(index):
                current = elements[index]
            default:
                return nil
            }
        }
        return current
    }
}

extension ConfigValue {
    /// Decodes `type` from this tree with a ``ConfigValueDecoder``.
    ///
    /// - Throws: ``ConfigDecodingError`` naming the key path at fault.
    public func decode<Value: Decodable>(_ type: Value.Type = Value.self) throws -> Value {
        try ConfigValueDecoder().decode(type, from: self)
    }
}

extension Config {
    /// Decodes `type` from the whole config (its top-level dictionary) with a ``ConfigValueDecoder``.
    ///
    /// - Throws: ``ConfigDecodingError`` naming the key path at fault.
    public func decode<Value: Decodable>(_ type: Value.Type = Value.self) throws -> Value {
        try root.decode(type)
    }
}

extension Decoder {
    /// Rejects keys of the dictionary being decoded that are not in `known`: a misspelt option should not pass
    /// silently (Python raises `TypeError` for an unexpected keyword argument).
    ///
    /// - Throws: ``ConfigDecodingError`` of kind ``ConfigDecodingError/Kind/unknownKey`` at the first unknown key
    ///   (in the dictionary's order), expecting `"one of <known>"`; the decoder's error when the value is not a
    ///   dictionary.
    public func rejectUnknownKeys(_ known: [String]) throws {
        let container = try container(keyedBy: _ConfigKey.self)
        if let unknown = container.allKeys.first(where: { !known.contains($0.stringValue) }) {
            throw ConfigDecodingError(
                .unknownKey, codingPath: codingPath + [unknown],
                expected: known.isEmpty ? "no keys" : "one of " + known.joined(separator: ", "),
                actual: "an unknown key")
        }
    }
}

extension KeyedDecodingContainer {
    /// The value at `key` when present and not `null`, checked against `range`.
    ///
    /// - Throws: ``ConfigDecodingError`` of kind ``ConfigDecodingError/Kind/invalidValue`` expecting
    ///   `"a number in 0.0...1.0"` (or `"an integer in …"`) when the value is outside `range` (NaN is never inside).
    public func decodeIfPresent<Value: Decodable & Comparable & CustomStringConvertible>(
        _ type: Value.Type, forKey key: Key, in range: ClosedRange<Value>
    ) throws -> Value? {
        guard let value = try decodeIfPresent(type, forKey: key) else { return nil }
        guard range.contains(value) else {
            throw ConfigDecodingError.outOfRange(
                value, range, path: (codingPath + [key]).map(ConfigDecodingError.PathComponent.init),
                written: try? decodeIfPresent(ConfigValue.self, forKey: key))
        }
        return value
    }

    /// The required value at `key`; when it is absent or `null` the error expects `whenMissing` (`"a backend type
    /// name"`), while a value of the wrong type still says which type was expected.
    ///
    /// - Throws: ``ConfigDecodingError`` of kind ``ConfigDecodingError/Kind/missing`` or a decoding error of the value.
    public func decode<Value: Decodable>(_ type: Value.Type, forKey key: Key, whenMissing: String) throws -> Value {
        guard let value = try decodeIfPresent(type, forKey: key) else {
            throw ConfigDecodingError(.missing, codingPath: codingPath + [key], expected: whenMissing, actual: "nothing")
        }
        return value
    }

    /// The value at `key` when present and not `null`; a type mismatch at `key` itself expects `expected`
    /// (`"an array of names"`) instead of the bare kind.
    public func decodeIfPresent<Value: Decodable>(_ type: Value.Type, forKey key: Key, expecting expected: String)
        throws -> Value?
    {
        do {
            return try decodeIfPresent(type, forKey: key)
        } catch var error as ConfigDecodingError
            where error.kind == .typeMismatch && error.path == (codingPath + [key]).map(ConfigDecodingError.PathComponent.init)
        {
            error.expected = expected
            throw error
        }
    }
}

/// A key of a config path: any dictionary key or array index.
struct _ConfigKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    init(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }

    init(_ component: ConfigDecodingError.PathComponent) {
        switch component {
        case .key(let name): self.init(stringValue: name)
        case .index(let index): self.init(intValue: index)
        }
    }
}

/// The `Decoder` over one node of the tree.
struct _ConfigValueDecoding: Decoder {
    let value: ConfigValue
    let codingPath: [any CodingKey]
    let userInfo: [CodingUserInfoKey: Any]

    func mismatch(_ expected: String, at path: [any CodingKey]? = nil, found: ConfigValue? = nil) -> ConfigDecodingError {
        ConfigDecodingError(
            .typeMismatch, codingPath: path ?? codingPath, expected: expected,
            actual: (found ?? value).kindDescription)
    }

    func child(_ value: ConfigValue, key: any CodingKey) -> _ConfigValueDecoding {
        _ConfigValueDecoding(value: value, codingPath: codingPath + [key], userInfo: userInfo)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .dictionary(let entries) = value else { throw mismatch("a dictionary") }
        return KeyedDecodingContainer(_KeyedContainer<Key>(decoder: self, entries: entries))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else { throw mismatch("an array") }
        return _UnkeyedContainer(decoder: self, elements: elements)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    /// The typed value of this node: the scalar kinds directly, ``ConfigValue`` as is, others by their initialiser.
    func decodeValue<Value: Decodable>(_ type: Value.Type) throws -> Value {
        if Value.self == ConfigValue.self, let tree = value as? Value { return tree }
        switch Value.self {
        case is String.Type: return try cast(decode(String.self))
        case is Bool.Type: return try cast(decode(Bool.self))
        case is Double.Type: return try cast(decode(Double.self))
        case is Float.Type: return try cast(decode(Float.self))
        case is Int.Type: return try cast(decode(Int.self))
        default: break
        }
        do {
            return try Value(from: self)
        } catch let error as DecodingError {
            // A `DecodingError` of a nested initialiser (`Color` throws them) becomes a key-path error here, where
            // the tree can tell what was found.
            var converted = ConfigDecodingError(error)
            let prefix = codingPath.map(ConfigDecodingError.PathComponent.init)
            if converted.kind == .typeMismatch, converted.path.starts(with: prefix),
                let found = value.node(at: converted.path.dropFirst(prefix.count))
            {
                converted.actual = found.kindDescription
            }
            throw converted
        }
    }

    private func cast<Value>(_ value: some Any) throws -> Value {
        guard let typed = value as? Value else { throw mismatch("\(Value.self)") }
        return typed
    }

    func integer<Integer: FixedWidthInteger>(_ type: Integer.Type) throws -> Integer {
        guard case .int(let number) = value else { throw mismatch("an integer") }
        guard let converted = Integer(exactly: number) else {
            throw ConfigDecodingError(
                .invalidValue, codingPath: codingPath, expected: "an integer in \(Integer.min)...\(Integer.max)",
                actual: String(number))
        }
        return converted
    }
}

extension _ConfigValueDecoding: SingleValueDecodingContainer {
    func decodeNil() -> Bool { value.isNull }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let flag) = value else { throw mismatch("true or false") }
        return flag
    }

    func decode(_ type: String.Type) throws -> String {
        guard case .string(let text) = value else { throw mismatch("a string") }
        return text
    }

    func decode(_ type: Double.Type) throws -> Double {
        guard let number = value.doubleValue else { throw mismatch("a number") }
        return number
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }
    func decode(_ type: Int.Type) throws -> Int { try integer(Int.self) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(Int8.self) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(Int16.self) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(Int32.self) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(Int64.self) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(UInt.self) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(UInt8.self) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(UInt16.self) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(UInt32.self) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(UInt64.self) }
    func decode<Value: Decodable>(_ type: Value.Type) throws -> Value { try decodeValue(type) }
}

private struct _KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: _ConfigValueDecoding
    let entries: OrderedDictionary<String, ConfigValue>

    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { entries.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { entries[key.stringValue] != nil }

    func node(_ key: Key, expected: @autoclosure () -> String) throws -> _ConfigValueDecoding {
        guard let value = entries[key.stringValue] else {
            throw ConfigDecodingError(.missing, codingPath: codingPath + [key], expected: expected(), actual: "nothing")
        }
        return decoder.child(value, key: key)
    }

    func decodeNil(forKey key: Key) throws -> Bool { try node(key, expected: "a value").value.isNull }

    func decode<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value {
        try node(key, expected: _ConfigValueDecoding.expectation(of: type)).decodeValue(type)
    }

    func decodeIfPresent<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value? {
        guard let value = entries[key.stringValue], !value.isNull else { return nil }
        return try decoder.child(value, key: key).decodeValue(type)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try node(key, expected: "a dictionary").container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try node(key, expected: "an array").unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        decoder.child(entries[key.stringValue] ?? .null, key: key)
    }
}

private struct _UnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: _ConfigValueDecoding
    let elements: [ConfigValue]
    var currentIndex = 0

    init(decoder: _ConfigValueDecoding, elements: [ConfigValue]) {
        self.decoder = decoder
        self.elements = elements
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    mutating func next(expected: @autoclosure () -> String) throws -> _ConfigValueDecoding {
        guard currentIndex < elements.count else {
            throw ConfigDecodingError(
                .missing, codingPath: codingPath + [_ConfigKey(intValue: currentIndex)], expected: expected(),
                actual: "nothing")
        }
        defer { currentIndex += 1 }
        return decoder.child(elements[currentIndex], key: _ConfigKey(intValue: currentIndex))
    }

    mutating func decodeNil() throws -> Bool {
        guard currentIndex < elements.count, elements[currentIndex].isNull else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
        try next(expected: _ConfigValueDecoding.expectation(of: type)).decodeValue(type)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try next(expected: "a dictionary").container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try next(expected: "an array").unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder { try next(expected: "a value") }
}

extension _ConfigValueDecoding {
    /// What a missing value of `type` should have been, in the words of type mismatches.
    static func expectation(of type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is any BinaryInteger.Type: return "an integer"
        case is any BinaryFloatingPoint.Type: return "a number"
        case is any _ConfigArrayLike.Type: return "an array"
        default: return "a value"
        }
    }
}

/// Arrays, for the wording of missing-value errors.
protocol _ConfigArrayLike {}
extension Array: _ConfigArrayLike {}
