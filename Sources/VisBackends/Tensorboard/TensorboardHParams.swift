/// The hparams plugin's data (`HParamsPluginData`): the session start or end record TensorBoard uses to build
/// its hyperparameter table. Written as the `content` of a summary value tagged
/// ``TensorboardHParams/sessionStartTag`` or ``TensorboardHParams/sessionEndTag`` with plugin name `"hparams"`.
public enum TensorboardHParams: Sendable, Equatable {
    /// `session_start_info` (field 3): the hyperparameters of the run.
    case sessionStart(SessionStart)
    /// `session_end_info` (field 4): how the run ended.
    case sessionEnd(SessionEnd)

    /// The plugin name in the summary metadata.
    public static let pluginName = "hparams"
    /// The tag of the session start summary.
    public static let sessionStartTag = "_hparams_/session_start_info"
    /// The tag of the session end summary.
    public static let sessionEndTag = "_hparams_/session_end_info"

    /// One hyperparameter value (`google.protobuf.Value`): TensorBoard infers the column type from it.
    public enum Value: Sendable, Equatable {
        /// `number_value` (field 2).
        case number(Double)
        /// `string_value` (field 3).
        case string(String)
        /// `bool_value` (field 4).
        case bool(Bool)
    }

    /// `SessionStartInfo`.
    public struct SessionStart: Sendable, Equatable {
        /// `hparams` (field 1, a map), in the order given; TensorBoard sorts the columns itself.
        public var hparams: [(name: String, value: Value)]
        /// `start_time_secs` (field 5).
        public var startTimeSeconds: Double

        /// Creates a session start record.
        public init(hparams: [(name: String, value: Value)], startTimeSeconds: Double) {
            self.hparams = hparams
            self.startTimeSeconds = startTimeSeconds
        }

        public static func == (lhs: SessionStart, rhs: SessionStart) -> Bool {
            lhs.startTimeSeconds == rhs.startTimeSeconds && lhs.hparams.count == rhs.hparams.count
                && zip(lhs.hparams, rhs.hparams).allSatisfy { $0.name == $1.name && $0.value == $1.value }
        }
    }

    /// `SessionEndInfo`.
    public struct SessionEnd: Sendable, Equatable {
        /// `status` (field 1).
        public var status: Status
        /// `end_time_secs` (field 2).
        public var endTimeSeconds: Double

        /// Creates a session end record.
        public init(status: Status, endTimeSeconds: Double) {
            self.status = status
            self.endTimeSeconds = endTimeSeconds
        }
    }

    /// `Status` of a session.
    public enum Status: Int32, Sendable, Equatable {
        /// `STATUS_UNKNOWN`.
        case unknown = 0
        /// `STATUS_SUCCESS`.
        case success = 1
        /// `STATUS_FAILURE`.
        case failure = 2
        /// `STATUS_RUNNING`.
        case running = 3
    }

    /// The summary value carrying this record: a tag, no value, and the plugin data as metadata.
    public var summaryValue: TensorboardSummary.Value {
        var writer = ProtobufWriter()
        _encode(into: &writer)
        let tag: String
        switch self {
        case .sessionStart: tag = Self.sessionStartTag
        case .sessionEnd: tag = Self.sessionEndTag
        }
        return TensorboardSummary.Value(
            tag: tag, kind: .none,
            metadata: TensorboardSummary.Metadata(pluginName: Self.pluginName, pluginContent: writer.bytes))
    }

    /// Decodes `HParamsPluginData` bytes; `nil` when they hold neither session record (e.g. an experiment).
    ///
    /// - Throws: ``ProtobufDecodingError`` for malformed bytes.
    public init?(pluginContent: [UInt8]) throws(ProtobufDecodingError) {
        var reader = ProtobufReader(pluginContent)
        var result: TensorboardHParams?
        while let (field, wireType) = try reader.nextField() {
            switch field {
            case 3:
                var start = try reader.message(wireType, field: "HParamsPluginData.session_start_info")
                result = .sessionStart(try SessionStart(reader: &start))
            case 4:
                var end = try reader.message(wireType, field: "HParamsPluginData.session_end_info")
                result = .sessionEnd(try SessionEnd(reader: &end))
            default:
                try reader.skip(wireType)
            }
        }
        guard let result else { return nil }
        self = result
    }
}

extension TensorboardHParams: _ProtobufEncodable {
    public var _encodedSize: Int {
        switch self {
        case .sessionStart(let start): return ProtobufWriter.messageFieldSize(3, start)
        case .sessionEnd(let end): return ProtobufWriter.messageFieldSize(4, end)
        }
    }

