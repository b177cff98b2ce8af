// Wire decoding of the event messages. Unknown fields are skipped, as protobuf readers do, so files written by
// TensorFlow, torch or tensorboardX (which add fields this library never writes) decode too.

extension TensorboardEvent {
    /// Decodes a serialized `Event`.
    ///
    /// - Throws: ``ProtobufDecodingError`` when the bytes are not a well-formed `Event`.
    public init(serialized bytes: [UInt8]) throws(ProtobufDecodingError) {
        var reader = ProtobufReader(bytes)
        try self.init(reader: &reader)
    }

    init(reader: inout ProtobufReader) throws(ProtobufDecodingError) {
        self.init(wallTime: 0)
        while let (field, wireType) = try reader.nextField() {
            switch field {
            case 1:
                try reader.expect(wireType, .fixed64, field: "Event.wall_time")
                wallTime = try reader.readDouble()
            case 2:
                try reader.expect(wireType, .varint, field: "Event.step")
                step = try reader.readInt64()
            case 3:
                try reader.expect(wireType, .lengthDelimited, field: "Event.file_version")
                content = .fileVersion(try reader.readString())
            case 5:
                try reader.expect(wireType, .lengthDelimited, field: "Event.summary")
                var summary = try reader.message()
                content = .summary(try TensorboardSummary(reader: &summary))
            case 4, 6, 7, 8, 9:
                try reader.skip(wireType)
                content = .other(field: field)
            default:
                try reader.skip(wireType)
            }
        }
    }
}

extension TensorboardSummary {
    init(reader: inout ProtobufReader) throws(ProtobufDecodingError) {
        self.init(values: [])
        while let (field, wireType) = try reader.nextField() {
            if field == 1 {
                try reader.expect(wireType, .lengthDelimited, field: "Summary.value")
                var value = try reader.message()
                values.append(try Value(reader: &value))
            } else {
                try reader.skip(wireType)
            }
        }
    }
}

extension TensorboardSummary.Value {
    init(reader: inout ProtobufReader) throws(ProtobufDecodingError) {
        self.init(tag: "", kind: .none)
        while let (field, wireType) = try reader.nextField() {
            switch field {
            case 1:
                try reader.expect(wireType, .lengthDelimited, field: "Summary.Value.tag")
                tag = try reader.readString()
            case 2:
                try reader.expect(wireType, .fixed32, field: "Summary.Value.simple_value")
                kind = .simpleValue(try reader.readFloat())
            case 4:
                try reader.expect(wireType, .lengthDelimited, field: "Summary.Value.image")
                var image = try reader.message()
                kind = .image(try TensorboardSummary.Image(reader: &image))
            case 8:
                try reader.expect(wireType, .lengthDelimited, field: "Summary.Value.tensor")
                var tensor = try reader.message()
                kind = .tensor(try TensorboardTensor(reader: &tensor))
            case 9:
                try reader.expect(wireType, .lengthDelimited, field: "Summary.Value.metadata")
                var metadata = try reader.message()
                self.metadata = try TensorboardSummary.Metadata(reader: &metadata)
            case 3, 5, 6:
                try reader.skip(wireType)
                kind = .other(field: field)
            default:
                try reader.skip(wireType)
            }
        }
    }
}

extension TensorboardSummary.Image {
    init(reader: inout ProtobufReader) throws(ProtobufDecodingError) {
        self.init(height: 0, width: 0, colorspace: 0, encoded: [])
        while let (field, wireType) = try reader.nextField() {
            switch field {
            case 1, 2, 3:
                try reader.expect(wireType, .varint, field: "Summary.Image field \(field)")
                let value = Int32(truncatingIfNeeded: try reader.readInt64())
                if field == 1 { height = value } else if field == 2 { width = value } else { colorspace = value }
            case 4:
                try reader.expect(wireType, .lengthDelimited, field: "Summary.Image.encoded_image_string")
                encoded = try reader.readBytes()
            default:
                try reader.skip(wireType)
            }
        }
    }
}

extension TensorboardSummary.Metadata {
    init(reader: inout ProtobufReader) throws(ProtobufDecodingError) {
        self.init(pluginName: "")
        while let (field, wireType) = try reader.nextField() {
            switch field {
            case 1:
                try reader.expect(wireType, .lengthDelimited, field: "SummaryMetadata.plugin_data")
                var pluginData = try reader.message()
                while let (inner, innerType) = try pluginData.nextField() {
                    switch inner {
                    case 1:
                        try pluginData.expect(innerType, .lengthDelimited, field: "PluginData.plugin_name")
                        pluginName = try pluginData.readString()
                    case 2:
                        try pluginData.expect(innerType, .lengthDelimited, field: "PluginData.content")
                        pluginContent = try pluginData.readBytes()
                    default:
                        try pluginData.skip(innerType)
                    }
                }
            case 2:
                try reader.expect(wireType, .lengthDelimited, field: "SummaryMetadata.display_name")
                displayName = try reader.readString()
            case 3:
                try reader.expect(wireType, .lengthDelimited, field: "SummaryMetadata.summary_description")
                summaryDescription = try reader.readString()
            case 4:
                try reader.expect(wireType, .varint, field: "SummaryMetadata.data_class")
                dataClass = Int32(truncatingIfNeeded: try reader.readInt64())
            default:
                try reader.skip(wireType)
            }
        }
    }
}

