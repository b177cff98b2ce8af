import Foundation
import Testing
import VisTestSupport
import Visualization

/// Collects what `show` writes.
final class OutputRecorder: Sendable {
    private let data = LockedValue<[UInt8]>([])

    var write: @Sendable ([UInt8]) -> Void {
        { [self] bytes in data.withLock { $0 += bytes } }
    }

    var bytes: [UInt8] { data.withLock { $0 } }

    var text: String { String(decoding: bytes, as: UTF8.self) }
}

@Suite("Visualizer.show")
struct VisualizerShowTests {
    static func target(_ recorder: OutputRecorder, terminal: Bool, environment: [String: String], directory: URL)
        -> ShowTarget
    {
        ShowTarget(
            write: recorder.write, isTerminal: terminal, isInteractive: false, environment: environment,
            temporaryDirectory: directory)
    }

    @Test("Terminal detection from the environment")
    func detection() {
        #expect(TerminalGraphicsProtocol.detect(environment: ["TERM": "xterm-kitty"]) == .kitty)
        #expect(TerminalGraphicsProtocol.detect(environment: ["KITTY_WINDOW_ID": "1", "TERM": "xterm"]) == .kitty)
        #expect(TerminalGraphicsProtocol.detect(environment: ["TERM_PROGRAM": "iTerm.app"]) == .iterm2)
        #expect(TerminalGraphicsProtocol.detect(environment: ["TERM_PROGRAM": "WezTerm"]) == .iterm2)
        #expect(TerminalGraphicsProtocol.detect(environment: ["TERM": "xterm-256color", "VIS_SIXEL": "1"]) == .sixel)
        #expect(TerminalGraphicsProtocol.detect(environment: ["TERM": "xterm-256color"]) == nil)
        #expect(TerminalGraphicsProtocol.detect(environment: ["TERM": "xterm-kitty", "VIS_SHOW": "file"]) == nil)
        #expect(TerminalGraphicsProtocol.detect(environment: ["VIS_SHOW": "iterm2"]) == .iterm2)
    }

    @Test("kitty: PNG in base64 chunks of at most 4096, a=T,f=100 on the first, m=0 on the last")
    func kitty() throws {
        let directory = try TestSupport.makeTemporaryDirectory("vis-show")
        defer { try? FileManager.default.removeItem(at: directory) }
        let image = try DrawingFixture.noise(width: 64, height: 48)
        let visualizer = try Visualizer(image: image, rank: 0)
        let recorder = OutputRecorder()
        let outcome = try visualizer.show(
            target: Self.target(recorder, terminal: true, environment: ["TERM": "xterm-kitty"], directory: directory))
        #expect(outcome == .inline(.kitty))
        let text = recorder.text
        var chunks = text.components(separatedBy: "\u{1B}\\").filter { $0.hasPrefix("\u{1B}_G") }
        #expect(chunks.count > 1, "a 64×48 noise PNG needs several chunks")
        #expect(chunks.first?.hasPrefix("\u{1B}_Ga=T,f=100,m=1;") == true)
        #expect(chunks.last?.hasPrefix("\u{1B}_Gm=0;") == true)
        var payload = ""
        for (index, chunk) in chunks.enumerated() {
            let parts = chunk.split(separator: ";", maxSplits: 1)
            #expect(parts.count == 2)
            let data = String(parts[1])
            #expect(data.utf8.count <= 4096)
            if index < chunks.count - 1 { #expect(data.utf8.count == 4096) }
            payload += data
        }
        chunks.removeAll()
        let png = try #require(Data(base64Encoded: payload))
        #expect(try Image(data: [UInt8](png)) == image)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test("iTerm2: ESC]1337;File=inline=1;size=…;name=…:base64 BEL")
    func iterm2() throws {
        let directory = try TestSupport.makeTemporaryDirectory("vis-show")
        defer { try? FileManager.default.removeItem(at: directory) }
        let image = try DrawingFixture.noise(width: 8, height: 8)
        let visualizer = try Visualizer(rank: 0)
        let recorder = OutputRecorder()
        let outcome = try visualizer.show(
            image: image, windowName: "pred",
            target: Self.target(
                recorder, terminal: true, environment: ["TERM_PROGRAM": "iTerm.app"], directory: directory))
        #expect(outcome == .inline(.iterm2))
        let text = recorder.text
        let png = try image.pngData()
        let name = Data("pred".utf8).base64EncodedString()
        let prefix = "\u{1B}]1337;File=inline=1;size=\(png.count);name=\(name);preserveAspectRatio=1:"
        #expect(text == prefix + Data(png).base64EncodedString() + "\u{07}\n")
    }

    @Test("sixel: DCS q, raster attributes, palette, bands, ST")
    func sixel() throws {
        let directory = try TestSupport.makeTemporaryDirectory("vis-show")
        defer { try? FileManager.default.removeItem(at: directory) }
        let image = try Image(width: 5, height: 7, layout: .rgb, fill: [255, 0, 0])
        let recorder = OutputRecorder()
        let outcome = try Visualizer(rank: 0).show(
            image: image,
            target: Self.target(recorder, terminal: true, environment: ["VIS_SIXEL": "1"], directory: directory))
        #expect(outcome == .inline(.sixel))
        let text = recorder.text
        #expect(text.hasPrefix("\u{1B}Pq\"1;1;5;7#0;2;0;0;0"))
        #expect(text.hasSuffix("\u{1B}\\\n"))
        // Red is cube index 5·36 = 180: two bands (6 rows + 1 row), each one run of 5 columns.
        #expect(text.contains("#180!5~-#180!5@-"))
    }

    @Test("No terminal, or a terminal without image support: a temporary PNG whose path is printed")
    func fileFallback() throws {
        let directory = try TestSupport.makeTemporaryDirectory("vis-show")
        defer { try? FileManager.default.removeItem(at: directory) }
        let image = try DrawingFixture.noise(width: 9, height: 5)
        let visualizer = try Visualizer(image: image, rank: 0)
        for (terminal, environment) in [(false, ["TERM": "xterm-kitty"]), (true, ["TERM": "xterm-256color"])] {
            let recorder = OutputRecorder()
            let outcome = try visualizer.show(
                windowName: "../evil name", waitTime: 5,
                target: Self.target(recorder, terminal: terminal, environment: environment, directory: directory))
            guard case .savedFile(let path) = outcome else {
                Issue.record("expected a file, got \(outcome)")
                continue
            }
            #expect(
                URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL
                    == directory.standardizedFileURL)
            #expect(URL(fileURLWithPath: path).lastPathComponent.hasPrefix("vis-show-___evil_name-"))
            #expect(recorder.text == "../evil name: \(path)\n")
            #expect(try Image(contentsOfFile: path) == image)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).count == 2)
    }

    @Test("Without an image set and none given, show is a typed error")
    func noImage() throws {
        let visualizer = try Visualizer(name: "v", rank: 0)
        #expect(throws: VisualizerError.noImage(visualizer: "v")) {
            try visualizer.show(target: ShowTarget(write: { _ in }, isTerminal: false, environment: [:]))
        }
    }
}
