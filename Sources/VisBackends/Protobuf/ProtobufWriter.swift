/// The protobuf wire types the TensorBoard messages use.
public enum ProtobufWireType: UInt8, Sendable {
    /// Base-128 varint (int32, int64, enum, bool).
    case varint = 0
    /// Eight little-endian bytes (double, fixed64).
    case fixed64 = 1
    /// A varint length followed by that many bytes (string, bytes, messages, packed repeated fields).
    case lengthDelimited = 2
    /// Four little-endian bytes (float, fixed32).
    case fixed32 = 5
}

/// A message that can write itself in protobuf wire format.
///
/// Encoding is two-pass like the reference implementations: ``_encodedSize`` first (so a length prefix can
/// be written before the body), then ``_encode(into:)`` straight into the destination buffer, with no
/// intermediate buffers for nested messages.
public protocol _ProtobufEncodable {
    /// The number of bytes ``_encode(into:)`` appends.
    var _encodedSize: Int { get }
    /// Appends the message's fields (without a key or length prefix).
    func _encode(into writer: inout ProtobufWriter)
}

/// Appends protobuf wire-format data to a byte buffer.
///
/// The field helpers always write; proto3's "leave out default values" rule is applied by the messages, which
/// know which of their fields have presence.
public struct ProtobufWriter: Sendable {
    /// The bytes written so far.
    public var bytes: [UInt8]

    /// Creates a writer with room for `capacity` bytes.
    public init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// The number of bytes `value` takes as a varint (1–10).
    @inlinable
    public static func varintSize(_ value: UInt64) -> Int {
        // Each byte carries 7 bits; `| 1` makes zero take one byte.
        let bits = 64 - (value | 1).leadingZeroBitCount
        return (bits + 6) / 7
    }

    /// The number of bytes a field key takes.
    @inlinable
    public static func keySize(field: Int) -> Int {
        varintSize(UInt64(field) << 3)
    }

    /// The size of a length-delimited field holding `length` bytes, key included.
    @inlinable
    public static func lengthDelimitedFieldSize(field: Int, length: Int) -> Int {
        keySize(field: field) + varintSize(UInt64(length)) + length
    }

    /// Appends `value` as a base-128 varint.
    @inlinable
    public mutating func appendVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// Appends a field key (`field << 3 | wireType`).
    @inlinable
    public mutating func appendKey(field: Int, wireType: ProtobufWireType) {
        appendVarint(UInt64(field) << 3 | UInt64(wireType.rawValue))
    }

    /// Appends a varint field; negative `Int64` values take ten bytes, as protobuf's int32/int64 do.
    @inlinable
    public mutating func appendVarintField(_ field: Int, _ value: Int64) {
        appendKey(field: field, wireType: .varint)
        appendVarint(UInt64(bitPattern: value))
    }

    /// Appends a double field (fixed64, little-endian).
    @inlinable
    public mutating func appendDoubleField(_ field: Int, _ value: Double) {
        appendKey(field: field, wireType: .fixed64)
        appendFixed64(value.bitPattern)
    }

    /// Appends a float field (fixed32, little-endian).
    @inlinable
    public mutating func appendFloatField(_ field: Int, _ value: Float) {
        appendKey(field: field, wireType: .fixed32)
        appendFixed32(value.bitPattern)
    }

    /// Appends eight little-endian bytes.
    @inlinable
    public mutating func appendFixed64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends four little-endian bytes.
    @inlinable
    public mutating func appendFixed32(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends a bytes field.
    @inlinable
    public mutating func appendBytesField(_ field: Int, _ value: some Collection<UInt8>) {
        appendKey(field: field, wireType: .lengthDelimited)
        appendVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// Appends a string field (UTF-8).
    @inlinable
    public mutating func appendStringField(_ field: Int, _ value: String) {
        appendBytesField(field, value.utf8)
    }

    /// Appends a nested message field.
    @inlinable
    public mutating func appendMessageField(_ field: Int, _ message: some _ProtobufEncodable) {
        appendKey(field: field, wireType: .lengthDelimited)
        appendVarint(UInt64(message._encodedSize))
        message._encode(into: &self)
    }

    /// The size of a nested message field, key and length included.
    @inlinable
    public static func messageFieldSize(_ field: Int, _ message: some _ProtobufEncodable) -> Int {
        lengthDelimitedFieldSize(field: field, length: message._encodedSize)
    }
}
