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
                number = try reader.readInt64(wireType, field: "Record.num")
            case 2, 3, 5, 6, 12, 17, 18, 21:
                var body = try reader.message(wireType, field: "Record.\(field)")
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
                    var item = try body.message(wireType, field: "FilesRecord.files")
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
            var info = try reader.message(wireType, field: "HeaderRecord.version_info")
            while let (inner, innerType) = try info.nextField() {
                switch inner {
                case 1: producer = try info.readString(innerType, field: "VersionInfo.producer")
                case 2: minimumConsumer = try info.readString(innerType, field: "VersionInfo.min_consumer")
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
            case 1: key = try reader.readString(wireType, field: "Item.key")
            case 2: nestedKey.append(try reader.readString(wireType, field: "Item.nested_key"))
            case 16: valueJSON = try reader.readString(wireType, field: "Item.value_json")
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
                var body = try reader.message(wireType, field: field == 1 ? "update" : "remove")
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
                var body = try reader.message(wireType, field: "HistoryRecord.item")
                items.append(try WandbItem(&body))
            case 2:
                var body = try reader.message(wireType, field: "HistoryRecord.step")
                while let (inner, innerType) = try body.nextField() {
                    if inner == 1 {
                        step = try body.readInt64(innerType, field: "HistoryStep.num")
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
            case 1: runID = try reader.readString(wireType, field: "RunRecord.run_id")
            case 2: entity = try reader.readString(wireType, field: "RunRecord.entity")
            case 3: project = try reader.readString(wireType, field: "RunRecord.project")
            case 4:
                var body = try reader.message(wireType, field: "RunRecord.config")
                config = try WandbItemsRecord(&body).update
            case 6: group = try reader.readString(wireType, field: "RunRecord.run_group")
            case 7: jobType = try reader.readString(wireType, field: "RunRecord.job_type")
            case 8: displayName = try reader.readString(wireType, field: "RunRecord.display_name")
            case 9: notes = try reader.readString(wireType, field: "RunRecord.notes")
            case 10: tags.append(try reader.readString(wireType, field: "RunRecord.tags"))
            case 13: host = try reader.readString(wireType, field: "RunRecord.host")
            case 17:
                var body = try reader.message(wireType, field: "RunRecord.start_time")
                var seconds: Int64 = 0
                var nanos: Int64 = 0
                while let (inner, innerType) = try body.nextField() {
                    switch inner {
                    case 1:
                        seconds = try body.readInt64(innerType, field: "Timestamp.seconds")
                    case 2:
                        nanos = try body.readInt64(innerType, field: "Timestamp.nanos")
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
            case 1: path = try reader.readString(wireType, field: "FilesItem.path")
            case 2:
                policy = Policy(rawValue: Int(truncatingIfNeeded: try reader.readInt64(wireType, field: "FilesItem.policy"))) ?? .now
            case 3:
                kind = Kind(rawValue: Int(truncatingIfNeeded: try reader.readInt64(wireType, field: "FilesItem.type"))) ?? .other
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
            case 1: name = try reader.readString(wireType, field: "MetricRecord.name")
            case 2: globName = try reader.readString(wireType, field: "MetricRecord.glob_name")
            case 4: stepMetric = try reader.readString(wireType, field: "MetricRecord.step_metric")
            case 6:
                var body = try reader.message(wireType, field: "MetricRecord.options")
                for (flag, value) in try Self.flags(&body) {
                    if flag == 1 { stepSync = value }
                    if flag == 2 { hidden = value }
                }
            case 7:
                var body = try reader.message(wireType, field: "MetricRecord.summary")
                for (flag, value) in try Self.flags(&body) where value {
                    if let kind = WandbMetricSummary(rawValue: flag) { summary.insert(kind) }
                }
            case 8:
                goal = WandbMetricGoal(rawValue: Int(truncatingIfNeeded: try reader.readInt64(wireType, field: "MetricRecord.goal"))) ?? .unset
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
                exitCode = Int32(truncatingIfNeeded: try reader.readInt64(wireType, field: "RunExitRecord.exit_code"))
            case 2:
                runtime = Int32(truncatingIfNeeded: try reader.readInt64(wireType, field: "RunExitRecord.runtime"))
            default: try reader.skip(wireType)
            }
        }
    }
}

