import Foundation
import Testing
import VisCore
import VisTestSupport
import VisTools

/// Pillow's `Image.resize`, byte for byte: photos and synthetic images, up and down, square and not, every filter.
/// The sizes include both orders of Pillow's passes: vertical first when it removes more than twice as many rows
/// as the horizontal pass removes columns (`100×20`, `300×40`), horizontal first otherwise.
@Suite("SelfSup Pillow resize")
struct SelfSupResizeTests {
    /// Writes each source (decoded by Pillow, so JPEG decoders cannot differ) and its Pillow resizes as PNGs.
    private static let referenceScript = #"""
import sys, os, numpy as np
from PIL import Image
import matplotlib, sklearn
out = sys.argv[1]
photos = {
    "hopper": os.path.join(os.path.dirname(matplotlib.__file__), "mpl-data/sample_data/grace_hopper.jpg"),
    "china": os.path.join(os.path.dirname(sklearn.__file__), "datasets/images/china.jpg"),
}
rng = np.random.default_rng(7)
sources = {name: Image.open(path).convert("RGB") for name, path in photos.items()}
sources["noise"] = Image.fromarray(rng.integers(0, 256, (37, 53, 3), dtype=np.uint8))
sources["gray"] = Image.open(photos["hopper"]).convert("L").crop((100, 100, 231, 190))
rgba = rng.integers(0, 256, (29, 41, 4), dtype=np.uint8)
rgba[..., 3] = rng.choice([0, 1, 77, 200, 255], size=(29, 41))
sources["rgba"] = Image.fromarray(rgba, "RGBA")
sizes = [(224, 224), (64, 48), (31, 97), (700, 533), (1, 1), (100, 20), (300, 40)]
filters = {"nearest": 0, "box": 4, "bilinear": 2, "hamming": 5, "bicubic": 3, "lanczos": 1}
for name, image in sources.items():
    image.save(f"{out}/{name}.png")
    for w, h in sizes:
        if name in ("hopper", "china") and (w, h) == (700, 533):
            continue
        for fname, f in filters.items():
            image.resize((w, h), f).save(f"{out}/{name}_{w}x{h}_{fname}.png")
    print(name, image.size[0], image.size[1])
"""#

    @Test("equals PIL.Image.resize to the byte on photos, noise, gray and RGBA, for all filters and sizes")
    func byteExact() throws {
        let directory = try TestSupport.makeTemporaryDirectory("pillow-resize")
        defer { try? FileManager.default.removeItem(at: directory) }
        let listing = try TestSupport.runPython(Self.referenceScript, arguments: [directory.path])
        let names = listing.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(names == ["hopper", "china", "noise", "gray", "rgba"])
        var compared = 0
        for name in names {
            let source = try Image(contentsOfFile: directory.appendingPathComponent("\(name).png").path)
            for (width, height) in [(224, 224), (64, 48), (31, 97), (700, 533), (1, 1), (100, 20), (300, 40)] {
                for filter in PillowFilter.allCases {
                    let path = directory.appendingPathComponent("\(name)_\(width)x\(height)_\(filter.rawValue).png").path
                    guard FileManager.default.fileExists(atPath: path) else { continue }
                    let expected = try Image(contentsOfFile: path)
                    let actual = try source.pillowResized(width: width, height: height, filter: filter)
                    let mismatches = zip(actual.pixels, expected.pixels).filter { $0 != $1 }.count
                    #expect(
                        actual.layout == expected.layout && actual.pixels.count == expected.pixels.count
                            && mismatches == 0,
                        "\(name) → \(width)×\(height) \(filter): \(mismatches) differing samples")
                    compared += 1
                }
            }
        }
        #expect(compared == 2 * 6 * 6 + 3 * 7 * 6)
    }

    @Test("same size returns the image unchanged; bad sizes are errors naming the argument")
    func edges() throws {
        let image = try Image(width: 3, height: 2, layout: .rgb, pixels: Array(0..<18).map(UInt8.init))
        #expect(try image.pillowResized(width: 3, height: 2) == image)
        #expect(throws: VisCoreError.invalidArgument(argument: "width", expected: "a positive integer", actual: "0")) {
            try image.pillowResized(width: 0, height: 2)
        }
        #expect(throws: VisCoreError.invalidArgument(argument: "height", expected: "a positive integer", actual: "-1")) {
            try image.pillowResized(width: 2, height: -1)
        }
        #expect(PillowFilter(name: "BICUBIC") == .bicubic)
        #expect(PillowFilter(name: "antialias") == .lanczos)
        #expect(PillowFilter(name: "area") == nil)
    }
}
