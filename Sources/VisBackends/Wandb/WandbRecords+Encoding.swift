// Protobuf encoding of the W&B records. Fields are written in field-number order and proto3 defaults (0, "",
// false, empty) are left out, as the Python protobuf library does, so our bytes match the wandb SDK's.

extension WandbRecord: _ProtobufEncodable {
    /// The serialized `wandb_internal.Record`.
    public var serialized: [UInt8] {
        var writer = ProtobufWriter(capacity: _encodedSize)
        _encode(into: &writer)
        return writer.bytes
    }

    public var _encodedSize: Int {
        var size = _WandbProto.varintFieldSize(1, number)
        switch content {
        case .header(let header): size += ProtobufWriter.messageFieldSize(21, header)
        case .run(let run): size += ProtobufWriter.messageFieldSize(17, run)
        case .history(let history): size += ProtobufWriter.messageFieldSize(2, history)
        case .summary(let summary): size += ProtobufWriter.messageFieldSize(3, summary)
        case .config(let config): size += ProtobufWriter.messageFieldSize(5, config)
        case .files(let files): size += ProtobufWriter.messageFieldSize(6, _WandbFilesRecord(files: files))
        case .metric(let metric): size += ProtobufWriter.messageFieldSize(12, metric)
        case .exit(let exit): size += ProtobufWriter.messageFieldSize(18, exit)
        case .other: break
        }
        return size
    }

    /// Appends the record. ``Content/other(field:)`` (known only to readers) contributes no payload.
    public func _encode(into writer: inout ProtobufWriter) {
        if number != 0 { writer.appendVarintField(1, number) }
        switch content {
        case .header(let header): writer.appendMessageField(21, header)
        case .run(let run): writer.appendMessageField(17, run)
        case .history(let history): writer.appendMessageField(2, history)
        case .summary(let summary): writer.appendMessageField(3, summary)
        case .config(let config): writer.appendMessageField(5, config)
        case .files(let files): writer.appendMessageField(6, _WandbFilesRecord(files: files))
        case .metric(let metric): writer.appendMessageField(12, metric)
        case .exit(let exit): writer.appendMessageField(18, exit)
        case .other: break
        }
    }
}

extension WandbHeaderRecord: _ProtobufEncodable {
    private var versionInfo: _WandbVersionInfo {
        _WandbVersionInfo(producer: producer, minimumConsumer: minimumConsumer)
    }

    public var _encodedSize: Int { ProtobufWriter.messageFieldSize(1, versionInfo) }

    public func _encode(into writer: inout ProtobufWriter) {
        writer.appendMessageField(1, versionInfo)
    }
}

struct _WandbVersionInfo: _ProtobufEncodable {
    var producer: String
    var minimumConsumer: String

    var _encodedSize: Int { _WandbProto.stringFieldSize(1, producer) + _WandbProto.stringFieldSize(2, minimumConsumer) }

    func _encode(into writer: inout ProtobufWriter) {
        writer._appendNonEmptyString(1, producer)
        writer._appendNonEmptyString(2, minimumConsumer)
    }
}

extension WandbItem: _ProtobufEncodable {
    public var _encodedSize: Int {
        var size = _WandbProto.stringFieldSize(1, key)
        for component in nestedKey {
            size += ProtobufWriter.lengthDelimitedFieldSize(field: 2, length: component.utf8.count)
        }
        return size + _WandbProto.stringFieldSize(16, valueJSON)
    }

    public func _encode(into writer: inout ProtobufWriter) {
        writer._appendNonEmptyString(1, key)
        for component in nestedKey { writer.appendStringField(2, component) }
        writer._appendNonEmptyString(16, valueJSON)
    }
}

extension WandbRunRecord: _ProtobufEncodable {
    private var configRecord: WandbItemsRecord { WandbItemsRecord(update: config) }
    private var timestamp: _WandbTimestamp? { startTime.map(_WandbTimestamp.init(seconds:)) }

