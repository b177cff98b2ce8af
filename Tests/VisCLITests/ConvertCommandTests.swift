import Foundation
import Testing
import VisCore
import VisTestSupport

/// End-to-end tests of `vis convert`, running the built executable.
@Suite("vis convert")
struct ConvertCommandTests {
    struct Workspace {
        let directory: URL
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        func files() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() }
    }

    static func withWorkspace(_ body: (Workspace) throws -> Void) throws {
        let directory = try TestSupport.makeTemporaryDirectory("vis-convert")
        defer { try? FileManager.default.removeItem(at: directory) }
        try body(Workspace(directory: directory))
    }

    static func convert(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try TestSupport.runCapturing(try TestSupport.productPath("vis"), arguments: ["convert"] + arguments)
    }

    static func format(of path: String) throws -> ImageFormat? {
        ImageFormat(signatureOf: try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
    }

    /// A smooth RGB image: JPEG keeps it within a few levels.
    static func photo() throws -> Image {
        var pixels: [UInt8] = []
        for y in 0..<40 {
            for x in 0..<60 { pixels += [UInt8(x * 4), UInt8(y * 6), UInt8((x + y) * 2)] }
        }
        return try Image(width: 60, height: 40, layout: .rgb, pixels: pixels)
    }

    @Test("PNG → JPEG → PNG converts both ways, the format following the output extension")
    func roundTrip() throws {
        try Self.withWorkspace { workspace in
            let image = try Self.photo()
            try image.writePNG(to: workspace.path("in.png"))
            let toJPEG = try Self.convert([workspace.path("in.png"), workspace.path("mid.jpg"), "--quality", "95"])
            #expect(toJPEG.status == 0, "\(toJPEG.stderr)")
            #expect(try Self.format(of: workspace.path("mid.jpg")) == .jpeg)
            let toPNG = try Self.convert([workspace.path("mid.jpg"), workspace.path("out.png"), "--compression-level", "9"])
            #expect(toPNG.status == 0, "\(toPNG.stderr)")
            #expect(try Self.format(of: workspace.path("out.png")) == .png)
            let back = try Image(contentsOfFile: workspace.path("out.png"))
            #expect(back.layout == .rgb && back.width == 60 && back.height == 40)
            let difference = zip(back.pixels, image.pixels).reduce(0) { max($0, abs(Int($1.0) - Int($1.1))) }
            #expect(difference <= 8, "max difference \(difference)")
            #expect(try workspace.files() == ["in.png", "mid.jpg", "out.png"])
        }
    }

    @Test("--quality changes the JPEG written")
    func qualityOption() throws {
        try Self.withWorkspace { workspace in
            try Self.photo().writePNG(to: workspace.path("in.png"))
            #expect(try Self.convert([workspace.path("in.png"), workspace.path("low.jpeg"), "--quality", "5"]).status == 0)
            #expect(try Self.convert([workspace.path("in.png"), workspace.path("high.jpeg"), "--quality", "100"]).status == 0)
            let low = try FileManager.default.attributesOfItem(atPath: workspace.path("low.jpeg"))[.size] as? Int ?? 0
            let high = try FileManager.default.attributesOfItem(atPath: workspace.path("high.jpeg"))[.size] as? Int ?? 0
            #expect(low > 0 && low < high)
        }
    }

    @Test("RGBA written as JPEG is composited over white")
    func rgbaToJPEG() throws {
        try Self.withWorkspace { workspace in
            let transparent = try Image(width: 16, height: 16, layout: .rgba, fill: [0, 0, 0, 0])
            try transparent.writePNG(to: workspace.path("clear.png"))
            let result = try Self.convert([workspace.path("clear.png"), workspace.path("clear.jpg")])
            #expect(result.status == 0, "\(result.stderr)")
            let decoded = try Image(contentsOfFile: workspace.path("clear.jpg"))
            #expect(decoded.layout == .rgb)
            #expect(decoded.pixels.allSatisfy { $0 >= 250 })
        }
    }

    @Test("a corrupt input fails with a message naming it and leaves no output file")
    func corruptInput() throws {
        try Self.withWorkspace { workspace in
            let valid = try Self.photo().pngData()
            try Data(valid.prefix(valid.count / 2)).write(to: URL(fileURLWithPath: workspace.path("broken.png")))
            let result = try Self.convert([workspace.path("broken.png"), workspace.path("out.jpg")])
            #expect(result.status != 0)
            #expect(result.stderr.contains(workspace.path("broken.png")), "\(result.stderr)")
            #expect(result.stderr.contains("corrupt"), "\(result.stderr)")
            #expect(try workspace.files() == ["broken.png"])
        }
    }

    @Test("a missing input and an unknown signature fail naming the input")
    func unreadableInputs() throws {
        try Self.withWorkspace { workspace in
            try Data("not an image".utf8).write(to: URL(fileURLWithPath: workspace.path("notes.png")))
            for input in [workspace.path("missing.png"), workspace.path("notes.png")] {
                let result = try Self.convert([input, workspace.path("out.png")])
                #expect(result.status != 0)
                #expect(result.stderr.contains(input), "\(result.stderr)")
            }
            #expect(try workspace.files() == ["notes.png"])
        }
    }

    @Test("bad options and output names are rejected before anything is read or written",
          arguments: [
            (["out.gif"], "must end in .png, .jpg or .jpeg"),
            (["out.jpg", "--quality", "0"], "--quality must be in 1...100"),
            (["out.jpg", "--quality", "101"], "--quality must be in 1...100"),
            (["out.png", "--quality", "90"], "--quality applies to JPEG output only"),
            (["out.png", "--compression-level", "10"], "--compression-level must be in 0...9"),
            (["out.jpg", "--compression-level", "3"], "--compression-level applies to PNG output only"),
          ])
    func invalidArguments(arguments: [String], message: String) throws {
        try Self.withWorkspace { workspace in
            try Self.photo().writePNG(to: workspace.path("in.png"))
            let result = try Self.convert([workspace.path("in.png"), workspace.path(arguments[0])] + arguments.dropFirst())
            #expect(result.status != 0)
            #expect(result.stderr.contains(message), "\(result.stderr)")
            #expect(try workspace.files() == ["in.png"])
        }
    }
}
