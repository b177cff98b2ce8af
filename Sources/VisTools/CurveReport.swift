import Foundation
import OrderedCollections
import VisBackends

/// Summaries of several runs' keys, printable as text or JSON (what `vis plot --summary` prints).
///
/// The JSON is `{"runs": [{"run": NAME, "keys": {KEY: {"count", "first_step", "last_step", "min", "min_step",
/// "max", "max_step", "last"}}}]}`, plus `"train_time"` for an MMEngine runner log. JSON has no NaN or
/// infinities: such a value is written as `null` with a sibling `"<field>_nonfinite"` holding `"nan"`, `"inf"` or
/// `"-inf"` (e.g. `"last": null, "last_nonfinite": "nan"`); a step that does not exist (the extremes of an
/// all-NaN series) is `null`.
public struct CurveReport: Sendable {
    /// One run's summaries.
    public struct Run: Sendable {
        /// The run's name.
        public var name: String
        /// What wrote the run.
        public var kind: CurveRun.Kind
        /// The summary of every requested key, in request order.
        public var keys: OrderedDictionary<String, CurveSummary>
        /// The iteration-time summary of an MMEngine runner log.
        public var trainTime: TrainTimeSummary?
    }

    /// The runs, in order.
    public var runs: [Run]

    /// Summarises `keys` of every run.
    ///
    /// - Throws: ``CurvesError/missingKey(run:key:available:)`` for the first key a run lacks.
    public init(runs: [CurveRun], keys: [String], includeOutliers: Bool = false) throws(CurvesError) {
        var reports: [Run] = []
        for run in runs {
            var summaries = OrderedDictionary<String, CurveSummary>()
            for key in keys { summaries[key] = try run.summary(of: key) }
            reports.append(
                Run(
                    name: run.name, kind: run.kind, keys: summaries,
                    trainTime: run.trainTimeSummary(includeOutliers: includeOutliers)))
        }
        self.runs = reports
    }

    /// The report as JSON text (with a final newline).
    public var json: String {
        var output = "{\"runs\": ["
        for (index, run) in runs.enumerated() {
            output += index == 0 ? "\n  " : ",\n  "
            output += "{\"run\": \(JSONText.string(run.name)), \"keys\": {"
            for (offset, entry) in run.keys.enumerated() {
                let summary = entry.value
                output += offset == 0 ? "\n    " : ",\n    "
                output += "\(JSONText.string(entry.key)): {"
                output += "\"count\": \(summary.count), \"first_step\": \(summary.firstStep), "
                output += "\"last_step\": \(summary.lastStep), "
                output += Self._jsonField("min", summary.min) + ", \"min_step\": \(Self._jsonStep(summary.minStep)), "
                output += Self._jsonField("max", summary.max) + ", \"max_step\": \(Self._jsonStep(summary.maxStep)), "
                output += Self._jsonField("last", summary.last) + "}"
            }
            output += run.keys.isEmpty ? "}" : "\n  }"
            if let time = run.trainTime {
                output += ", \"train_time\": {\"lines\": \(time.lineCount), "
                output += Self._jsonField("average_iter_time", time.averageIterationTime)
                output += ", \"iterations\": \(Self._jsonStep(time.iterations)), "
                output += time.estimatedTotalSeconds.map { Self._jsonField("estimated_total_seconds", $0) }
                    ?? "\"estimated_total_seconds\": null"
                if let slowest = time.slowestEpoch, let fastest = time.fastestEpoch,
                    let deviation = time.standardDeviationOverEpochs
                {
                    output += ", \"slowest_epoch\": \(JSONText.number(slowest.epoch)), "
                    output += Self._jsonField("slowest_epoch_time", slowest.averageTime)
                    output += ", \"fastest_epoch\": \(JSONText.number(fastest.epoch)), "
                    output += Self._jsonField("fastest_epoch_time", fastest.averageTime) + ", "
                    output += Self._jsonField("epoch_time_std", deviation)
                }
                output += "}"
            }
            output += "}"
        }
        output += runs.isEmpty ? "]}\n" : "\n]}\n"
        return output
    }

    /// The report as aligned text: a table of keys per run and, for runner logs, a line on iteration time.
    public var text: String {
        var rows: [[String]] = [["run", "key", "count", "first_step", "last_step", "min (step)", "max (step)", "last"]]
        for run in runs {
            for (key, summary) in run.keys {
                rows.append([
                    run.name, key, String(summary.count), String(summary.firstStep), String(summary.lastStep),
                    "\(Self._textNumber(summary.min)) (\(summary.minStep.map(String.init) ?? "-"))",
                    "\(Self._textNumber(summary.max)) (\(summary.maxStep.map(String.init) ?? "-"))",
                    Self._textNumber(summary.last),
                ])
            }
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        var output = ""
        for row in rows {
            let cells = row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }
            output += cells.joined(separator: "  ") + "\n"
        }
        for run in runs {
            guard let time = run.trainTime else { continue }
            output += "\(run.name): \(run.kind.displayName), \(time.lineCount) train lines: average iter time "
            output += String(format: "%.4f s/iter", time.averageIterationTime)
            if let slowest = time.slowestEpoch, let fastest = time.fastestEpoch,
                let deviation = time.standardDeviationOverEpochs
            {
                output += "; slowest epoch \(Self._textNumber(slowest.epoch)) "
                output += String(format: "(%.4f s/iter), ", slowest.averageTime)
                output += "fastest epoch \(Self._textNumber(fastest.epoch)) "
                output += String(format: "(%.4f s/iter), std over epochs %.4f", fastest.averageTime, deviation)
            }
            if let iterations = time.iterations, let total = time.estimatedTotalSeconds {
                output += "; \(iterations) iterations ≈ \(Self._duration(total))"
            }
            output += "\n"
        }
        return output
    }

    static func _jsonField(_ name: String, _ value: Double) -> String {
        guard let marker = JSONText.nonfiniteMarker(value) else { return "\"\(name)\": \(JSONText.number(value))" }
        return "\"\(name)\": null, \"\(name)_nonfinite\": \"\(marker)\""
    }

    private static func _jsonStep(_ step: Int?) -> String { step.map(String.init) ?? "null" }

    private static func _textNumber(_ value: Double) -> String {
        if let marker = JSONText.nonfiniteMarker(value) { return marker }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(format: "%.6g", value)
    }

    private static func _duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return Self._textNumber(seconds) + " s" }
        let total = Int(seconds.rounded())
        let (hours, minutes, rest) = (total / 3600, total % 3600 / 60, total % 60)
        if hours > 0 { return "\(hours)h \(minutes)m \(rest)s" }
        if minutes > 0 { return "\(minutes)m \(rest)s" }
        return String(format: "%.1f s", seconds)
    }
}
