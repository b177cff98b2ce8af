import VisBackends

extension Curves {
    /// Reads the scalars of one TensorBoard run (its event files, in name order) with the package's event reader.
    ///
    /// Consecutive scalars of one step form a row, so an `epoch` scalar logged with a step's metrics (MMEngine's
    /// logger hook logs them together) applies to all of them. A truncated last record is skipped, as
    /// TensorBoard does.
    ///
    /// - Throws: ``CurvesError/io(path:reason:)`` or ``CurvesError/corruptLog(path:line:reason:)`` for a damaged
    ///   record.
    public static func readTensorboardRun(files: [String], name: String, path: String) throws(CurvesError)
        -> CurveRun
    {
        var collector = _CurveRowCollector()
        for file in files {
            let events: TensorboardEventFile
            do {
                events = try TensorboardEventFile(contentsOf: file)
            } catch {
                if case .io(_, let reason) = error { throw .io(path: file, reason: reason) }
                throw .corruptLog(path: file, line: nil, reason: error.description)
            }
            var start = events.scalars.startIndex
            while start < events.scalars.endIndex {
                let first = events.scalars[start]
                var end = start + 1
                while end < events.scalars.endIndex, events.scalars[end].step == first.step { end += 1 }
                let row = events.scalars[start..<end]
                collector.add(
                    step: Int(first.step), wallTime: first.wallTime, values: row.map { ($0.tag, $0.value) })
                start = end
            }
        }
        return CurveRun(name: name, path: path, kind: .tensorboard, series: collector.series)
    }
}
