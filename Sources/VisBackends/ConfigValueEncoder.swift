import OrderedCollections

/// Encodes `Encodable` values into a ``ConfigValue`` tree, the inverse of ``ConfigValueDecoder``: dictionary keys
/// keep the order they were encoded in and non-finite numbers stay numbers, so that
/// ``ConfigValue/jsonText(indent:)`` writes them as a ``Config`` does (`NaN`, `Infinity`).
///
/// ```swift
/// let tree = try ConfigValueEncoder().encode(options)   // .dictionary(["flush_interval": 5.0, ...])
/// ```
public struct ConfigValueEncoder {
    /// Values nested `encode(to:)` methods read through `Encoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: Any]

    /// Creates an encoder.
    public init(userInfo: [CodingUserInfoKey: Any] = [:]) {
        self.userInfo = userInfo
    }

    /// The tree of `value`; `.null` when it encodes nothing.
    public func encode<Value: Encodable>(_ value: Value) throws -> ConfigValue {
        let root = _ConfigNode()
        try _ConfigValueEncoding(node: root, codingPath: [], userInfo: userInfo).encodeValue(value)
        return root.value
    }
}

/// A node under construction; containers share it, so nested containers fill their parent in place.
final class _ConfigNode {
    enum Content {
        case value(ConfigValue)
        case dictionary(OrderedDictionary<String, _ConfigNode>)
        case array([_ConfigNode])
    }

    var content = Content.value(.null)

    var value: ConfigValue {
        switch content {
        case .value(let value): return value
        case .dictionary(let entries): return .dictionary(entries.mapValues(\.value))
        case .array(let elements): return .array(elements.map(\.value))
        }
    }

    /// The child at `key`, turning this node into a dictionary if it is not one.
    func child(_ key: String) -> _ConfigNode {
        var entries: OrderedDictionary<String, _ConfigNode> = [:]
        if case .dictionary(let existing) = content { entries = existing }
        if let node = entries[key] { return node }
        // Drop the stored copy first, so that the insertion below does not copy every entry.
        content = .value(.null)
        let node = _ConfigNode()
        entries[key] = node
        content = .dictionary(entries)
        return node
    }

    /// A new last element, turning this node into an array if it is not one.
    func append() -> _ConfigNode {
        var elements: [_ConfigNode] = []
        if case .array(let existing) = content { elements = existing }
        content = .value(.null)
        let node = _ConfigNode()
        elements.append(node)
        content = .array(elements)
        return node
    }

    var count: Int {
        if case .array(let elements) = content { return elements.count }
        return 0
    }
}

struct _ConfigValueEncoding: Encoder {
    let node: _ConfigNode
    let codingPath: [any CodingKey]
    let userInfo: [CodingUserInfoKey: Any]

    func encodeValue<Value: Encodable>(_ value: Value) throws {
        switch value {
        case let tree as ConfigValue: node.content = .value(tree)
        case let text as String: node.content = .value(.string(text))
        case let flag as Bool: node.content = .value(.bool(flag))
        case let number as Double: node.content = .value(.double(number))
        case let number as Float: node.content = .value(.double(Double(number)))
        case let number as Int: node.content = .value(.int(number))
        default: try value.encode(to: self)
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .value = node.content { node.content = .dictionary([:]) }
        return KeyedEncodingContainer(_KeyedEncodingContainer<Key>(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .value = node.content { node.content = .array([]) }
        return _UnkeyedEncodingContainer(encoder: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    func child(_ node: _ConfigNode, key: any CodingKey) -> _ConfigValueEncoding {
        _ConfigValueEncoding(node: node, codingPath: codingPath + [key], userInfo: userInfo)
    }

    func integer(_ value: some FixedWidthInteger) throws {
        guard let number = Int(exactly: value) else {
            throw EncodingError.invalidValue(
                value, EncodingError.Context(codingPath: codingPath, debugDescription: "\(value) does not fit an Int"))
        }
        node.content = .value(.int(number))
    }
}

extension _ConfigValueEncoding: SingleValueEncodingContainer {
    func encodeNil() { node.content = .value(.null) }
    func encode(_ value: Bool) { node.content = .value(.bool(value)) }
    func encode(_ value: String) { node.content = .value(.string(value)) }
    func encode(_ value: Double) { node.content = .value(.double(value)) }
    func encode(_ value: Float) { node.content = .value(.double(Double(value))) }
    func encode(_ value: Int) { node.content = .value(.int(value)) }
    func encode(_ value: Int8) throws { try integer(value) }
    func encode(_ value: Int16) throws { try integer(value) }
    func encode(_ value: Int32) throws { try integer(value) }
    func encode(_ value: Int64) throws { try integer(value) }
    func encode(_ value: UInt) throws { try integer(value) }
    func encode(_ value: UInt8) throws { try integer(value) }
    func encode(_ value: UInt16) throws { try integer(value) }
    func encode(_ value: UInt32) throws { try integer(value) }
    func encode(_ value: UInt64) throws { try integer(value) }
    func encode<Value: Encodable>(_ value: Value) throws { try encodeValue(value) }
}

private struct _KeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: _ConfigValueEncoding
    var codingPath: [any CodingKey] { encoder.codingPath }

    func child(_ key: Key) -> _ConfigValueEncoding { encoder.child(encoder.node.child(key.stringValue), key: key) }

    mutating func encodeNil(forKey key: Key) { child(key).encodeNil() }
    mutating func encode<Value: Encodable>(_ value: Value, forKey key: Key) throws { try child(key).encodeValue(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        child(key).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        child(key).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { encoder.child(encoder.node.child("super"), key: _ConfigKey(stringValue: "super")) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { child(key) }
}

private struct _UnkeyedEncodingContainer: UnkeyedEncodingContainer {
    let encoder: _ConfigValueEncoding
    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { encoder.node.count }

    func next() -> _ConfigValueEncoding {
        let index = count
        return encoder.child(encoder.node.append(), key: _ConfigKey(intValue: index))
    }

    mutating func encodeNil() { next().encodeNil() }
    mutating func encode<Value: Encodable>(_ value: Value) throws { try next().encodeValue(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        next().container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { next().unkeyedContainer() }
    mutating func superEncoder() -> any Encoder { next() }
}
