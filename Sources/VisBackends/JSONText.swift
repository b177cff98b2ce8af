/// JSON text as Python's `json.dumps` writes it (MMEngine's `scalars.json` is read by Python tools): `", "` and
/// `": "` separators, non-ASCII escaped as `\uXXXX` (`ensure_ascii`), and NaN/infinities as `NaN`, `Infinity`,
/// `-Infinity`, which Python's `json` reads back.
package enum JSONText {
    /// The text of a floating-point number: the shortest digits that read back exactly, with a fraction or an
    /// exponent so that readers keep it a float (`1.0`, `0.1`, `1e-05`).
    package static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        // Swift's shortest round-trip form matches Python's `repr` for everything JSON readers care about.
        return value.description
    }

    /// `nan`, `inf` or `-inf` for a non-finite value, `nil` for a finite one: the marker that strict JSON outputs
    /// (`vis tb --format json`, `vis plot --summary`) write beside the `null` that stands for such a value.
    package static func nonfiniteMarker(_ value: Double) -> String? {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return nil
    }

    /// Appends `text` as a quoted JSON string.
    package static func appendString(_ text: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output.append(contentsOf: [0x5C, 0x22])
            case "\\": output.append(contentsOf: [0x5C, 0x5C])
            case "\n": output.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case "\r": output.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case "\t": output.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case "\u{08}": output.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case "\u{0C}": output.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            default:
                if scalar.value >= 0x20 && scalar.value < 0x7F {
                    output.append(UInt8(scalar.value))
                } else if scalar.value < 0x10000 {
                    appendEscape(UInt16(scalar.value), to: &output)
                } else {
                    let offset = scalar.value - 0x10000
                    appendEscape(UInt16(0xD800 + (offset >> 10)), to: &output)
                    appendEscape(UInt16(0xDC00 + (offset & 0x3FF)), to: &output)
                }
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// A quoted JSON string.
    package static func string(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 2)
        appendString(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func appendEscape(_ unit: UInt16, to output: inout [UInt8]) {
        output.append(contentsOf: [0x5C, UInt8(ascii: "u")])
        for shift in stride(from: 12, through: 0, by: -4) {
            output.append(hexDigits[Int((unit >> UInt16(shift)) & 0xF)])
        }
    }

    /// Appends the line of one scalar, `{"<name>": <value>, "step": <step>}` and a newline, without building a
    /// dictionary (the hot path of `addScalar`). A scalar named `step` keeps its value, as in ``appendScalarLine(_:step:to:)``.
    package static func appendScalarLine(name: String, value: ScalarValue, step: Int, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "{"))
        appendString(name, to: &output)
        output.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: " ")])
        output.append(contentsOf: value.jsonText.utf8)
        if name != "step" {
            output.append(contentsOf: #", "step": "#.utf8)
            output.append(contentsOf: String(step).utf8)
        }
        output.append(contentsOf: [UInt8(ascii: "}"), UInt8(ascii: "\n")])
    }

    /// Appends one scalar line, `{"<key>": <value>, ..., "step": <step>}` and a newline. An existing `"step"` key
    /// keeps its place and value (MMEngine's `setdefault`); otherwise `step` is appended last.
    package static func appendScalarLine(_ scalars: ScalarDictionary, step: Int, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "{"))
        var first = true
        for (key, value) in scalars {
            if !first { output.append(contentsOf: [UInt8(ascii: ","), UInt8(ascii: " ")]) }
            first = false
            appendString(key, to: &output)
            output.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: " ")])
            output.append(contentsOf: value.jsonText.utf8)
        }
        if scalars["step"] == nil {
            if !first { output.append(contentsOf: [UInt8(ascii: ","), UInt8(ascii: " ")]) }
            output.append(contentsOf: #""step": "#.utf8)
            output.append(contentsOf: String(step).utf8)
        }
        output.append(contentsOf: [UInt8(ascii: "}"), UInt8(ascii: "\n")])
    }
}