extension TensorboardTensor {
    init(reader: inout ProtobufReader) throws(ProtobufDecodingError) {
        self.init(dataType: .invalid, shape: nil)
        while let (field, wireType) = try reader.nextField() {
            switch field {
            case 1:
                try reader.expect(wireType, .varint, field: "TensorProto.dtype")
                dataType = DataType(rawValue: Int32(truncatingIfNeeded: try reader.readInt64()))
            case 2:
                try reader.expect(wireType, .lengthDelimited, field: "TensorProto.tensor_shape")
                var shapeReader = try reader.message()
                var dimensions: [Int64] = []
                while let (inner, innerType) = try shapeReader.nextField() {
                    guard inner == 2 else {
                        try shapeReader.skip(innerType)
                        continue
                    }
                    try shapeReader.expect(innerType, .lengthDelimited, field: "TensorShapeProto.dim")
                    var dim = try shapeReader.message()
                    var size: Int64 = 0
                    while let (dimField, dimType) = try dim.nextField() {
                        if dimField == 1 {
                            try dim.expect(dimType, .varint, field: "TensorShapeProto.Dim.size")
                            size = try dim.readInt64()
                        } else {
                            try dim.skip(dimType)
                        }
                    }
                    dimensions.append(size)
                }
                shape = dimensions
            case 4:
                try reader.expect(wireType, .lengthDelimited, field: "TensorProto.tensor_content")
                content = try reader.readBytes()
            case 5:
                try reader.readRepeated(wireType, elementType: .fixed32, field: "TensorProto.float_val") {
                    element throws(ProtobufDecodingError) in
                    floatValues.append(try element.readFloat())
                }
            case 6:
                try reader.readRepeated(wireType, elementType: .fixed64, field: "TensorProto.double_val") {
                    element throws(ProtobufDecodingError) in
                    doubleValues.append(try element.readDouble())
                }
            case 7:
                try reader.readRepeated(wireType, elementType: .varint, field: "TensorProto.int_val") {
                    element throws(ProtobufDecodingError) in
                    intValues.append(Int32(truncatingIfNeeded: try element.readInt64()))
                }
            case 8:
                try reader.expect(wireType, .lengthDelimited, field: "TensorProto.string_val")
                stringValues.append(try reader.readBytes())
            case 10:
                try reader.readRepeated(wireType, elementType: .varint, field: "TensorProto.int64_val") {
                    element throws(ProtobufDecodingError) in
                    int64Values.append(try element.readInt64())
                }
            default:
                try reader.skip(wireType)
            }
        }
    }

    /// The single number this tensor holds, if it is a one-element float, double or integer tensor (how TF2
    /// writes scalars); `nil` otherwise.
    public var scalarValue: Double? {
        let elementCount = (shape ?? []).reduce(Int64(1)) { $0.multipliedReportingOverflow(by: $1).partialValue }
        guard elementCount == 1 else { return nil }
        switch dataType {
        case .float:
            if let value = floatValues.first { return Double(value) }
            if content.count == 4 { return Double(Float(bitPattern: Self.littleEndian(content, as: UInt32.self))) }
        case .double:
            if let value = doubleValues.first { return value }
            if content.count == 8 { return Double(bitPattern: Self.littleEndian(content, as: UInt64.self)) }
        case .int32:
            if let value = intValues.first { return Double(value) }
            if content.count == 4 { return Double(Int32(bitPattern: Self.littleEndian(content, as: UInt32.self))) }
        case .int64:
            if let value = int64Values.first { return Double(value) }
            if content.count == 8 { return Double(Int64(bitPattern: Self.littleEndian(content, as: UInt64.self))) }
        default:
            break
        }
        return nil
    }

    /// The UTF-8 strings of a `DT_STRING` tensor.
    public var strings: [String] {
        stringValues.map { String(decoding: $0, as: UTF8.self) }
    }

    private static func littleEndian<T: FixedWidthInteger>(_ bytes: [UInt8], as type: T.Type) -> T {
        bytes.reversed().reduce(T.zero) { ($0 << 8) | T(truncatingIfNeeded: $1) }
    }
}