    public func _encode(into writer: inout ProtobufWriter) {
        switch self {
        case .sessionStart(let start): writer.appendMessageField(3, start)
        case .sessionEnd(let end): writer.appendMessageField(4, end)
        }
    }
}

extension TensorboardHParams.Value: _ProtobufEncodable {
    public var _encodedSize: Int {
        switch self {
        case .number: return 9
        case .string(let string): return ProtobufWriter.lengthDelimitedFieldSize(field: 3, length: string.utf8.count)
        case .bool: return 2
        }
    }

    public func _encode(into writer: inout ProtobufWriter) {
        switch self {
        case .number(let number): writer.appendDoubleField(2, number)
        case .string(let string): writer.appendStringField(3, string)
        case .bool(let bool): writer.appendVarintField(4, bool ? 1 : 0)
        }
    }

    init(reader: inout ProtobufReader) throws(ProtobufDecodingError) {
        self = .string("")
        while let (field, wireType) = try reader.nextField() {
            switch field {
            case 2:
                self = .number(try reader.readDouble(wireType, field: "Value.number_value"))
            case 3:
                self = .string(try reader.readString(wireType, field: "Value.string_value"))
            case 4:
                self = .bool(try reader.readVarint(wireType, field: "Value.bool_value") != 0)
            default:
                try reader.skip(wireType)
            }
        }
    }
}

/// One entry of the `hparams` map: `key` (field 1) and `value` (field 2), both always written.
private struct _HParamMapEntry: _ProtobufEncodable {
    let name: String
    let value: TensorboardHParams.Value
    var _encodedSize: Int {
        ProtobufWriter.lengthDelimitedFieldSize(field: 1, length: name.utf8.count)
            + ProtobufWriter.messageFieldSize(2, value)
    }
    func _encode(into writer: inout ProtobufWriter) {
        writer.appendStringField(1, name)
        writer.appendMessageField(2, value)
    }
}

extension TensorboardHParams.SessionStart: _ProtobufEncodable {
    public var _encodedSize: Int {
        hparams.reduce(startTimeSeconds.bitPattern == 0 ? 0 : 9) {
            $0 + ProtobufWriter.messageFieldSize(1, _HParamMapEntry(name: $1.name, value: $1.value))
        }
    }

    public func _encode(into writer: inout ProtobufWriter) {
        for (name, value) in hparams { writer.appendMessageField(1, _HParamMapEntry(name: name, value: value)) }
        if startTimeSeconds.bitPattern != 0 { writer.appendDoubleField(5, startTimeSeconds) }
    }

    init(reader: inout ProtobufReader) throws(ProtobufDecodingError) {
        self.init(hparams: [], startTimeSeconds: 0)
        while let (field, wireType) = try reader.nextField() {
            switch field {
            case 1:
                var entry = try reader.message(wireType, field: "SessionStartInfo.hparams")
                var name = ""
                var value = TensorboardHParams.Value.string("")
                while let (inner, innerType) = try entry.nextField() {
                    switch inner {
                    case 1:
                        name = try entry.readString(innerType, field: "hparams key")
                    case 2:
                        var valueReader = try entry.message(innerType, field: "hparams value")
                        value = try TensorboardHParams.Value(reader: &valueReader)
                    default:
                        try entry.skip(innerType)
                    }
                }
                hparams.append((name, value))
            case 5:
                startTimeSeconds = try reader.readDouble(wireType, field: "SessionStartInfo.start_time_secs")
            default:
                try reader.skip(wireType)
            }
        }
    }
}

extension TensorboardHParams.SessionEnd: _ProtobufEncodable {
    public var _encodedSize: Int {
        (status == .unknown ? 0 : 2) + (endTimeSeconds.bitPattern == 0 ? 0 : 9)
    }

    public func _encode(into writer: inout ProtobufWriter) {
        if status != .unknown { writer.appendVarintField(1, Int64(status.rawValue)) }
        if endTimeSeconds.bitPattern != 0 { writer.appendDoubleField(2, endTimeSeconds) }
    }

    init(reader: inout ProtobufReader) throws(ProtobufDecodingError) {
        self.init(status: .unknown, endTimeSeconds: 0)
        while let (field, wireType) = try reader.nextField() {
            switch field {
            case 1:
                let raw = try reader.readInt64(wireType, field: "SessionEndInfo.status")
                status = TensorboardHParams.Status(rawValue: Int32(truncatingIfNeeded: raw)) ?? .unknown
            case 2:
                endTimeSeconds = try reader.readDouble(wireType, field: "SessionEndInfo.end_time_secs")
            default:
                try reader.skip(wireType)
            }
        }
    }
}
