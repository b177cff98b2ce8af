import Foundation

/// One logging operation of an MLflow run, in the order the caller made it. Records go to the spool (one JSON
/// line each) before they go to a server, so nothing logged is lost while the server is away.
enum _MLflowRecord: Sendable, Equatable {
    case metric(key: String, value: Double, timestamp: Int64, step: Int)
    case param(key: String, value: String)
    case tag(key: String, value: String)
    /// An artifact whose bytes wait in the spool's `blobs/` folder under `blob`.
    case artifact(path: String, blob: String)
    /// The run's end: `status` is MLflow's name (`FINISHED`, `FAILED`, `KILLED`).
    case end(status: String, endTime: Int64)

    /// Whether a `runs/log-batch` request can carry the record.
    var isBatchable: Bool {
        switch self {
        case .metric, .param, .tag: return true
        case .artifact, .end: return false
        }
    }

    /// The record as one spool line (JSON and a newline). Non-finite metric values are the strings MLflow's
    /// REST API takes (`"NaN"`, `"Infinity"`, `"-Infinity"`).
    func appendLine(to output: inout [UInt8]) {
        func field(_ name: String, _ text: String) {
            output.append(contentsOf: Array(",\"\(name)\":".utf8))
            JSONText.appendString(text, to: &output)
        }
        switch self {
        case let .metric(key, value, timestamp, step):
            output.append(contentsOf: Array("{\"k\":\"m\"".utf8))
            field("key", key)
            output.append(contentsOf: Array(",\"value\":\(_MLflowRecord.jsonNumber(value)),\"timestamp\":\(timestamp),\"step\":\(step)}\n".utf8))
            return
        case let .param(key, value):
            output.append(contentsOf: Array("{\"k\":\"p\"".utf8))
            field("key", key)
            field("value", value)
        case let .tag(key, value):
            output.append(contentsOf: Array("{\"k\":\"t\"".utf8))
            field("key", key)
            field("value", value)
        case let .artifact(path, blob):
            output.append(contentsOf: Array("{\"k\":\"a\"".utf8))
            field("path", path)
            field("blob", blob)
        case let .end(status, endTime):
            output.append(contentsOf: Array("{\"k\":\"e\"".utf8))
            field("status", status)
            output.append(contentsOf: Array(",\"end_time\":\(endTime)".utf8))
        }
        output.append(contentsOf: Array("}\n".utf8))
    }

    /// The number after `"value":` in a metric line we wrote (shortest round-trip text, or a quoted
    /// `NaN`/`Infinity`/`-Infinity`).
    static func metricValue(in line: Data) -> Double? {
        let marker = Array(",\"value\":".utf8)
        let bytes = [UInt8](line)
        guard let start = bytes.indices.first(where: { bytes[$0...].starts(with: marker) }) else { return nil }
        var end = start + marker.count
        while end < bytes.count, bytes[end] != UInt8(ascii: ",") { end += 1 }
        let text = String(decoding: bytes[(start + marker.count)..<end], as: UTF8.self)
            .trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        switch text {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default: return Double(text)
        }
    }

    /// A metric value as MLflow's JSON takes it.
    static func jsonNumber(_ value: Double) -> String {
        value.isFinite ? JSONText.number(value) : "\"" + JSONText.number(value) + "\""
    }

    /// Reads a spool line back; `nil` for a line that is not a record (a torn or foreign line).
    init?(line: Data) {
        guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any],
            let kind = object["k"] as? String
        else { return nil }
        switch kind {
        case "m":
            guard let key = object["key"] as? String, let timestamp = (object["timestamp"] as? NSNumber)?.int64Value,
                let step = (object["step"] as? NSNumber)?.intValue
            else { return nil }
            // The value is read from its text: a JSON parser's NSNumber may not give back the exact double.
            guard let value = _MLflowRecord.metricValue(in: line) else { return nil }
            self = .metric(key: key, value: value, timestamp: timestamp, step: step)
        case "p", "t":
            guard let key = object["key"] as? String, let value = object["value"] as? String else { return nil }
            self = kind == "p" ? .param(key: key, value: value) : .tag(key: key, value: value)
        case "a":
            guard let path = object["path"] as? String, let blob = object["blob"] as? String else { return nil }
            self = .artifact(path: path, blob: blob)
        case "e":
            guard let status = object["status"] as? String, let endTime = (object["end_time"] as? NSNumber)?.int64Value
            else { return nil }
            self = .end(status: status, endTime: endTime)
        default:
            return nil
        }
    }
}

/// The final state of an MLflow run: MLflow's `RunStatus` names.
public enum MLflowRunStatus: String, Sendable, CaseIterable {
    /// The run ended normally.
    case finished = "FINISHED"
    /// The run ended because the process failed.
    case failed = "FAILED"
    /// The run was stopped from outside.
    case killed = "KILLED"

    /// The number the file store writes in `meta.yaml`.
    var fileStoreCode: Int {
        switch self {
        case .finished: return 3
        case .failed: return 4
        case .killed: return 5
        }
    }
}

/// The current time in milliseconds since 1970, MLflow's timestamp unit.
func _mlflowNowMilliseconds() -> Int64 {
    Int64((Date().timeIntervalSince1970 * 1000).rounded())
}
