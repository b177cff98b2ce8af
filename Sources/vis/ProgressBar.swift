import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A one-line progress bar on standard error, redrawn in place (`\r`) and only when standard error is a terminal,
/// so that logs and pipes never collect bar fragments.
///
/// `name  phase  [=========>          ]  45%  450/1000  detail`; it redraws only when the phase, the filled cells or
/// the detail change, so reporting every step of a long loop costs little.
final class ProgressBar {
    /// Whether the bar draws at all: standard error is a terminal.
    let isEnabled: Bool
    private let name: String
    private let cells = 30
    private var lastLine = ""
    private var lastWidth = 0

    /// A bar for the work called `name`; `enabled` defaults to whether standard error is a terminal.
    init(_ name: String, enabled: Bool = isatty(STDERR_FILENO) == 1) {
        self.name = name
        self.isEnabled = enabled
    }

    /// The line for `completed` of `total` in `phase`, with an optional `detail` after the count.
    func line(phase: String, completed: Int, total: Int, detail: String = "") -> String {
        let fraction = total > 0 ? min(max(Double(completed) / Double(total), 0), 1) : 1
        let filled = Int(fraction * Double(cells))
        let bar = String(repeating: "=", count: filled) + (filled < cells ? ">" : "")
            + String(repeating: " ", count: max(cells - filled - 1, 0))
        let percent = String(format: "%3d%%", Int(fraction * 100))
        return "\(name)  \(phase)  [\(bar)] \(percent)  \(completed)/\(total)" + (detail.isEmpty ? "" : "  \(detail)")
    }

    /// Shows `completed` of `total` in `phase` (redrawn only when the line changes).
    func update(phase: String, completed: Int, total: Int, detail: String = "") {
        guard isEnabled else { return }
        let fraction = total > 0 ? Double(completed) / Double(total) : 1
        // Counts change every step; the visible state is the phase, the percentage and the detail.
        let key = "\(phase)|\(Int(fraction * 100))|\(detail)"
        guard key != lastLine else { return }
        lastLine = key
        let text = line(phase: phase, completed: completed, total: total, detail: detail)
        let padding = String(repeating: " ", count: max(lastWidth - text.count, 0))
        lastWidth = text.count
        FileHandle.standardError.write(Data("\r\(text)\(padding)".utf8))
    }

    /// Ends the bar's line, leaving its last state on screen.
    func finish() {
        guard isEnabled, lastWidth > 0 else { return }
        FileHandle.standardError.write(Data("\n".utf8))
        lastWidth = 0
        lastLine = ""
    }
}
