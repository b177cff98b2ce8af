// Protobuf decoding of the W&B records: accepts fields in any order and skips fields it does not model.

extension WandbRecord {
    /// Decodes one serialized `wandb_internal.Record`.
    ///
    /// - Throws: ``ProtobufDecodingError`` when the bytes are not a well-formed record.
    public init(serialized bytes: [UInt8]) throws(ProtobufDecodingError) {
        var reader = ProtobufReader(bytes)
        var number: Int64 = 0
        var content: Content?
        while let (field, wireType) = try reader.nextField() {
            switch field {
            case 1:
                try reader.expect(wireType, .varint, field: "Record.num")
                number = try reader.readInt64()
            case 2, 3, 5, 6, 12, 17, 18, 21:
                try reader.expect(wireType, .lengthDelimited, field: "Record.\(field)")
                var body = try reader.message()
                content = try Self.decodeContent(field: field, &body)
            case 16, 19, 200:
                // control, uuid, _info: bookkeeping beside the record type.
                try reader.skip(wireType)
            default:
                // A record type this package does not model (output, stats, telemetry, final, footer, …).
                content = .other(field: field)
                try reader.skip(wireType)
            }
        }
        guard let content else {
            throw ProtobufDecodingError(offset: bytes.count, reason: "record \(number) has no record_type")
        }
        self.init(number: number, content: content)
    }

    private static func decodeContent(field: Int, _ body: inout ProtobufReader) throws(ProtobufDecodingError) -> Content
    {
        switch field {
        case 2: return .history(try WandbHistoryRecord(&body))
        case 3: return .summary(try WandbItemsRecord(&body))
        case 5: return .config(try WandbItemsRecord(&body))
        case 6:
            var files: [WandbFileItem] = []
            while let (inner, wireType) = try body.nextField() {
                if inner == 1 {
                    try body.expect(wireType, .lengthDelimited, field: "FilesRecord.files")
                    var item = try body.message()
                    files.append(try WandbFileItem(&item))
                } else {
                    try body.skip(wireType)
                }
            }
            return .files(files)
        case 12: return .metric(try WandbMetricRecord(&body))
        case 17: return .run(try WandbRunRecord(&body))
        case 18: return .exit(try WandbExitRecord(&body))
        default: return .header(try WandbHeaderRecord(&body))
        }
    }
}

extension WandbHeaderRecord {
    init(_ reader: inout ProtobufReader) throws(ProtobufDecodingError) {
        self.init(producer: "", minimumConsumer: "")
        while let (field, wireType) = try reader.nextField() {
            guard field == 1 else {
                try reader.skip(wireType)
                continue
            }
            try reader.expect(wireType, .lengthDelimited, field: "HeaderRecord.version_info")
            var info = try reader.message()
            while let (inner, innerType) = try info.nextField() {
                switch inner {
                case 1: producer = try info._string(innerType, "VersionInfo.producer")
                case 2: minimumConsumer = try info._string(innerType, "VersionInfo.min_consumer")
                default: try info.skip(innerType)
                }
            }
        }
    }
}

extension WandbItem {
    init(_ reader: inout ProtobufReader) throws(ProtobufDecodingError) {
        self.init(key: "", valueJSON: "")
        while let (field, wireType) = try reader.nextField() {
            switch field {
            case 1: key = try reader._string(wireType, "Item.key")
            case 2: nestedKey.append(try reader._string(wireType, "Item.nested_key"))
            case 16: valueJSON = try reader._string(wireType, "Item.value_json")
            default: try reader.skip(wireType)
            }
        }
    }
}

extension WandbItemsRecord {
    init(_ reader: inout ProtobufReader) throws(ProtobufDecodingError) {
        self.init(update: [])
        while let (field, wireType) = try reader.nextField() {
            switch field {
            case 1, 2:
                try reader.expect(wireType, .lengthDelimited, field: field == 1 ? "update" : "remove")
                var body = try reader.message()
                let item = try WandbItem(&body)
                if field == 1 { update.append(item) } else { remove.append(item) }
            default:
                try reader.skip(wireType)
            }
        }
    }
}

extension WandbHistoryRecord {
    init(_ reader: inout ProtobufReader) throws(ProtobufDecodingError) {
        self.init(items: [], step: 0)
        while let (field, wireType) = try reader.nextField() {
            switch field {
            case 1:
                try reader.expect(wireType, .lengthDelimited, field: "HistoryRecord.item")
                var body = try reader.message()
                items.append(try WandbItem(&body))
            case 2:
                try reader.expect(wireType, .lengthDelimited, field: "HistoryRecord.step")
                var body = try reader.message()
                while let (inner, innerType) = try body.nextField() {
                    if inner == 1 {
                        try body.expect(innerType, .varint, field: "HistoryStep.num")
                        step = try body.readInt64()
                    } else {
                        try body.skip(innerType)
                    }
                }
            default:
                try reader.skip(wireType)
            }
        }
    }
}

