import Foundation
import VisTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A `vis-crashtest` child process and what it printed: `flushed <n>` after each flush, `closed <n>` after closing.
final class CrashChild {
    let process = Process()
    private let output = Pipe()
    private var text = ""
    /// The count of the last `flushed <n>` line.
    private(set) var flushed = 0
    /// How many `flushed` lines there were.
    private(set) var flushes = 0
    /// The count of the `closed <n>` line, if there was one.
    private(set) var closed: Int?

    /// Starts `vis-crashtest` with `arguments`.
    init(arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: try TestSupport.productPath("vis-crashtest"))
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// Reads the output until the child has flushed `count` times (or has ended).
    func waitForFlushes(_ count: Int) {
        while flushes < count {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { return }
            consume(data)
        }
    }

    /// Waits a random moment under `maximumDelay` microseconds, sends `signal`, then reads what the child prints
    /// until it ends (flushes that completed meanwhile count) and waits for it.
    func stop(_ signal: Int32, afterUpTo maximumDelay: UInt32) {
        usleep(UInt32.random(in: 0..<maximumDelay))
        kill(process.processIdentifier, signal)
        consume(output.fileHandleForReading.readDataToEndOfFile())
        process.waitUntilExit()
    }

    private func consume(_ data: Data) {
        text += String(decoding: data, as: UTF8.self)
        while let newline = text.firstIndex(of: "\n") {
            let line = text[..<newline]
            text = String(text[text.index(after: newline)...])
            if line.hasPrefix("flushed "), let count = Int(line.dropFirst("flushed ".count)) {
                flushed = count
                flushes += 1
            } else if line.hasPrefix("closed ") {
                closed = Int(line.dropFirst("closed ".count))
            }
        }
    }
}
