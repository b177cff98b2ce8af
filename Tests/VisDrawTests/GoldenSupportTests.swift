import Foundation
import Testing
import VisCore
import VisTestSupport

/// The golden-image harness itself: a mismatch leaves the rendered image outside the source tree and says where;
/// regenerating rewrites the golden and fails the run.
@Suite("Golden comparison harness")
struct GoldenSupportTests {
    static func image(_ level: UInt8) throws -> Image {
        try Image(width: 6, height: 4, layout: .rgb, fill: [level, 40, 200])
    }

    @Test("a mismatch reports the differing samples and writes the rendered image to a temporary directory")
    func mismatchWritesActualOutsideTests() throws {
        let directory = try TestSupport.makeTemporaryDirectory("golden-harness")
        try Self.image(10).writePNG(to: directory.appendingPathComponent("scene.png").path)

        let same = try TestSupport.compareWithGolden(
            try Self.image(10), name: "scene.png", directory: directory, regenerate: false)
        #expect(same.differingSamples == 0 && same.maxDifference == 0 && same.actualPath == nil)

        let rendered = try Self.image(13)
        let within = try TestSupport.compareWithGolden(
            rendered, name: "scene.png", directory: directory, tolerance: 3, regenerate: false)
        #expect(within.differingSamples == 0 && within.maxDifference == 3 && within.actualPath == nil)

        let result = try TestSupport.compareWithGolden(
            rendered, name: "scene.png", directory: directory, regenerate: false)
        #expect(result.differingSamples == 24 && result.maxDifference == 3)
        let actual = try #require(result.actualPath)
        #expect(actual.hasSuffix("/scene.actual.png"))
        #expect(actual.hasPrefix(FileManager.default.temporaryDirectory.path))
        #expect(!actual.hasPrefix(TestSupport.packageRoot.path))
        #expect(try Image(contentsOfFile: actual) == rendered)
        // The golden itself is untouched.
        #expect(try Image(contentsOfFile: directory.appendingPathComponent("scene.png").path) == Self.image(10))
    }

    @Test("regenerating rewrites the golden and records an issue, so the run cannot pass")
    func regeneratingFails() throws {
        let directory = try TestSupport.makeTemporaryDirectory("golden-harness")
        withKnownIssue("regeneration always records an issue") {
            _ = try TestSupport.compareWithGolden(
                try Self.image(77), name: "new.png", directory: directory, regenerate: true)
        }
        #expect(try Image(contentsOfFile: directory.appendingPathComponent("new.png").path) == Self.image(77))
    }

    @Test("a missing golden is an error naming the file and the flag")
    func missingGolden() throws {
        let directory = try TestSupport.makeTemporaryDirectory("golden-harness")
        do {
            _ = try TestSupport.compareWithGolden(
                try Self.image(1), name: "absent.png", directory: directory, regenerate: false)
            Issue.record("no error for a missing golden")
        } catch let error as TestSupportError {
            #expect(error.description.contains("absent.png") && error.description.contains("VIS_REGENERATE_GOLDEN=1"))
        }
    }
}
