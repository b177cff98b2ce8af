import Foundation
import Logging
import VisCore

/// Collects what a `Logger` was told, so tests can check what a backend or visualizer reported.
public final class LogCapture: Sendable {
    private let entries = Recorder<(level: Logger.Level, message: String)>()

    public init() {}

    /// A logger whose messages, at every level, land here.
    public var logger: Logger {
        Logger(label: "test") { _ in Handler(capture: self) }
    }

    /// Every message, as `level: message`.
    public var all: [String] { entries.values.map { "\($0.level): \($0.message)" } }

    /// The messages logged at `error` level or above.
    public var errors: [String] { entries.values.filter { $0.level >= .error }.map(\.message) }

    fileprivate func add(_ level: Logger.Level, _ message: String) {
        entries.append((level, message))
    }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            capture.add(event.level, "\(event.message)")
        }
    }
}