    public var _encodedSize: Int {
        var size =
            _WandbProto.stringFieldSize(1, runID) + _WandbProto.stringFieldSize(2, entity)
            + _WandbProto.stringFieldSize(3, project)
        if !config.isEmpty { size += ProtobufWriter.messageFieldSize(4, configRecord) }
        size +=
            _WandbProto.stringFieldSize(6, group) + _WandbProto.stringFieldSize(7, jobType)
            + _WandbProto.stringFieldSize(8, displayName) + _WandbProto.stringFieldSize(9, notes)
        for tag in tags { size += ProtobufWriter.lengthDelimitedFieldSize(field: 10, length: tag.utf8.count) }
        size += _WandbProto.stringFieldSize(13, host)
        if let timestamp { size += ProtobufWriter.messageFieldSize(17, timestamp) }
        return size
    }

    public func _encode(into writer: inout ProtobufWriter) {
        writer._appendNonEmptyString(1, runID)
        writer._appendNonEmptyString(2, entity)
        writer._appendNonEmptyString(3, project)
        if !config.isEmpty { writer.appendMessageField(4, configRecord) }
        writer._appendNonEmptyString(6, group)
        writer._appendNonEmptyString(7, jobType)
        writer._appendNonEmptyString(8, displayName)
        writer._appendNonEmptyString(9, notes)
        for tag in tags { writer.appendStringField(10, tag) }
        writer._appendNonEmptyString(13, host)
        if let timestamp { writer.appendMessageField(17, timestamp) }
    }
}

/// `google.protobuf.Timestamp`.
struct _WandbTimestamp: _ProtobufEncodable {
    var seconds: Int64
    var nanos: Int32

    init(seconds: Double) {
        let clamped = seconds.isFinite ? min(max(seconds, -9e18), 9e18) : 0
        var whole = clamped.rounded(.down)
        var nanos = ((clamped - whole) * 1e9).rounded()
        if nanos >= 1e9 {
            whole += 1
            nanos -= 1e9
        }
        self.seconds = Int64(whole)
        self.nanos = Int32(nanos)
    }

    var _encodedSize: Int {
        _WandbProto.varintFieldSize(1, seconds) + _WandbProto.varintFieldSize(2, Int64(nanos))
    }

    func _encode(into writer: inout ProtobufWriter) {
        if seconds != 0 { writer.appendVarintField(1, seconds) }
        if nanos != 0 { writer.appendVarintField(2, Int64(nanos)) }
    }
}

extension WandbHistoryRecord: _ProtobufEncodable {
    public var _encodedSize: Int {
        var size = 0
        for item in items { size += ProtobufWriter.messageFieldSize(1, item) }
        // `step` is always present, even for step 0 (an empty message), as the SDK writes it.
        return size + ProtobufWriter.lengthDelimitedFieldSize(field: 2, length: _WandbProto.varintFieldSize(1, step))
    }

    public func _encode(into writer: inout ProtobufWriter) {
        for item in items { writer.appendMessageField(1, item) }
        writer.appendKey(field: 2, wireType: .lengthDelimited)
        writer.appendVarint(UInt64(_WandbProto.varintFieldSize(1, step)))
        if step != 0 { writer.appendVarintField(1, step) }
    }
}

extension WandbItemsRecord: _ProtobufEncodable {
    public var _encodedSize: Int {
        var size = 0
        for item in update { size += ProtobufWriter.messageFieldSize(1, item) }
        for item in remove { size += ProtobufWriter.messageFieldSize(2, item) }
        return size
    }

    public func _encode(into writer: inout ProtobufWriter) {
        for item in update { writer.appendMessageField(1, item) }
        for item in remove { writer.appendMessageField(2, item) }
    }
}

struct _WandbFilesRecord: _ProtobufEncodable {
    var files: [WandbFileItem]

    var _encodedSize: Int { files.reduce(0) { $0 + ProtobufWriter.messageFieldSize(1, $1) } }

    func _encode(into writer: inout ProtobufWriter) {
        for file in files { writer.appendMessageField(1, file) }
    }
}

