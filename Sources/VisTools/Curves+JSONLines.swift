import Foundation
import VisBackends

extension Curves {
    /// Reads a JSON-lines scalar log: a `LocalVisBackend` `scalars.json` or an MMEngine runner log
    /// (`vis_data/<timestamp>.json`).
    ///
    /// Every line is one object. Its `step` is the x value of its other numeric keys (a line without one takes
    /// its `iter`, else its row number); `epoch` and `iter` are kept as series too. Keys may appear on some lines
    /// only (MMEngine's train lines hold `loss`/`lr`/`time`, its validation lines `accuracy/top1`). Strings,
    /// booleans, lists and nulls are not curves and are skipped. Blank lines are skipped, and so is an incomplete
    /// last line without a line break (a writer still running); any other line that is not a JSON object is an
    /// error naming its line.
    ///
    /// Train lines (those with `lr`, as MMEngine's analysis tools tell them apart) that carry `time` are also
    /// collected into ``CurveRun/iterationTimes``; a log that has them is a ``CurveRun/Kind/runnerLog``.
    ///
    /// - Throws: ``CurvesError/io(path:reason:)`` or ``CurvesError/corruptLog(path:line:reason:)``.
    public static func readJSONLines(at path: String, name: String) throws(CurvesError) -> CurveRun {
        let bytes = try _readFile(path)
        var collector = _CurveRowCollector()
        var iterationTimes: [CurveRun.IterationTime] = []
        var rowNumber = 0
        var lineStart = bytes.startIndex
        var lineNumber = 0
        while lineStart < bytes.endIndex {
            lineNumber += 1
            let newline = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n"))
            let lineEnd = newline ?? bytes.endIndex
            let line = bytes[lineStart..<lineEnd]
            lineStart = newline.map { $0 + 1 } ?? bytes.endIndex
            guard line.contains(where: { ![0x20, 0x09, 0x0D].contains($0) }) else { continue }
            let values: Config
            do {
                values = try Config(text: String(decoding: line, as: UTF8.self), format: .json, source: path)
            } catch {
                // A last line cut short by a writer that is still running (or was killed) is not damage.
                if newline == nil { break }
                throw .corruptLog(path: path, line: lineNumber, reason: _parseReason(error))
            }
            var numbers: [(key: String, value: Double)] = []
            var step: Int?
            for (key, value) in values.values {
                guard let number = _number(value) else { continue }
                if key == "step" {
                    guard let integer = _integerStep(number) else {
                        throw .corruptLog(
                            path: path, line: lineNumber, reason: "\"step\" must be an integer, got \(value)")
                    }
                    step = integer
                } else {
                    numbers.append((key, number))
                }
            }
            let rowStep = step ?? values.values["iter"].flatMap(_number).flatMap(_integerStep) ?? rowNumber
            rowNumber += 1
            collector.add(step: rowStep, wallTime: nil, values: numbers)
            if values.values["lr"] != nil, let time = values.values["time"].flatMap(_number) {
                iterationTimes.append(
                    CurveRun.IterationTime(epoch: collector.currentEpoch, step: step, seconds: time))
            }
        }
        return CurveRun(
            name: name, path: path, kind: iterationTimes.isEmpty ? .localScalars : .runnerLog,
            series: collector.series, iterationTimes: iterationTimes)
    }

    private static func _number(_ value: ConfigValue) -> Double? {
        switch value {
        case .int(let integer): return Double(integer)
        case .double(let number): return number
        default: return nil
        }
    }

    private static func _integerStep(_ number: Double) -> Int? {
        guard number.isFinite, number == number.rounded(), abs(number) < 9e18 else { return nil }
        return Int(number)
    }

    private static func _parseReason(_ error: any Error) -> String {
        if case .corruptConfig(_, _, let reason) = error as? VisBackendError { return reason }
        return String(describing: error)
    }

    /// The bytes of a file, or a ``CurvesError/io(path:reason:)``.
    static func _readFile(_ path: String) throws(CurvesError) -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            throw .io(path: path, reason: (error as NSError).localizedDescription)
        }
    }
}
