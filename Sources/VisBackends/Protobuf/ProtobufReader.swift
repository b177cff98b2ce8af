import Foundation

/// Reads protobuf wire-format fields from a byte range, checking every length against the bytes that remain.
///
/// Nested messages are read with ``message()``, which returns a reader over the same storage (no copy). The
/// reader never allocates more than the input holds, so a hostile length cannot make it allocate.
public struct ProtobufReader: Sendable {
    /// The whole input; the reader looks only at `position..<end`.
    public let storage: [UInt8]
    /// The offset of the next unread byte in ``storage``.
    public private(set) var position: Int
    /// The offset just past the last byte of this message in ``storage``.
    public let end: Int

    /// A reader over all of `bytes`.
    public init(_ bytes: [UInt8]) {
        self.init(storage: bytes, range: bytes.startIndex..<bytes.endIndex)
    }

    /// A reader over `range` of `storage`.
    public init(storage: [UInt8], range: Range<Int>) {
        self.storage = storage
        self.position = range.lowerBound
        self.end = range.upperBound
    }

    /// Whether every byte has been read.
    public var isAtEnd: Bool { position >= end }

    /// Reads the next field key, or returns `nil` at the end of the message.
    ///
    /// - Throws: ``ProtobufDecodingError`` for field number 0 or a wire type other than 0, 1, 2 or 5.
    public mutating func nextField() throws(ProtobufDecodingError) -> (field: Int, wireType: ProtobufWireType)? {
        guard !isAtEnd else { return nil }
        let start = position
        let key = try readVarint()
        let field = key >> 3
        guard field > 0, field <= 0x1FFF_FFFF else {
            throw ProtobufDecodingError(offset: start, reason: "field number \(field) outside 1...536870911")
        }
        guard let wireType = ProtobufWireType(rawValue: UInt8(key & 7)) else {
            throw ProtobufDecodingError(offset: start, reason: "unsupported wire type \(key & 7) for field \(field)")
        }
        return (Int(field), wireType)
    }

    /// Reads a base-128 varint of at most ten bytes.
    public mutating func readVarint() throws(ProtobufDecodingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        let start = position
        while position < end {
            let byte = storage[position]
            position += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
            if shift >= 70 { break }
        }
        throw ProtobufDecodingError(
            offset: start, reason: position >= end ? "truncated varint" : "varint longer than 10 bytes")
    }

    /// Reads a varint and reinterprets it as a signed 64-bit integer (int64 / int32 / enum fields).
    public mutating func readInt64() throws(ProtobufDecodingError) -> Int64 {
        Int64(bitPattern: try readVarint())
    }

