import Foundation
import Testing
import VisCore
import VisTestSupport

/// The package's RGB-to-gray rule is Pillow's `convert("L")`, checked on every 8-bit colour.
@Suite("Luma interop")
struct LumaInteropTests {
    /// Reads the gray bytes we wrote for the image of all 2^24 colours (pixel `i` = `R<<16 | G<<8 | B`) and
    /// prints how many differ from Pillow's conversion of the same image, then how many differ from a float
    /// evaluation of the BT.601 weights rounded to nearest (the rule the package no longer uses anywhere).
    static let script = #"""
import sys, numpy as np
from PIL import Image
ours = np.fromfile(sys.argv[1], dtype=np.uint8)
index = np.arange(1 << 24, dtype=np.uint32)
rgb = np.stack([index >> 16, (index >> 8) & 255, index & 255], axis=1).astype(np.uint8)
pillow = np.asarray(Image.fromarray(rgb.reshape(4096, 4096, 3), "RGB").convert("L")).reshape(-1)
r, g, b = (rgb[:, k].astype(np.float64) for k in range(3))
rounded = np.floor(0.299 * r + 0.587 * g + 0.114 * b + 0.5).astype(np.uint8)
print(int((ours != pillow).sum()), int((ours != rounded).sum()))
"""#

    @Test("Image.converted(to: .gray) equals Pillow's convert(\"L\") on all 2^24 colours")
    func allColoursMatchPillow() throws {
        var pixels = [UInt8](repeating: 0, count: 3 << 24)
        for index in 0..<(1 << 24) {
            pixels[3 * index] = UInt8(index >> 16)
            pixels[3 * index + 1] = UInt8((index >> 8) & 255)
            pixels[3 * index + 2] = UInt8(index & 255)
        }
        let gray = try Image(width: 4096, height: 4096, layout: .rgb, pixels: pixels).converted(to: .gray)
        let directory = try TestSupport.makeTemporaryDirectory("luma")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("gray.raw").path
        try Data(gray.pixels).write(to: URL(fileURLWithPath: path))
        let counts = try TestSupport.runPython(Self.script, arguments: [path])
            .split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(counts.count == 2)
        #expect(counts.first == 0, "colours whose gray differs from Pillow's")
        // The float rule really is another rule: without this the test could not tell them apart.
        #expect(counts.last == 9716)
    }
}
