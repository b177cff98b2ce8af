import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// MMEngine's `ProgressBar` on standard error — `[>>>>>>          ] 3/10, 1.5 task/s, elapsed: 2s, ETA:     5s` —
/// redrawn in place after each task. It draws only when standard error is a terminal, so logs and pipes stay clean.
struct ProgressBar {
    /// The number of tasks.
    let total: Int
    /// Tasks done so far.
    private(set) var completed = 0
    /// Whether anything is drawn.
    let isEnabled: Bool
    private let start = Date()
    private static let barWidth = 30

    /// A bar over `total` tasks; `enabled` defaults to "standard error is a terminal".
    init(total: Int, enabled: Bool = isatty(STDERR_FILENO) == 1) {
        self.total = total
        self.isEnabled = enabled && total > 0
        if isEnabled { draw() }
    }

    /// Counts one task done and redraws.
    mutating func update() {
        completed += 1
        if isEnabled { draw() }
    }

    /// Writes `message` (a warning) on its own line, then redraws the bar under it.
    func interject(_ message: String) {
        FileHandle.standardError.write(Data(((isEnabled ? "\r\u{1B}[K" : "") + message + "\n").utf8))
        if isEnabled { draw() }
    }

    /// Ends the bar's line, so that what follows starts on a fresh one.
    func finish() {
        if isEnabled { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    /// The bar's text for the current count.
    func line(elapsed: TimeInterval) -> String {
        let fraction = total > 0 ? Double(completed) / Double(total) : 1
        let filled = Int(Double(Self.barWidth) * fraction)
        let bar = String(repeating: ">", count: filled) + String(repeating: " ", count: Self.barWidth - filled)
        let rate = elapsed > 0 ? Double(completed) / elapsed : 0
        let eta = rate > 0 ? Int((Double(total - completed) / rate).rounded()) : 0
        let etaText = String(repeating: " ", count: max(0, 5 - String(eta).count)) + "\(eta)s"
        return "[\(bar)] \(completed)/\(total), \(String(format: "%.1f", rate)) task/s, "
            + "elapsed: \(Int(elapsed.rounded()))s, ETA: \(etaText)"
    }

    private func draw() {
        FileHandle.standardError.write(Data(("\r" + line(elapsed: Date().timeIntervalSince(start))).utf8))
    }
}