    /// Reads eight little-endian bytes.
    public mutating func readFixed64() throws(ProtobufDecodingError) -> UInt64 {
        try require(8)
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(storage[position + index]) << (8 * UInt64(index)) }
        position += 8
        return value
    }

    /// Reads four little-endian bytes.
    public mutating func readFixed32() throws(ProtobufDecodingError) -> UInt32 {
        try require(4)
        var value: UInt32 = 0
        for index in 0..<4 { value |= UInt32(storage[position + index]) << (8 * UInt32(index)) }
        position += 4
        return value
    }

    /// Reads a double (fixed64) field value.
    public mutating func readDouble() throws(ProtobufDecodingError) -> Double {
        Double(bitPattern: try readFixed64())
    }

    /// Reads a float (fixed32) field value.
    public mutating func readFloat() throws(ProtobufDecodingError) -> Float {
        Float(bitPattern: try readFixed32())
    }

    /// Reads the length prefix of a length-delimited field and returns the range of its bytes in ``storage``.
    public mutating func readLengthDelimitedRange() throws(ProtobufDecodingError) -> Range<Int> {
        let start = position
        let length = try readVarint()
        guard length <= UInt64(end - position) else {
            throw ProtobufDecodingError(
                offset: start,
                reason: "length \(length) runs past the end of the message (\(end - position) bytes left)")
        }
        let range = position..<(position + Int(length))
        position = range.upperBound
        return range
    }

    /// Reads a bytes field value.
    public mutating func readBytes() throws(ProtobufDecodingError) -> [UInt8] {
        Array(storage[try readLengthDelimitedRange()])
    }

    /// Reads a string field value; invalid UTF-8 is repaired with U+FFFD.
    public mutating func readString() throws(ProtobufDecodingError) -> String {
        String(decoding: storage[try readLengthDelimitedRange()], as: UTF8.self)
    }

    /// Reads a nested message field value and returns a reader over it.
    public mutating func message() throws(ProtobufDecodingError) -> ProtobufReader {
        ProtobufReader(storage: storage, range: try readLengthDelimitedRange())
    }

    /// Skips the value of a field of the given wire type.
    public mutating func skip(_ wireType: ProtobufWireType) throws(ProtobufDecodingError) {
        switch wireType {
        case .varint: _ = try readVarint()
        case .fixed64:
            try require(8)
            position += 8
        case .lengthDelimited: _ = try readLengthDelimitedRange()
        case .fixed32:
            try require(4)
            position += 4
        }
    }

    /// Throws unless `wireType` is `expected`; a field with the right number but the wrong type is corrupt.
    public func expect(
        _ wireType: ProtobufWireType, _ expected: ProtobufWireType, field: String
    ) throws(ProtobufDecodingError) {
        guard wireType == expected else {
            throw ProtobufDecodingError(
                offset: position,
                reason: "field `\(field)` has wire type \(wireType.rawValue), expected \(expected.rawValue)")
        }
    }

    /// Reads a string field after checking that its wire type is length-delimited; `field` names it in errors.
    public mutating func readString(_ wireType: ProtobufWireType, field: String) throws(ProtobufDecodingError) -> String {
        try expect(wireType, .lengthDelimited, field: field)
        return try readString()
    }

    /// Reads a bytes field after checking that its wire type is length-delimited.
    public mutating func readBytes(_ wireType: ProtobufWireType, field: String) throws(ProtobufDecodingError) -> [UInt8] {
        try expect(wireType, .lengthDelimited, field: field)
        return try readBytes()
    }

    /// Opens an embedded message after checking that its wire type is length-delimited.
    public mutating func message(_ wireType: ProtobufWireType, field: String) throws(ProtobufDecodingError) -> ProtobufReader {
        try expect(wireType, .lengthDelimited, field: field)
        return try message()
    }

    /// Reads an int64/int32/enum field after checking that its wire type is varint.
    public mutating func readInt64(_ wireType: ProtobufWireType, field: String) throws(ProtobufDecodingError) -> Int64 {
        try expect(wireType, .varint, field: field)
        return try readInt64()
    }

    /// Reads a raw varint field after checking its wire type.
    public mutating func readVarint(_ wireType: ProtobufWireType, field: String) throws(ProtobufDecodingError) -> UInt64 {
        try expect(wireType, .varint, field: field)
        return try readVarint()
    }

    /// Reads a double field after checking that its wire type is fixed64.
    public mutating func readDouble(_ wireType: ProtobufWireType, field: String) throws(ProtobufDecodingError) -> Double {
        try expect(wireType, .fixed64, field: field)
        return try readDouble()
    }

    /// Reads a float field after checking that its wire type is fixed32.
    public mutating func readFloat(_ wireType: ProtobufWireType, field: String) throws(ProtobufDecodingError) -> Float {
        try expect(wireType, .fixed32, field: field)
        return try readFloat()
    }

    /// Reads a repeated scalar field that may be packed (length-delimited) or not, calling `element` per value.
    public mutating func readRepeated(
        _ wireType: ProtobufWireType, elementType: ProtobufWireType, field: String,
        _ element: (inout ProtobufReader) throws(ProtobufDecodingError) -> Void
    ) throws(ProtobufDecodingError) {
        if wireType == .lengthDelimited && elementType != .lengthDelimited {
            var packed = try message()
            while !packed.isAtEnd { try element(&packed) }
        } else {
            try expect(wireType, elementType, field: field)
            try element(&self)
        }
    }

    private func require(_ count: Int) throws(ProtobufDecodingError) {
        guard end - position >= count else {
            throw ProtobufDecodingError(offset: position, reason: "needs \(count) bytes, \(end - position) left")
        }
    }
}

/// Protobuf bytes that do not decode: `offset` is where in the decoded buffer the problem was found.
public struct ProtobufDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The byte offset in the decoded buffer.
    public let offset: Int
    /// What was wrong.
    public let reason: String

    /// Creates an error at `offset`.
    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "malformed protobuf at byte \(offset): \(reason)" }
}

/// `localizedDescription` is the ``description``, not Foundation's generic "The operation could not be completed".
extension ProtobufDecodingError: LocalizedError {
    public var errorDescription: String? { description }
}
