/// The writer-thread end of a ``WandbRun``: frames encoded records with a ``WandbLogWriter`` and appends them
/// to the log file. Used only from jobs of the run's ``BackgroundWriter``, which run one at a time.
final class _WandbLogSink: @unchecked Sendable {
    private let file: AppendFile
    private var framer = WandbLogWriter()
    private var wroteHeader = false
    private var failed = false
    private var output: [UInt8] = []

    init(file: AppendFile) {
        self.file = file
    }

    /// Frames the records `records[ends[i-1]..<ends[i]]` and appends them with one `write(2)`.
    ///
    /// After a failed write the file's length is unknown, so framing could no longer be trusted: the first
    /// failure is thrown, later records are dropped.
    func write(_ records: [UInt8], ends: [Int]) throws {
        guard !failed else { return }
        output.removeAll(keepingCapacity: true)
        if !wroteHeader {
            output.append(contentsOf: WandbLogWriter.fileHeader)
            wroteHeader = true
        }
        var start = 0
        for end in ends {
            framer.append(record: records, range: start..<end, to: &output)
            start = end
        }
        do {
            try file.write(output)
        } catch {
            failed = true
            throw error
        }
        if output.count > 1 << 20 { output = [] }
    }

    func close() {
        file.closeDescriptor()
    }
}
