import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// MMEngine's `ProgressBar` on standard error — `[>>>>>>          ] 3/10, 1.5 task/s, elapsed: 2s, ETA:     5s` —
/// redrawn in place. It draws only when standard error is a terminal, so logs and pipes never collect bar fragments.
///
/// A command with phases of their own length (t-SNE's early exaggeration, then its optimisation) names each phase
/// in a prefix; a new prefix or total starts the count, the rate and the clock again. A redraw happens only when
/// the visible state changes (the filled cells, the whole seconds, the prefix or the detail), so reporting every
/// step of a long loop costs little.
final class ProgressBar {
    /// Whether anything is drawn.
    let isEnabled: Bool
    /// The number of tasks of the current phase.
    private(set) var total: Int
    /// Tasks of the current phase done so far.
    private(set) var completed = 0
    private var prefix: String
    private var detail = ""
    private var start = Date()
    private var lastKey = ""
    private var lastWidth = 0
    private static let barWidth = 30

    /// A bar over `total` tasks, its line starting with `prefix` if one is given; `enabled` defaults to
    /// "standard error is a terminal".
    init(total: Int, prefix: String = "", enabled: Bool = isatty(STDERR_FILENO) == 1) {
        self.total = total
        self.prefix = prefix
        self.isEnabled = enabled
        redraw()
    }

    /// Counts one task done and redraws.
    func update() {
        completed += 1
        redraw()
    }

    /// Shows `completed` of `total` tasks of the phase named `prefix`, with `detail` after the timings.
    func update(completed: Int, total: Int, prefix: String, detail: String = "") {
        if prefix != self.prefix || total != self.total {
            self.prefix = prefix
            self.total = total
            start = Date()
        }
        self.completed = completed
        self.detail = detail
        redraw()
    }

    /// Writes `message` (a warning) on a line of its own, then redraws the bar under it.
    func interject(_ message: String) {
        FileHandle.standardError.write(Data(((isEnabled && lastWidth > 0 ? "\r\u{1B}[K" : "") + message + "\n").utf8))
        lastKey = ""
        lastWidth = 0
        redraw()
    }

    /// Ends the bar's line, leaving its last state on screen, so that what follows starts on a fresh one.
    func finish() {
        guard isEnabled, lastWidth > 0 else { return }
        FileHandle.standardError.write(Data("\n".utf8))
        lastKey = ""
        lastWidth = 0
    }

    /// The bar's text for the current count after `elapsed` seconds of the phase.
    func line(elapsed: TimeInterval) -> String {
        let fraction = total > 0 ? min(max(Double(completed) / Double(total), 0), 1) : 1
        let filled = Int(Double(Self.barWidth) * fraction)
        let bar = String(repeating: ">", count: filled) + String(repeating: " ", count: Self.barWidth - filled)
        let rate = elapsed > 0 ? Double(completed) / elapsed : 0
        let eta = rate > 0 ? Int((Double(max(total - completed, 0)) / rate).rounded()) : 0
        let etaText = String(repeating: " ", count: max(0, 5 - String(eta).count)) + "\(eta)s"
        return (prefix.isEmpty ? "" : prefix + " ") + "[\(bar)] \(completed)/\(total), "
            + "\(String(format: "%.1f", rate)) task/s, elapsed: \(Int(elapsed.rounded()))s, ETA: \(etaText)"
            + (detail.isEmpty ? "" : ", \(detail)")
    }

    private func redraw() {
        guard isEnabled, total > 0 else { return }
        let elapsed = Date().timeIntervalSince(start)
        let filled = Int(Double(Self.barWidth) * min(Double(completed) / Double(total), 1))
        let key = "\(prefix)|\(filled)|\(Int(elapsed))|\(detail)|\(completed == total)"
        guard key != lastKey else { return }
        lastKey = key
        let text = line(elapsed: elapsed)
        let padding = String(repeating: " ", count: max(lastWidth - text.count, 0))
        lastWidth = text.count
        FileHandle.standardError.write(Data("\r\(text)\(padding)".utf8))
    }
}
