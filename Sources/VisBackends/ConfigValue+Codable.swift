import OrderedCollections

extension ConfigValue: Codable {
    /// Decodes any JSON-like value. From a ``ConfigValueDecoder`` the subtree comes back as is (key order, NaN);
    /// other decoders report dictionary keys in their own order, so those keys are sorted to keep results stable.
    public init(from decoder: any Decoder) throws {
        if let own = decoder as? _ConfigValueDecoding {
            self = own.value
            return
        }
        if let container = try? decoder.container(keyedBy: _ConfigKey.self) {
            var entries = OrderedDictionary<String, ConfigValue>()
            for key in container.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
                entries[key.stringValue] = try container.decode(ConfigValue.self, forKey: key)
            }
            self = .dictionary(entries)
            return
        }
        if var container = try? decoder.unkeyedContainer() {
            var elements: [ConfigValue] = []
            while !container.isAtEnd { elements.append(try container.decode(ConfigValue.self)) }
            self = .array(elements)
            return
        }
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let integer = try? container.decode(Int.self) {
            self = .int(integer)
        } else if let number = try? container.decode(Double.self) {
            self = .double(number)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    /// Encodes the value with dictionary keys in order.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let flag):
            var container = encoder.singleValueContainer()
            try container.encode(flag)
        case .int(let integer):
            var container = encoder.singleValueContainer()
            try container.encode(integer)
        case .double(let number):
            var container = encoder.singleValueContainer()
            try container.encode(number)
        case .string(let text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case .array(let elements):
            var container = encoder.unkeyedContainer()
            for element in elements { try container.encode(element) }
        case .dictionary(let entries):
            var container = encoder.container(keyedBy: _ConfigKey.self)
            for (key, element) in entries { try container.encode(element, forKey: _ConfigKey(stringValue: key)) }
        }
    }
}

extension ConfigValue {
    /// Parses JSON text with the config's rules: key order kept, `NaN`, `Infinity` and `-Infinity` (what Python's
    /// `json` writes) read as numbers, a repeated key keeps its first position and its last value.
    ///
    /// - Parameters:
    ///   - jsonText: The text of one JSON value.
    ///   - source: The name used in error messages (a path, or `"<string>"`).
    /// - Throws: ``VisBackendError/corruptConfig(source:line:reason:)`` naming the line of the first error.
    public init(jsonText: String, source: String = "<string>") throws {
        self = try ConfigJSON.parse(jsonText, source: source)
    }

    /// The value as JSON text with the config's rules (the inverse of ``init(jsonText:source:)``): keys in order,
    /// non-finite numbers as `NaN`, `Infinity`, `-Infinity`, non-ASCII escaped; compact (`", "`, `": "`) when
    /// `indent` is `nil`, else `indent` spaces per level.
    public func jsonText(indent: Int? = nil) -> String {
        var output: [UInt8] = []
        ConfigJSON.write(self, indent: indent, level: 0, to: &output)
        return String(decoding: output, as: UTF8.self)
    }
}
