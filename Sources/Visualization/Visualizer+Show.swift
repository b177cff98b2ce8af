import Foundation
import VisCore

/// A terminal image protocol ``Visualizer/show(image:windowName:waitTime:target:)`` can draw with.
public enum TerminalGraphicsProtocol: String, Sendable, Hashable, CaseIterable {
    /// kitty's graphics protocol (kitty, Ghostty): PNG data, base64, in chunks of at most 4096 bytes.
    case kitty
    /// iTerm2's inline images (iTerm2, WezTerm): `ESC ] 1337 ; File=inline=1;… : base64 BEL`.
    case iterm2
    /// DEC sixel graphics (xterm -ti vt340, mlterm, foot, …), quantised to a 6×6×6 colour cube.
    case sixel

    /// The environment variable that forces a choice: `kitty`, `iterm2`, `sixel`, or `file` for the temporary-PNG
    /// fallback.
    public static let overrideVariable = "VIS_SHOW"
    /// The environment variable that opts in to sixel (`1`): terminals do not announce sixel support in the
    /// environment, and asking them (a DA1 query) needs a round trip through the terminal.
    public static let sixelVariable = "VIS_SIXEL"

    /// The protocol the terminal described by `environment` supports, or nil.
    ///
    /// In order: ``overrideVariable`` (`file` → nil); kitty when `TERM` is `xterm-kitty`, `KITTY_WINDOW_ID` is
    /// set or `TERM_PROGRAM` is `ghostty`; iTerm2 when `TERM_PROGRAM` is `iTerm.app` or `WezTerm` or
    /// `LC_TERMINAL` is `iTerm2`; sixel when ``sixelVariable`` is `1`.
    public static func detect(environment: [String: String]) -> TerminalGraphicsProtocol? {
        if let forced = environment[overrideVariable]?.lowercased(), !forced.isEmpty {
            return TerminalGraphicsProtocol(rawValue: forced)
        }
        if environment["TERM"] == "xterm-kitty" || environment["KITTY_WINDOW_ID"] != nil
            || environment["TERM_PROGRAM"]?.lowercased() == "ghostty"
        {
            return .kitty
        }
        if ["iTerm.app", "WezTerm"].contains(environment["TERM_PROGRAM"] ?? "")
            || environment["LC_TERMINAL"] == "iTerm2"
        {
            return .iterm2
        }
        if environment[sixelVariable] == "1" { return .sixel }
        return nil
    }

    /// The escape sequences that draw `png` (the PNG encoding of `image`) inline.
    public func escapeSequence(for image: Image, png: [UInt8], name: String) -> [UInt8] {
        switch self {
        case .kitty:
            let encoded = Array(Data(png).base64EncodedString().utf8)
            var output: [UInt8] = []
            var offset = 0
            repeat {
                let end = min(offset + TerminalGraphicsProtocol.kittyChunkSize, encoded.count)
                let more = end < encoded.count ? 1 : 0
                let keys = offset == 0 ? "a=T,f=100,m=\(more)" : "m=\(more)"
                output += Array("\u{1B}_G\(keys);".utf8) + encoded[offset..<end] + Array("\u{1B}\\".utf8)
                offset = end
            } while offset < encoded.count
            return output + Array("\n".utf8)
        case .iterm2:
            let encodedName = Data(name.utf8).base64EncodedString()
            let header = "\u{1B}]1337;File=inline=1;size=\(png.count);name=\(encodedName);preserveAspectRatio=1:"
            return Array(header.utf8) + Array(Data(png).base64EncodedString().utf8) + [0x07, 0x0A]
        case .sixel:
            return _SixelEncoder.encode(image) + Array("\n".utf8)
        }
    }

    /// The largest base64 payload of one kitty escape sequence.
    public static let kittyChunkSize = 4096
}

/// Where ``Visualizer/show(image:windowName:waitTime:target:)`` writes, and what it knows about it.
public struct ShowTarget: Sendable {
    /// Writes bytes (escape sequences, or the line naming the saved file).
    public var write: @Sendable ([UInt8]) -> Void
    /// Whether `write` reaches a terminal: escape sequences are only sent to one.
    public var isTerminal: Bool
    /// Whether a person can be waiting at the terminal (stdin is a terminal too); only then does `waitTime` pause.
    public var isInteractive: Bool
    /// The environment terminal detection reads (see ``TerminalGraphicsProtocol/detect(environment:)``).
    public var environment: [String: String]
    /// Where the fallback PNG is saved.
    public var temporaryDirectory: URL

    /// A target; see the properties.
    public init(
        write: @escaping @Sendable ([UInt8]) -> Void, isTerminal: Bool, isInteractive: Bool = false,
        environment: [String: String], temporaryDirectory: URL = FileManager.default.temporaryDirectory
    ) {
        self.write = write
        self.isTerminal = isTerminal
        self.isInteractive = isInteractive
        self.environment = environment
        self.temporaryDirectory = temporaryDirectory
    }

    /// This process's standard output, environment and temporary directory.
    public static var standardOutput: ShowTarget {
        ShowTarget(
            write: { bytes in FileHandle.standardOutput.write(Data(bytes)) }, isTerminal: isatty(STDOUT_FILENO) == 1,
            isInteractive: isatty(STDOUT_FILENO) == 1 && isatty(STDIN_FILENO) == 1,
            environment: ProcessInfo.processInfo.environment)
    }
}

