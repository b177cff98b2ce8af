extension Color {
    /// `"#rrggbb"` for an opaque colour, `"#rrggbbaa"` otherwise (lower-case hex), a form
    /// ``Color/init(parsing:argument:)`` reads back to the same colour.
    public var hexString: String {
        var text = "#"
        text.reserveCapacity(9)
        for byte in alpha == 255 ? [red, green, blue] : [red, green, blue, alpha] {
            text += byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16)
        }
        return text
    }
}

extension Color: CustomStringConvertible {
    /// `"none"` for ``Color/none``, else ``Color/hexString``.
    public var description: String { self == .none ? "none" : hexString }
}

extension Color: Codable {
    /// Decodes any string ``Color/init(parsing:argument:)`` accepts (`"g"`, `"tab:blue"`, `"#ff8000"`, `"none"`)
    /// or an array of 3 or 4 numbers on the 0-255 scale (MMEngine's tuples, as JSON and YAML configs write them).
    ///
    /// - Throws: `DecodingError.dataCorrupted` whose underlying error is the ``VisCoreError`` from parsing, or
    ///   `DecodingError.typeMismatch` for anything that is neither a string nor an array of numbers.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let argument = decoder.codingPath.last?.stringValue ?? "color"
        do {
            if let text = try? container.decode(String.self) {
                self = try Color(parsing: text, argument: argument)
            } else if let channels = try? container.decode([Double].self) {
                self = try Color(rgbTuple: channels, argument: argument)
            } else {
                throw DecodingError.typeMismatch(
                    Color.self,
                    DecodingError.Context(
                        codingPath: decoder.codingPath,
                        debugDescription: "expected a colour string or an array of 3 or 4 numbers"))
            }
        } catch let error as VisCoreError {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath, debugDescription: error.description, underlyingError: error))
        }
    }

    /// Encodes ``Color/description``: `"none"` or the hex form, which decodes back to the same colour.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
