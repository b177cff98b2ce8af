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
                wallTime = try reader.readDouble(wireType, field: "Event.wall_time")
            case 2:
                step = try reader.readInt64(wireType, field: "Event.step")
            case 3:
                content = .fileVersion(try reader.readString(wireType, field: "Event.file_version"))
            case 5:
                var summary = try reader.message(wireType, field: "Event.summary")
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
                var value = try reader.message(wireType, field: "Summary.value")
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
                tag = try reader.readString(wireType, field: "Summary.Value.tag")
            case 2:
                kind = .simpleValue(try reader.readFloat(wireType, field: "Summary.Value.simple_value"))
            case 4:
                var image = try reader.message(wireType, field: "Summary.Value.image")
                kind = .image(try TensorboardSummary.Image(reader: &image))
            case 8:
                var tensor = try reader.message(wireType, field: "Summary.Value.tensor")
                kind = .tensor(try TensorboardTensor(reader: &tensor))
            case 9:
                var metadata = try reader.message(wireType, field: "Summary.Value.metadata")
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
                let value = Int32(truncatingIfNeeded: try reader.readInt64(wireType, field: "Summary.Image field \(field)"))
                if field == 1 { height = value } else if field == 2 { width = value } else { colorspace = value }
            case 4:
                encoded = try reader.readBytes(wireType, field: "Summary.Image.encoded_image_string")
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
                var pluginData = try reader.message(wireType, field: "SummaryMetadata.plugin_data")
                while let (inner, innerType) = try pluginData.nextField() {
                    switch inner {
                    case 1:
                        pluginName = try pluginData.readString(innerType, field: "PluginData.plugin_name")
                    case 2:
                        pluginContent = try pluginData.readBytes(innerType, field: "PluginData.content")
                    default:
                        try pluginData.skip(innerType)
                    }
                }
            case 2:
                displayName = try reader.readString(wireType, field: "SummaryMetadata.display_name")
            case 3:
                summaryDescription = try reader.readString(wireType, field: "SummaryMetadata.summary_description")
            case 4:
                dataClass = Int32(truncatingIfNeeded: try reader.readInt64(wireType, field: "SummaryMetadata.data_class"))
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
                dataType = DataType(rawValue: Int32(truncatingIfNeeded: try reader.readInt64(wireType, field: "TensorProto.dtype")))
            case 2:
                var shapeReader = try reader.message(wireType, field: "TensorProto.tensor_shape")
                var dimensions: [Int64] = []
                while let (inner, innerType) = try shapeReader.nextField() {
                    guard inner == 2 else {
                        try shapeReader.skip(innerType)
                        continue
                    }
                    var dim = try shapeReader.message(innerType, field: "TensorShapeProto.dim")
                    var size: Int64 = 0
                    while let (dimField, dimType) = try dim.nextField() {
                        if dimField == 1 {
                            size = try dim.readInt64(dimType, field: "TensorShapeProto.Dim.size")
                        } else {
                            try dim.skip(dimType)
                        }
                    }
                    dimensions.append(size)
                }
                shape = dimensions
            case 4:
                content = try reader.readBytes(wireType, field: "TensorProto.tensor_content")
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
                stringValues.append(try reader.readBytes(wireType, field: "TensorProto.string_val"))
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