/// What ``Visualizer/show(image:windowName:waitTime:target:)`` did.
public enum ShowOutcome: Sendable, Equatable {
    /// The image was drawn inline with this protocol.
    case inline(TerminalGraphicsProtocol)
    /// The image was saved to this PNG file, whose path was written to the target.
    case savedFile(path: String)
    /// Nothing was shown: this process is not rank 0.
    case skipped
}

extension Visualizer {
    /// Shows an image (MMEngine's `show`), by default the drawn one.
    ///
    /// There is no window system here: in a terminal that displays images (kitty, Ghostty, iTerm2, WezTerm, or
    /// sixel with `VIS_SIXEL=1`; force one with `VIS_SHOW=kitty|iterm2|sixel|file`) the image is drawn inline;
    /// anywhere else (no terminal, a pipe, CI) it is saved as a temporary PNG whose path is printed.
    ///
    /// It never blocks a non-interactive run. An inline image stays in the terminal, so `waitTime` 0 (MMEngine:
    /// wait for a key) returns at once; a positive `waitTime` pauses that many seconds, and only when stdin and
    /// stdout are terminals (for slideshows).
    ///
    /// - Parameters:
    ///   - image: The image to show; nil shows ``getImage()``.
    ///   - windowName: Names the image (the iTerm2 file name, the fallback file's name).
    ///   - waitTime: Seconds to pause after showing, when interactive.
    ///   - target: Where to write (default: standard output).
    /// - Returns: What was done. On a rank other than 0 nothing is shown (`.skipped`).
    /// - Throws: ``VisualizerError/noImage(visualizer:)`` when `image` is nil and none is set; PNG encoding and
    ///   file errors (`VisCoreError`).
    @discardableResult
    public func show(
        image: Image? = nil, windowName: String = "image", waitTime: Double = 0, target: ShowTarget = .standardOutput
    ) throws -> ShowOutcome {
        guard isMainProcess else { return .skipped }
        let shown = try image ?? getImage()
        let png = try shown.pngData()
        let outcome: ShowOutcome
        if target.isTerminal, let graphics = TerminalGraphicsProtocol.detect(environment: target.environment) {
            target.write(graphics.escapeSequence(for: shown, png: png, name: windowName))
            outcome = .inline(graphics)
        } else {
            let path = Visualizer._showFilePath(windowName: windowName, in: target.temporaryDirectory)
            try shown.writePNG(to: path)
            target.write(Array("\(windowName): \(path)\n".utf8))
            outcome = .savedFile(path: path)
        }
        if target.isInteractive, waitTime > 0, waitTime.isFinite {
            Thread.sleep(forTimeInterval: min(waitTime, 3600))
        }
        return outcome
    }

    /// A fresh file path for the fallback PNG: the window name reduced to safe characters, the process id and a
    /// counter, so that names cannot escape the directory and shows do not overwrite each other.
    static func _showFilePath(windowName: String, in directory: URL) -> String {
        let safe = String(
            windowName.unicodeScalars.prefix(64).map { scalar in
                CharacterSet.alphanumerics.contains(scalar) || scalar == "-" || scalar == "_" ? Character(scalar) : "_"
            })
        let serial = _showCounter.withLock { count in
            count += 1
            return count
        }
        return directory.appendingPathComponent("vis-show-\(safe.isEmpty ? "image" : safe)-\(getpid())-\(serial).png")
            .path
    }

    /// Shows so far in this process.
    private static let _showCounter = LockedValue(0)
}

/// DEC sixel encoding of an image, quantised to a 6×6×6 colour cube.
enum _SixelEncoder {
    static func encode(_ image: Image) -> [UInt8] {
        let rgb = image.converted(to: .rgb)
        let (width, height) = (rgb.width, rgb.height)
        var output = Array("\u{1B}Pq\"1;1;\(width);\(height)".utf8)
        for index in 0..<216 {
            let (r, g, b) = (index / 36, index / 6 % 6, index % 6)
            output += Array("#\(index);2;\(r * 20);\(g * 20);\(b * 20)".utf8)
        }
        // The cube index of every pixel.
        let levels = rgb.pixels.map { (Int($0) * 5 + 127) / 255 }
        var indices = [UInt8](repeating: 0, count: width * height)
        for pixel in 0..<(width * height) {
            indices[pixel] = UInt8(levels[pixel * 3] * 36 + levels[pixel * 3 + 1] * 6 + levels[pixel * 3 + 2])
        }
        var bandTop = 0
        while bandTop < height {
            let bandRows = min(6, height - bandTop)
            var present = [Bool](repeating: false, count: 216)
            for row in 0..<bandRows {
                for column in 0..<width { present[Int(indices[(bandTop + row) * width + column])] = true }
            }
            var firstColor = true
            for color in 0..<216 where present[color] {
                if !firstColor { output.append(UInt8(ascii: "$")) }
                firstColor = false
                output += Array("#\(color)".utf8)
                var run: (byte: UInt8, count: Int)?
                func flush() {
                    guard let current = run else { return }
                    if current.count > 3 {
                        output += Array("!\(current.count)".utf8)
                        output.append(current.byte)
                    } else {
                        output += [UInt8](repeating: current.byte, count: current.count)
                    }
                }
                for column in 0..<width {
                    var bits: UInt8 = 0
                    for row in 0..<bandRows where indices[(bandTop + row) * width + column] == UInt8(color) {
                        bits |= 1 << row
                    }
                    let byte = 63 + bits
                    if let current = run, current.byte == byte {
                        run = (byte, current.count + 1)
                    } else {
                        flush()
                        run = (byte, 1)
                    }
                }
                flush()
            }
            output.append(UInt8(ascii: "-"))
            bandTop += 6
        }
        return output + Array("\u{1B}\\".utf8)
    }
}