extension WandbRunRecord {
    init(_ reader: inout ProtobufReader) throws(ProtobufDecodingError) {
        self.init(runID: "")
        while let (field, wireType) = try reader.nextField() {
            switch field {
            case 1: runID = try reader._string(wireType, "RunRecord.run_id")
            case 2: entity = try reader._string(wireType, "RunRecord.entity")
            case 3: project = try reader._string(wireType, "RunRecord.project")
            case 4:
                try reader.expect(wireType, .lengthDelimited, field: "RunRecord.config")
                var body = try reader.message()
                config = try WandbItemsRecord(&body).update
            case 6: group = try reader._string(wireType, "RunRecord.run_group")
            case 7: jobType = try reader._string(wireType, "RunRecord.job_type")
            case 8: displayName = try reader._string(wireType, "RunRecord.display_name")
            case 9: notes = try reader._string(wireType, "RunRecord.notes")
            case 10: tags.append(try reader._string(wireType, "RunRecord.tags"))
            case 13: host = try reader._string(wireType, "RunRecord.host")
            case 17:
                try reader.expect(wireType, .lengthDelimited, field: "RunRecord.start_time")
                var body = try reader.message()
                var seconds: Int64 = 0
                var nanos: Int64 = 0
                while let (inner, innerType) = try body.nextField() {
                    switch inner {
                    case 1:
                        try body.expect(innerType, .varint, field: "Timestamp.seconds")
                        seconds = try body.readInt64()
                    case 2:
                        try body.expect(innerType, .varint, field: "Timestamp.nanos")
                        nanos = try body.readInt64()
                    default: try body.skip(innerType)
                    }
                }
                startTime = Double(seconds) + Double(nanos) / 1e9
            default:
                try reader.skip(wireType)
            }
        }
    }
}

extension WandbFileItem {
    init(_ reader: inout ProtobufReader) throws(ProtobufDecodingError) {
        self.init(path: "")
        while let (field, wireType) = try reader.nextField() {
            switch field {
            case 1: path = try reader._string(wireType, "FilesItem.path")
            case 2:
                try reader.expect(wireType, .varint, field: "FilesItem.policy")
                policy = Policy(rawValue: Int(truncatingIfNeeded: try reader.readInt64())) ?? .now
            case 3:
                try reader.expect(wireType, .varint, field: "FilesItem.type")
                kind = Kind(rawValue: Int(truncatingIfNeeded: try reader.readInt64())) ?? .other
            default: try reader.skip(wireType)
            }
        }
    }
}

extension WandbMetricRecord {
    init(_ reader: inout ProtobufReader) throws(ProtobufDecodingError) {
        self.init()
        while let (field, wireType) = try reader.nextField() {
            switch field {
            case 1: name = try reader._string(wireType, "MetricRecord.name")
            case 2: globName = try reader._string(wireType, "MetricRecord.glob_name")
            case 4: stepMetric = try reader._string(wireType, "MetricRecord.step_metric")
            case 6:
                try reader.expect(wireType, .lengthDelimited, field: "MetricRecord.options")
                var body = try reader.message()
                for (flag, value) in try Self.flags(&body) {
                    if flag == 1 { stepSync = value }
                    if flag == 2 { hidden = value }
                }
            case 7:
                try reader.expect(wireType, .lengthDelimited, field: "MetricRecord.summary")
                var body = try reader.message()
                for (flag, value) in try Self.flags(&body) where value {
                    if let kind = WandbMetricSummary(rawValue: flag) { summary.insert(kind) }
                }
            case 8:
                try reader.expect(wireType, .varint, field: "MetricRecord.goal")
                goal = WandbMetricGoal(rawValue: Int(truncatingIfNeeded: try reader.readInt64())) ?? .unset
            default: try reader.skip(wireType)
            }
        }
    }

    private static func flags(_ reader: inout ProtobufReader) throws(ProtobufDecodingError) -> [(Int, Bool)] {
        var flags: [(Int, Bool)] = []
        while let (field, wireType) = try reader.nextField() {
            if wireType == .varint {
                flags.append((field, try reader.readVarint() != 0))
            } else {
                try reader.skip(wireType)
            }
        }
        return flags
    }
}

extension WandbExitRecord {
    init(_ reader: inout ProtobufReader) throws(ProtobufDecodingError) {
        self.init(exitCode: 0, runtime: 0)
        while let (field, wireType) = try reader.nextField() {
            switch field {
            case 1:
                try reader.expect(wireType, .varint, field: "RunExitRecord.exit_code")
                exitCode = Int32(truncatingIfNeeded: try reader.readInt64())
            case 2:
                try reader.expect(wireType, .varint, field: "RunExitRecord.runtime")
                runtime = Int32(truncatingIfNeeded: try reader.readInt64())
            default: try reader.skip(wireType)
            }
        }
    }
}

extension ProtobufReader {
    /// Reads a string field after checking its wire type.
    mutating func _string(_ wireType: ProtobufWireType, _ field: String) throws(ProtobufDecodingError) -> String {
        try expect(wireType, .lengthDelimited, field: field)
        return try readString()
    }
}
