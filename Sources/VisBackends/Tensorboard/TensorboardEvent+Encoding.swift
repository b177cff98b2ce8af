// Wire encoding of the event messages. Sizes and bodies are computed by the same field list (`_encodedSize`
// mirrors `_encode`), so a change to one must be made to the other; the byte-exact tests catch a mismatch.

extension TensorboardEvent: _ProtobufEncodable {
    public var _encodedSize: Int {
        switch content {
        case .none, .other:
            return Self._size(
                wallTime: wallTime, step: step, fileVersion: nil, summary: Optional<TensorboardSummary>.none)
        case .fileVersion(let version):
            return Self._size(
                wallTime: wallTime, step: step, fileVersion: version, summary: Optional<TensorboardSummary>.none)
        case .summary(let summary):
            return Self._size(wallTime: wallTime, step: step, fileVersion: nil, summary: summary)
        }
    }

    public func _encode(into writer: inout ProtobufWriter) {
        switch content {
        case .none, .other:
            Self._encode(
                wallTime: wallTime, step: step, fileVersion: nil, summary: Optional<TensorboardSummary>.none,
                into: &writer)
        case .fileVersion(let version):
            Self._encode(
                wallTime: wallTime, step: step, fileVersion: version, summary: Optional<TensorboardSummary>.none,
                into: &writer)
        case .summary(let summary):
            Self._encode(wallTime: wallTime, step: step, fileVersion: nil, summary: summary, into: &writer)
        }
    }

    /// The protobuf serialization of the event.
    public func serialized() -> [UInt8] {
        var writer = ProtobufWriter(capacity: _encodedSize)
        _encode(into: &writer)
        return writer.bytes
    }

    /// The size of an `Event` with these fields; generic over the summary so the writer's one-value fast path
    /// (``_SingleValueSummary``) shares this code.
    static func _size<S: _ProtobufEncodable>(wallTime: Double, step: Int64, fileVersion: String?, summary: S?) -> Int {
        var size = wallTime.bitPattern == 0 ? 0 : 9
        if step != 0 { size += 1 + ProtobufWriter.varintSize(UInt64(bitPattern: step)) }
        if let fileVersion { size += ProtobufWriter.lengthDelimitedFieldSize(field: 3, length: fileVersion.utf8.count) }
        if let summary { size += ProtobufWriter.messageFieldSize(5, summary) }
        return size
    }

    static func _encode<S: _ProtobufEncodable>(
        wallTime: Double, step: Int64, fileVersion: String?, summary: S?, into writer: inout ProtobufWriter
    ) {
        if wallTime.bitPattern != 0 { writer.appendDoubleField(1, wallTime) }
        if step != 0 { writer.appendVarintField(2, step) }
        if let fileVersion { writer.appendStringField(3, fileVersion) }
        if let summary { writer.appendMessageField(5, summary) }
    }
}

/// A `Summary` holding exactly one value, encoded like ``TensorboardSummary`` without allocating an array:
/// the writer's hot path for scalars.
struct _SingleValueSummary: _ProtobufEncodable {
    let value: TensorboardSummary.Value
    var _encodedSize: Int { ProtobufWriter.messageFieldSize(1, value) }
    func _encode(into writer: inout ProtobufWriter) { writer.appendMessageField(1, value) }
}

extension TensorboardSummary: _ProtobufEncodable {
    public var _encodedSize: Int {
        values.reduce(0) { $0 + ProtobufWriter.messageFieldSize(1, $1) }
    }

    public func _encode(into writer: inout ProtobufWriter) {
        for value in values { writer.appendMessageField(1, value) }
    }
}

extension TensorboardSummary.Value: _ProtobufEncodable {
    public var _encodedSize: Int {
        var size = tag.utf8.isEmpty ? 0 : ProtobufWriter.lengthDelimitedFieldSize(field: 1, length: tag.utf8.count)
        switch kind {
        case .none, .other: break
        case .simpleValue: size += 5
        case .image(let image): size += ProtobufWriter.messageFieldSize(4, image)
        case .tensor(let tensor): size += ProtobufWriter.messageFieldSize(8, tensor)
        }
        if let metadata { size += ProtobufWriter.messageFieldSize(9, metadata) }
        return size
    }

    public func _encode(into writer: inout ProtobufWriter) {
        if !tag.utf8.isEmpty { writer.appendStringField(1, tag) }
        switch kind {
        case .none, .other: break
        case .simpleValue(let value): writer.appendFloatField(2, value)
        case .image(let image): writer.appendMessageField(4, image)
        case .tensor(let tensor): writer.appendMessageField(8, tensor)
        }
        if let metadata { writer.appendMessageField(9, metadata) }
    }
}

extension TensorboardSummary.Image: _ProtobufEncodable {
    public var _encodedSize: Int {
        var size = 0
        for (field, value) in [(1, height), (2, width), (3, colorspace)] where value != 0 {
            size += ProtobufWriter.keySize(field: field) + ProtobufWriter.varintSize(UInt64(bitPattern: Int64(value)))
        }
        if !encoded.isEmpty { size += ProtobufWriter.lengthDelimitedFieldSize(field: 4, length: encoded.count) }
        return size
    }

    public func _encode(into writer: inout ProtobufWriter) {
        for (field, value) in [(1, height), (2, width), (3, colorspace)] where value != 0 {
            writer.appendVarintField(field, Int64(value))
        }
        if !encoded.isEmpty { writer.appendBytesField(4, encoded) }
    }
}

