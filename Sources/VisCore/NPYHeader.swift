/// The header of a `.npy` file: the dict literal NumPy writes after the magic and version,
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`.
struct NPYHeader: Equatable {
    /// How the elements are stored on disk.
    enum DiskType: Equatable {
        case float16
        case element(DType)

        var itemSize: Int {
            switch self {
            case .float16: return 2
            case .element(let dtype): return dtype.itemSize
            }
        }
    }

    var diskType: DiskType
    var bigEndian: Bool
    var fortranOrder: Bool
    var shape: [Int]

    /// The NumPy `descr` string for `dtype`, little-endian (`'<f4'`, `'|b1'`, ...).
    static func descr(for dtype: DType) -> String {
        switch dtype {
        case .float32: return "<f4"
        case .float64: return "<f8"
        case .int8: return "|i1"
        case .int16: return "<i2"
        case .int32: return "<i4"
        case .int64: return "<i8"
        case .uint8: return "|u1"
        case .uint16: return "<u2"
        case .uint32: return "<u4"
        case .uint64: return "<u8"
        case .bool: return "|b1"
        }
    }

    /// Parses the header text (without magic, version and length).
    ///
    /// NumPy requires exactly the keys `descr`, `fortran_order` and `shape`; so does this.
    static func parse(_ text: [UInt8], source: String) throws -> NPYHeader {
        var parser = _PythonLiteralParser(bytes: text, source: source)
        let literal = try parser.parseTopLevel()
        guard case .dict(let entries) = literal else {
            throw VisCoreError.corruptData(source: source, reason: "the .npy header is not a Python dict literal")
        }
        var descr: _PythonLiteral?
        var fortran: _PythonLiteral?
        var shapeLiteral: _PythonLiteral?
        for (key, value) in entries {
            switch key {
            case .string("descr"): descr = value
            case .string("fortran_order"): fortran = value
            case .string("shape"): shapeLiteral = value
            default:
                throw VisCoreError.corruptData(
                    source: source,
                    reason: "unexpected key \(key) in the .npy header (expected 'descr', 'fortran_order', 'shape')")
            }
        }
        guard case .string(let descrText)? = descr else {
            throw VisCoreError.corruptData(source: source, reason: "the .npy header has no string 'descr'")
        }
        guard case .bool(let fortranOrder)? = fortran else {
            throw VisCoreError.corruptData(source: source, reason: "the .npy header has no boolean 'fortran_order'")
        }
        guard case .tuple(let axes)? = shapeLiteral else {
            throw VisCoreError.corruptData(source: source, reason: "the .npy header has no tuple 'shape'")
        }
        var shape: [Int] = []
        for axis in axes {
            guard case .int(let length) = axis, length >= 0 else {
                throw VisCoreError.corruptData(
                    source: source, reason: "the .npy shape has \(axis), expected non-negative integers")
            }
            shape.append(length)
        }
        let (diskType, bigEndian) = try parseDescr(descrText, source: source)
        return NPYHeader(diskType: diskType, bigEndian: bigEndian, fortranOrder: fortranOrder, shape: shape)
    }

    static func parseDescr(_ descr: String, source: String) throws -> (DiskType, bigEndian: Bool) {
        let characters = Array(descr.utf8)
        guard characters.count >= 2 else {
            throw VisCoreError.unsupportedFormat(source: source, reason: "unknown .npy dtype '\(descr)'")
        }
        var bigEndian = false
        var body = characters[...]
        switch characters[0] {
        case UInt8(ascii: "<"), UInt8(ascii: "|"), UInt8(ascii: "="): body = characters.dropFirst()
        case UInt8(ascii: ">"): bigEndian = true; body = characters.dropFirst()
        default: break
        }
        let kind = String(decoding: body, as: UTF8.self)
        let diskType: DiskType
        switch kind {
        case "f2": diskType = .float16
        case "f4": diskType = .element(.float32)
        case "f8": diskType = .element(.float64)
        case "i1": diskType = .element(.int8)
        case "i2": diskType = .element(.int16)
        case "i4": diskType = .element(.int32)
        case "i8": diskType = .element(.int64)
        case "u1": diskType = .element(.uint8)
        case "u2": diskType = .element(.uint16)
        case "u4": diskType = .element(.uint32)
        case "u8": diskType = .element(.uint64)
        case "b1", "?": diskType = .element(.bool)
        case "O", "O8", "O4":
            throw VisCoreError.unsupportedFormat(
                source: source, reason: "dtype '\(descr)' holds pickled Python objects, which are not read")
        default:
            throw VisCoreError.unsupportedFormat(
                source: source,
                reason: "unknown .npy dtype '\(descr)' (supported: f2 f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1)")
        }
        return (diskType, bigEndian)
    }

    /// The header text NumPy's `np.save` writes, byte for byte: sorted keys, a trailing `, ` and spare room for
    /// the first axis to grow to 21 digits.
    static func text(dtype: DType, shape: [Int]) -> String {
        let shapeText: String
        switch shape.count {
        case 0: shapeText = "()"
        case 1: shapeText = "(\(shape[0]),)"
        default: shapeText = "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
        var text = "{'descr': '\(descr(for: dtype))', 'fortran_order': False, 'shape': \(shapeText), }"
        if let first = shape.first {
            let growthAxisMaxDigits = 21
            text += String(repeating: " ", count: max(0, growthAxisMaxDigits - String(first).count))
        }
        return text
    }
}

/// The subset of Python literals a `.npy` header uses.
enum _PythonLiteral: Equatable, CustomStringConvertible {
    case string(String)
    case int(Int)
    case bool(Bool)
    case none
    case tuple([_PythonLiteral])
    case list([_PythonLiteral])
    case dict([(_PythonLiteral, _PythonLiteral)])

    static func == (lhs: _PythonLiteral, rhs: _PythonLiteral) -> Bool {
        switch (lhs, rhs) {
        case let (.string(a), .string(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.bool(a), .bool(b)): return a == b
        case (.none, .none): return true
        case let (.tuple(a), .tuple(b)), let (.list(a), .list(b)): return a == b
        case let (.dict(a), .dict(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    var description: String {
        switch self {
        case .string(let value): return "'\(value)'"
        case .int(let value): return String(value)
        case .bool(let value): return value ? "True" : "False"
        case .none: return "None"
        case .tuple(let items): return "(" + items.map(\.description).joined(separator: ", ") + ")"
        case .list(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .dict(let entries): return "{" + entries.map { "\($0): \($1)" }.joined(separator: ", ") + "}"
        }
    }
}

/// A recursive-descent parser for Python literals: dicts, tuples, lists, quoted strings, integers (with
/// Python 2's `L` suffix), `True`, `False`, `None`. Nesting is bounded so hostile input cannot exhaust the stack.
struct _PythonLiteralParser {
    let bytes: [UInt8]
    let source: String
    var position = 0
    static let maximumDepth = 16

    init(bytes: [UInt8], source: String) {
        self.bytes = bytes
        self.source = source
    }

    mutating func parseTopLevel() throws -> _PythonLiteral {
        let value = try parseValue(depth: 0)
        skipWhitespace()
        guard position == bytes.count else { throw failure("unexpected text after the header dict") }
        return value
    }

    private func failure(_ what: String) -> VisCoreError {
        .corruptData(source: source, reason: "malformed .npy header at byte \(position): \(what)")
    }

    private mutating func skipWhitespace() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func parseValue(depth: Int) throws -> _PythonLiteral {
        guard depth < Self.maximumDepth else { throw failure("nesting deeper than \(Self.maximumDepth)") }
        skipWhitespace()
        guard let byte = current else { throw failure("unexpected end of header") }
        switch byte {
        case UInt8(ascii: "{"):
            position += 1
            var entries: [(_PythonLiteral, _PythonLiteral)] = []
            try parseSequence(closing: UInt8(ascii: "}")) { parser in
                let key = try parser.parseValue(depth: depth + 1)
                parser.skipWhitespace()
                guard parser.current == UInt8(ascii: ":") else { throw parser.failure("expected ':' after a key") }
                parser.position += 1
                entries.append((key, try parser.parseValue(depth: depth + 1)))
            }
            return .dict(entries)
        case UInt8(ascii: "("), UInt8(ascii: "["):
            let isTuple = byte == UInt8(ascii: "(")
            position += 1
            var items: [_PythonLiteral] = []
            try parseSequence(closing: isTuple ? UInt8(ascii: ")") : UInt8(ascii: "]")) { parser in
                items.append(try parser.parseValue(depth: depth + 1))
            }
            return isTuple ? .tuple(items) : .list(items)
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            return .string(try parseString(quote: byte))
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"):
            return .int(try parseInteger())
        default:
            for (word, value) in [("True", _PythonLiteral.bool(true)), ("False", .bool(false)), ("None", .none)] {
                let utf8 = Array(word.utf8)
                if bytes.count - position >= utf8.count, Array(bytes[position..<position + utf8.count]) == utf8 {
                    position += utf8.count
                    return value
                }
            }
            throw failure("unexpected character '\(Unicode.Scalar(byte))'")
        }
    }

    /// Parses `item (, item)* [,] closing`, the opening bracket already consumed.
    private mutating func parseSequence(closing: UInt8, item: (inout _PythonLiteralParser) throws -> Void) throws {
        while true {
            skipWhitespace()
            guard let byte = current else { throw failure("unterminated '\(Unicode.Scalar(closing))'") }
            if byte == closing {
                position += 1
                return
            }
            try item(&self)
            skipWhitespace()
            guard let separator = current else { throw failure("unterminated '\(Unicode.Scalar(closing))'") }
            if separator == UInt8(ascii: ",") {
                position += 1
            } else if separator != closing {
                throw failure("expected ',' or '\(Unicode.Scalar(closing))'")
            }
        }
    }

    private mutating func parseString(quote: UInt8) throws -> String {
        position += 1
        var content: [UInt8] = []
        while let byte = current {
            position += 1
            if byte == quote { return String(decoding: content, as: UTF8.self) }
            if byte == UInt8(ascii: "\\") {
                guard let escaped = current else { break }
                position += 1
                content.append(escaped)
            } else {
                content.append(byte)
            }
        }
        throw failure("unterminated string")
    }

    private mutating func parseInteger() throws -> Int {
        var negative = false
        if current == UInt8(ascii: "-") || current == UInt8(ascii: "+") {
            negative = current == UInt8(ascii: "-")
            position += 1
        }
        var value = 0
        var digits = 0
        while let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = times10.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { throw failure("integer too large") }
            value = next
            digits += 1
            position += 1
        }
        guard digits > 0 else { throw failure("expected digits") }
        if current == UInt8(ascii: "L") || current == UInt8(ascii: "l") { position += 1 }
        return negative ? -value : value
    }
}
