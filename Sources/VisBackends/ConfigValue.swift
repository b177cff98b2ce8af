import OrderedCollections

/// One node of a ``Config`` tree: what JSON and YAML can express, with dictionary keys kept in order.
///
/// Literals build values directly:
///
/// ```swift
/// let model: ConfigValue = ["type": "ResNet", "depth": 50, "frozen_stages": [1, 2], "pretrained": nil]
/// ```
///
/// Typed values come out through `Decodable` (``decode(_:)``, ``ConfigValueDecoder``), with errors that name the
/// key path (`backends[1].init_kwargs.project: expected a string, found an integer`); ``init(jsonText:source:)``
/// and ``jsonText(indent:)`` read and write JSON with the config's rules (key order, `NaN`).
public indirect enum ConfigValue: Sendable, Hashable {
    /// JSON `null`, YAML `~`/`null`.
    case null
    /// `true` / `false`.
    case bool(Bool)
    /// A whole number.
    case int(Int)
    /// A floating-point number (NaN and infinities allowed).
    case double(Double)
    /// Text.
    case string(String)
    /// A sequence.
    case array([ConfigValue])
    /// A mapping whose keys keep their order.
    case dictionary(OrderedDictionary<String, ConfigValue>)

    /// The name of the value's kind, for error messages (`"a string"`).
    public var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a bool"
        case .int: return "an integer"
        case .double: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .dictionary: return "a dictionary"
        }
    }

    /// The text when the value is a string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The number when the value is an integer.
    public var intValue: Int? {
        if case .int(let value) = self { return value }
        return nil
    }

    /// The number when the value is an integer or a float.
    public var doubleValue: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    /// The flag when the value is a bool.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The elements when the value is an array.
    public var arrayValue: [ConfigValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The entries when the value is a dictionary.
    public var dictionaryValue: OrderedDictionary<String, ConfigValue>? {
        if case .dictionary(let value) = self { return value }
        return nil
    }

    /// Whether the value is `null`.
    public var isNull: Bool { self == .null }

    /// The element at `key` when the value is a dictionary.
    public subscript(key: String) -> ConfigValue? {
        dictionaryValue?[key]
    }

    /// The value as a scalar for backends that log numbers (ints stay ints, bools become 0/1).
    public var scalarValue: ScalarValue? {
        switch self {
        case .int(let value): return .int(value)
        case .double(let value): return .double(value)
        case .bool(let value): return .int(value ? 1 : 0)
        default: return nil
        }
    }
}

extension ConfigValue: ExpressibleByNilLiteral {
    public init(nilLiteral: ()) { self = .null }
}

extension ConfigValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension ConfigValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self = .int(value) }
}

extension ConfigValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension ConfigValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension ConfigValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: ConfigValue...) { self = .array(elements) }
}

extension ConfigValue: ExpressibleByDictionaryLiteral {
    /// Builds a dictionary; a repeated key keeps its first position and its last value.
    public init(dictionaryLiteral elements: (String, ConfigValue)...) {
        var dictionary = OrderedDictionary<String, ConfigValue>()
        for (key, value) in elements { dictionary[key] = value }
        self = .dictionary(dictionary)
    }
}

extension ConfigValue: CustomStringConvertible {
    /// Compact JSON text of the value.
    public var description: String { jsonText() }
}
