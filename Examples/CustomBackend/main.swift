// CustomBackendExample: a user-defined storage backend in about fifty lines (the DocC article "Custom backends"
// walks through it).
//
//   swift run CustomBackendExample <directory>
//
// `CSVScalarBackend` stores scalars as CSV rows (`step,name,value`) and nothing else: the protocol's default
// no-ops cover images, configs and graphs. It keeps the backend contract by building on `BackgroundWriter`
// (writes off the caller's thread, bounded memory, whole rows per write, idempotent close) and by creating its
// directory lazily. The program registers it under its type name, builds it from a config, logs a few scalars,
// closes it and prints the file.
import Foundation
import VisBackends

// snippet.begin: csv-backend
/// Stores scalars as CSV rows in `<saveDir>/scalars.csv`.
final class CSVScalarBackend: VisBackend, @unchecked Sendable {
    let saveDir: String?
    private let directory: String
    private let writer: BackgroundWriter
    private let file: AppendFile
    private let openLock = NSLock()
    private var opened = false

    init(saveDir: String, errorHandler: VisBackendErrorHandler? = nil) {
        self.saveDir = saveDir
        self.directory = saveDir
        self.file = AppendFile(path: saveDir + "/scalars.csv")
        self.writer = BackgroundWriter(label: "CSVScalarBackend", errorHandler: errorHandler)
    }

    /// Lazy opening: the directory appears with the first row, not at construction.
    private func openIfNeeded() throws {
        openLock.lock()
        defer { openLock.unlock() }
        guard !opened else { return }
        guard !writer.isClosed else { throw VisBackendError.closed(backend: "CSVScalarBackend") }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw VisBackendError.io(path: directory, reason: "\(error)")
        }
        try writer.append(Array("step,name,value\n".utf8), to: file)
        opened = true
    }

    func addScalar(name: String, value: ScalarValue, step: Int) throws {
        try addScalars([name: value], step: step, filePath: nil)
    }

    func addScalars(_ scalars: ScalarDictionary, step: Int, filePath: String?) throws {
        try openIfNeeded()
        let rows = scalars.map { "\(step),\($0.key),\($0.value)\n" }.joined()
        try writer.append(Array(rows.utf8), to: file)
    }

    func flush() { writer.flush() }

    func close() { writer.close() }
}
// snippet.end: csv-backend

let arguments = CommandLine.arguments
guard arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: CustomBackendExample <directory>\n".utf8))
    exit(2)
}
do {
    // snippet.begin: register
    VisBackendRegistry.shared.register("CSVScalarBackend", requiresSaveDir: true) { arguments in
        try arguments.rejectUnknownOptions(known: [])
        return CSVScalarBackend(saveDir: try arguments.requiredSaveDir(), errorHandler: arguments.errorHandler)
    }
    // snippet.end: register
    let (name, backend) = try VisBackendRegistry.shared.build(
        ["type": "CSVScalarBackend", "name": "csv", "save_dir": .string(arguments[1])])
    print("built \(name): \(visBackendTypeName(backend))")
    for step in 0..<3 {
        try backend.addScalars(["loss": .double(1.0 / Double(step + 1)), "epoch": .int(step / 2)], step: step)
    }
    try backend.addImage(name: "ignored", image: try .init(width: 2, height: 2))  // a default no-op
    backend.close()
    backend.close()  // idempotent
    do {
        try backend.addScalar(name: "late", value: 1, step: 3)
    } catch {
        print("after close: \(error)")
    }
    print(try String(contentsOfFile: arguments[1] + "/scalars.csv", encoding: .utf8), terminator: "")
} catch {
    FileHandle.standardError.write(Data("CustomBackendExample: \(error)\n".utf8))
    exit(1)
}
