import Foundation
import VisBackends

extension Curves {
    /// Reads the history of a W&B offline run from its transaction logs (`run-<id>.wandb`, in name order) with
    /// the package's log reader.
    ///
    /// Each history row's `_step` is the step and its `_timestamp` the wall time; other keys starting with `_`
    /// are W&B's own and skipped, and so are values that are not numbers (images, tables, strings). A log cut
    /// short (a run still writing, or killed) keeps every whole record before the cut, as wandb does.
    ///
    /// - Throws: ``CurvesError/io(path:reason:)``, or ``CurvesError/corruptLog(path:line:reason:)`` for a bad
    ///   header, a damaged chunk or a record that does not decode.
    public static func readWandbRun(logs: [String], name: String, path: String) throws(CurvesError) -> CurveRun {
        var collector = _CurveRowCollector()
        for log in logs {
            let records: [WandbRecord]
            do {
                let reader = try WandbLogReader(path: log)
                if case .corrupt(let offset, let reason) = reader.ending {
                    throw CurvesError.corruptLog(path: log, line: nil, reason: "chunk at byte \(offset): \(reason)")
                }
                records = try reader.records()
            } catch let error as CurvesError {
                throw error
            } catch let error as WandbLogError {
                if case .io(_, let reason) = error { throw .io(path: log, reason: reason) }
                throw .corruptLog(path: log, line: nil, reason: error.description)
            } catch {
                throw .corruptLog(path: log, line: nil, reason: String(describing: error))
            }
            for record in records {
                guard case .history(let history) = record.content else { continue }
                var step = Int(history.step)
                var wallTime: Double?
                var values: [(key: String, value: Double)] = []
                for item in history.items {
                    let key = item.path
                    let number = Double(item.valueJSON.trimmingCharacters(in: .whitespaces))
                    switch key {
                    case "_step": if let number, let integer = Int(exactly: number) { step = integer }
                    case "_timestamp": wallTime = number
                    case _ where key.hasPrefix("_"): continue
                    default: if let number { values.append((key, number)) }
                    }
                }
                collector.add(step: step, wallTime: wallTime, values: values)
            }
        }
        return CurveRun(name: name, path: path, kind: .wandb, series: collector.series)
    }
}
