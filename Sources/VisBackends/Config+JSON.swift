import OrderedCollections

/// Reads and writes JSON config text, keeping key order (Foundation's `JSONSerialization` does not).
///
/// The reader accepts RFC 8259 JSON plus `NaN`, `Infinity` and `-Infinity` (what Python's `json` writes), limits
/// nesting to ``maximumDepth`` and reports the 1-based line of the first error.
enum ConfigJSON {
    /// Deeper nesting is rejected rather than risking the stack on hostile input.
    static let maximumDepth = 512

    static func parse(_ text: String, source: String) throws -> ConfigValue {
        var parser = Parser(bytes: Array(text.utf8), source: source)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.index == parser.bytes.count else {
            throw parser.error("unexpected text after the top-level value")
        }
        return value
    }

    /// Appends `value` as JSON; `indent` spaces per level, or compact (`", "` / `": "`) when `nil`.
    static func write(_ value: ConfigValue, indent: Int?, level: Int, to output: inout [UInt8]) {
        func newline(_ depth: Int) {
            guard let indent else { return }
            output.append(UInt8(ascii: "\n"))
            output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * depth))
        }
        let separator: [UInt8] = indent == nil ? Array(", ".utf8) : [UInt8(ascii: ",")]
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let number): output.append(contentsOf: String(number).utf8)
        case .double(let number): output.append(contentsOf: JSONText.number(number).utf8)
        case .string(let text): JSONText.appendString(text, to: &output)
        case .array(let elements):
            guard !elements.isEmpty else { output.append(contentsOf: "[]".utf8); return }
            output.append(UInt8(ascii: "["))
            for (offset, element) in elements.enumerated() {
                if offset > 0 { output.append(contentsOf: separator) }
                newline(level + 1)
                write(element, indent: indent, level: level + 1, to: &output)
            }
            newline(level)
            output.append(UInt8(ascii: "]"))
        case .dictionary(let entries):
            guard !entries.isEmpty else { output.append(contentsOf: "{}".utf8); return }
            output.append(UInt8(ascii: "{"))
            for (offset, entry) in entries.enumerated() {
                if offset > 0 { output.append(contentsOf: separator) }
                newline(level + 1)
                JSONText.appendString(entry.key, to: &output)
                output.append(contentsOf: ": ".utf8)
                write(entry.value, indent: indent, level: level + 1, to: &output)
            }
            newline(level)
            output.append(UInt8(ascii: "}"))
        }
    }

    private struct Parser {
        let bytes: [UInt8]
        let source: String
        var index = 0

        init(bytes: [UInt8], source: String) {
            self.bytes = bytes
            self.source = source
            // A UTF-8 byte order mark is allowed before the value.
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        }

        func error(_ reason: String) -> VisBackendError {
            let line = bytes[..<min(index, bytes.count)].reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            return .corruptConfig(source: source, line: line, reason: reason)
        }

        mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
        }

        mutating func consume(_ literal: String) -> Bool {
            let utf8 = Array(literal.utf8)
            guard bytes[index...].starts(with: utf8) else { return false }
            index += utf8.count
            return true
        }

        mutating func parseValue(depth: Int) throws -> ConfigValue {
            guard depth < ConfigJSON.maximumDepth else {
                throw error("nesting deeper than \(ConfigJSON.maximumDepth) levels")
            }
            guard index < bytes.count else { throw error("unexpected end of text, expected a value") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try parseObject(depth: depth)
            case UInt8(ascii: "["): return try parseArray(depth: depth)
            case UInt8(ascii: "\""): return .string(try parseString())
            case UInt8(ascii: "t"):
                if consume("true") { return .bool(true) }
            case UInt8(ascii: "f"):
                if consume("false") { return .bool(false) }
            case UInt8(ascii: "n"):
                if consume("null") { return .null }
            case UInt8(ascii: "N"):
                if consume("NaN") { return .double(.nan) }
            case UInt8(ascii: "I"):
                if consume("Infinity") { return .double(.infinity) }
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                if consume("-Infinity") { return .double(-.infinity) }
                return try parseNumber()
            default:
                break
            }
            throw error("unexpected character \(describe(bytes[index])), expected a value")
        }

        func describe(_ byte: UInt8) -> String {
            byte >= 0x20 && byte < 0x7F ? "`\(Character(Unicode.Scalar(byte)))`" : "byte 0x\(String(byte, radix: 16))"
        }

        mutating func parseObject(depth: Int) throws -> ConfigValue {
            index += 1
            var entries = OrderedDictionary<String, ConfigValue>()
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .dictionary(entries)
            }
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                    throw error("expected a quoted key")
                }
                let key = try parseString()
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                    throw error("expected `:` after key \(key.debugDescription)")
                }
                index += 1
                skipWhitespace()
                // Python's json keeps the last of repeated keys; so do we (at the first key's position).
                entries[key] = try parseValue(depth: depth + 1)
                skipWhitespace()
                guard index < bytes.count else { throw error("unexpected end of text inside an object") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                } else if bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return .dictionary(entries)
                } else {
                    throw error("expected `,` or `}` in an object, found \(describe(bytes[index]))")
                }
            }
        }

        mutating func parseArray(depth: Int) throws -> ConfigValue {
            index += 1
            var elements: [ConfigValue] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            while true {
                skipWhitespace()
                elements.append(try parseValue(depth: depth + 1))
                skipWhitespace()
                guard index < bytes.count else { throw error("unexpected end of text inside an array") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                } else if bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return .array(elements)
                } else {
                    throw error("expected `,` or `]` in an array, found \(describe(bytes[index]))")
                }
            }
        }

        mutating func parseString() throws -> String {
            index += 1
            var scalars = String.UnicodeScalarView()
            var runStart = index
            func flushRun(_ parser: Parser, upTo end: Int) {
                scalars.append(contentsOf: String(decoding: parser.bytes[runStart..<end], as: UTF8.self).unicodeScalars)
            }
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    flushRun(self, upTo: index)
                    index += 1
                    return String(scalars)
                }
                if byte < 0x20 { throw error("control character \(describe(byte)) inside a string") }
                if byte == UInt8(ascii: "\\") {
                    flushRun(self, upTo: index)
                    index += 1
                    guard index < bytes.count else { break }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""): scalars.append("\"")
                    case UInt8(ascii: "\\"): scalars.append("\\")
                    case UInt8(ascii: "/"): scalars.append("/")
                    case UInt8(ascii: "b"): scalars.append("\u{08}")
                    case UInt8(ascii: "f"): scalars.append("\u{0C}")
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "u"):
                        var unit = try parseHex4()
                        if (0xD800..<0xDC00).contains(unit), consume("\\u") {
                            let low = try parseHex4()
                            if (0xDC00..<0xE000).contains(low) {
                                unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                scalars.append("\u{FFFD}")
                                unit = low
                            }
                        }
                        scalars.append(Unicode.Scalar(unit) ?? "\u{FFFD}")
                    default:
                        throw error("invalid escape `\\\(Character(Unicode.Scalar(escape)))` in a string")
                    }
                    runStart = index
                    continue
                }
                index += 1
            }
            throw error("unterminated string")
        }

        mutating func parseHex4() throws -> UInt32 {
            guard index + 4 <= bytes.count,
                let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
            else { throw error("expected 4 hex digits after `\\u`") }
            index += 4
            return value
        }

        mutating func parseNumber() throws -> ConfigValue {
            let start = index
            var isInteger = true
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            let digitsStart = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            guard index > digitsStart else { throw error("expected digits in a number") }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                isInteger = false
                index += 1
                let fractionStart = index
                while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
                guard index > fractionStart else { throw error("expected digits after `.` in a number") }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                isInteger = false
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                    index += 1
                }
                let exponentStart = index
                while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
                guard index > exponentStart else { throw error("expected digits in a number's exponent") }
            }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            if isInteger, let integer = Int(text) { return .int(integer) }
            guard let number = Double(text) else { throw error("invalid number `\(text)`") }
            return .double(number)
        }
    }
}