extension WandbFileItem: _ProtobufEncodable {
    public var _encodedSize: Int {
        _WandbProto.stringFieldSize(1, path) + _WandbProto.varintFieldSize(2, Int64(policy.rawValue))
            + _WandbProto.varintFieldSize(3, Int64(kind.rawValue))
    }

    public func _encode(into writer: inout ProtobufWriter) {
        writer._appendNonEmptyString(1, path)
        if policy.rawValue != 0 { writer.appendVarintField(2, Int64(policy.rawValue)) }
        if kind.rawValue != 0 { writer.appendVarintField(3, Int64(kind.rawValue)) }
    }
}

extension WandbMetricRecord: _ProtobufEncodable {
    private var optionsBody: _WandbFlags { _WandbFlags(fields: [(1, stepSync), (2, hidden), (3, true)]) }
    private var summaryBody: _WandbFlags {
        _WandbFlags(fields: WandbMetricSummary.allCases.map { ($0.rawValue, summary.contains($0)) })
    }

    public var _encodedSize: Int {
        var size =
            _WandbProto.stringFieldSize(1, name) + _WandbProto.stringFieldSize(2, globName)
            + _WandbProto.stringFieldSize(4, stepMetric) + ProtobufWriter.messageFieldSize(6, optionsBody)
        if !summary.isEmpty { size += ProtobufWriter.messageFieldSize(7, summaryBody) }
        return size + _WandbProto.varintFieldSize(8, Int64(goal.rawValue))
    }

    public func _encode(into writer: inout ProtobufWriter) {
        writer._appendNonEmptyString(1, name)
        writer._appendNonEmptyString(2, globName)
        writer._appendNonEmptyString(4, stepMetric)
        // `defined` marks a metric the user defined (rather than one W&B inferred), as the SDK sends it.
        writer.appendMessageField(6, optionsBody)
        if !summary.isEmpty { writer.appendMessageField(7, summaryBody) }
        if goal != .unset { writer.appendVarintField(8, Int64(goal.rawValue)) }
    }
}

/// A message of bool fields (`MetricOptions`, `MetricSummary`); false fields are left out.
struct _WandbFlags: _ProtobufEncodable {
    var fields: [(Int, Bool)]

    var _encodedSize: Int { fields.reduce(0) { $0 + ($1.1 ? ProtobufWriter.keySize(field: $1.0) + 1 : 0) } }

    func _encode(into writer: inout ProtobufWriter) {
        for (field, flag) in fields where flag { writer.appendVarintField(field, 1) }
    }
}

extension WandbExitRecord: _ProtobufEncodable {
    public var _encodedSize: Int {
        _WandbProto.varintFieldSize(1, Int64(exitCode)) + _WandbProto.varintFieldSize(2, Int64(runtime))
    }

    public func _encode(into writer: inout ProtobufWriter) {
        if exitCode != 0 { writer.appendVarintField(1, Int64(exitCode)) }
        if runtime != 0 { writer.appendVarintField(2, Int64(runtime)) }
    }
}

/// Sizes of proto3 fields that are left out when they hold the default value.
enum _WandbProto {
    /// The size of a string field, 0 when the string is empty (left out).
    static func stringFieldSize(_ field: Int, _ value: String) -> Int {
        let length = value.utf8.count
        return length == 0 ? 0 : ProtobufWriter.lengthDelimitedFieldSize(field: field, length: length)
    }

    /// The size of a varint field, 0 when the value is 0 (left out).
    static func varintFieldSize(_ field: Int, _ value: Int64) -> Int {
        value == 0 ? 0 : ProtobufWriter.keySize(field: field) + ProtobufWriter.varintSize(UInt64(bitPattern: value))
    }
}

extension ProtobufWriter {
    /// Appends a string field unless the string is empty (proto3 leaves defaults out).
    mutating func _appendNonEmptyString(_ field: Int, _ value: String) {
        if !value.isEmpty { appendStringField(field, value) }
    }
}