extension TensorboardSummary.Metadata: _ProtobufEncodable {
    private var pluginDataSize: Int {
        (pluginName.utf8.isEmpty ? 0 : ProtobufWriter.lengthDelimitedFieldSize(field: 1, length: pluginName.utf8.count))
            + (pluginContent.isEmpty
                ? 0 : ProtobufWriter.lengthDelimitedFieldSize(field: 2, length: pluginContent.count))
    }

    public var _encodedSize: Int {
        var size = ProtobufWriter.lengthDelimitedFieldSize(field: 1, length: pluginDataSize)
        if !displayName.utf8.isEmpty {
            size += ProtobufWriter.lengthDelimitedFieldSize(field: 2, length: displayName.utf8.count)
        }
        if !summaryDescription.utf8.isEmpty {
            size += ProtobufWriter.lengthDelimitedFieldSize(field: 3, length: summaryDescription.utf8.count)
        }
        if dataClass != 0 { size += 1 + ProtobufWriter.varintSize(UInt64(bitPattern: Int64(dataClass))) }
        return size
    }

    public func _encode(into writer: inout ProtobufWriter) {
        writer.appendKey(field: 1, wireType: .lengthDelimited)
        writer.appendVarint(UInt64(pluginDataSize))
        if !pluginName.utf8.isEmpty { writer.appendStringField(1, pluginName) }
        if !pluginContent.isEmpty { writer.appendBytesField(2, pluginContent) }
        if !displayName.utf8.isEmpty { writer.appendStringField(2, displayName) }
        if !summaryDescription.utf8.isEmpty { writer.appendStringField(3, summaryDescription) }
        if dataClass != 0 { writer.appendVarintField(4, Int64(dataClass)) }
    }
}

extension TensorboardTensor: _ProtobufEncodable {
    /// `TensorShapeProto` body: one `dim { size }` message per dimension (a zero size is an empty message).
    private var shapeBodySize: Int {
        (shape ?? []).reduce(0) { size, dimension in
            let dimSize = dimension == 0 ? 0 : 1 + ProtobufWriter.varintSize(UInt64(bitPattern: dimension))
            return size + ProtobufWriter.lengthDelimitedFieldSize(field: 2, length: dimSize)
        }
    }

    private var packedIntSize: Int {
        intValues.reduce(0) { $0 + ProtobufWriter.varintSize(UInt64(bitPattern: Int64($1))) }
    }

    private var packedInt64Size: Int {
        int64Values.reduce(0) { $0 + ProtobufWriter.varintSize(UInt64(bitPattern: $1)) }
    }

    public var _encodedSize: Int {
        var size = 0
        if dataType.rawValue != 0 {
            size += 1 + ProtobufWriter.varintSize(UInt64(bitPattern: Int64(dataType.rawValue)))
        }
        if shape != nil { size += ProtobufWriter.lengthDelimitedFieldSize(field: 2, length: shapeBodySize) }
        if !content.isEmpty { size += ProtobufWriter.lengthDelimitedFieldSize(field: 4, length: content.count) }
        if !floatValues.isEmpty {
            size += ProtobufWriter.lengthDelimitedFieldSize(field: 5, length: 4 * floatValues.count)
        }
        if !doubleValues.isEmpty {
            size += ProtobufWriter.lengthDelimitedFieldSize(field: 6, length: 8 * doubleValues.count)
        }
        if !intValues.isEmpty { size += ProtobufWriter.lengthDelimitedFieldSize(field: 7, length: packedIntSize) }
        for string in stringValues { size += ProtobufWriter.lengthDelimitedFieldSize(field: 8, length: string.count) }
        if !int64Values.isEmpty { size += ProtobufWriter.lengthDelimitedFieldSize(field: 10, length: packedInt64Size) }
        return size
    }

    public func _encode(into writer: inout ProtobufWriter) {
        if dataType.rawValue != 0 { writer.appendVarintField(1, Int64(dataType.rawValue)) }
        if let shape {
            writer.appendKey(field: 2, wireType: .lengthDelimited)
            writer.appendVarint(UInt64(shapeBodySize))
            for dimension in shape {
                writer.appendKey(field: 2, wireType: .lengthDelimited)
                if dimension == 0 {
                    writer.appendVarint(0)
                } else {
                    writer.appendVarint(UInt64(1 + ProtobufWriter.varintSize(UInt64(bitPattern: dimension))))
                    writer.appendVarintField(1, dimension)
                }
            }
        }
        if !content.isEmpty { writer.appendBytesField(4, content) }
        if !floatValues.isEmpty {
            writer.appendKey(field: 5, wireType: .lengthDelimited)
            writer.appendVarint(UInt64(4 * floatValues.count))
            for value in floatValues { writer.appendFixed32(value.bitPattern) }
        }
        if !doubleValues.isEmpty {
            writer.appendKey(field: 6, wireType: .lengthDelimited)
            writer.appendVarint(UInt64(8 * doubleValues.count))
            for value in doubleValues { writer.appendFixed64(value.bitPattern) }
        }
        if !intValues.isEmpty {
            writer.appendKey(field: 7, wireType: .lengthDelimited)
            writer.appendVarint(UInt64(packedIntSize))
            for value in intValues { writer.appendVarint(UInt64(bitPattern: Int64(value))) }
        }
        for string in stringValues { writer.appendBytesField(8, string) }
        if !int64Values.isEmpty {
            writer.appendKey(field: 10, wireType: .lengthDelimited)
            writer.appendVarint(UInt64(packedInt64Size))
            for value in int64Values { writer.appendVarint(UInt64(bitPattern: value)) }
        }
    }
}
