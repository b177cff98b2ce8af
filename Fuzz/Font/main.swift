import Foundation
import FuzzSupport
import VisCore
import VisDraw

nonisolated(unsafe) var inputCount = 0

/// Font files handed to FreeType by path: loading, glyph lookup, then laying out and drawing a short text with it
/// (glyph rendering, kerning, metrics). Each input gets its own path, as fonts are cached by path.
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    inputCount += 1
    let path = fuzzFile(fuzzBytes(data, size), suffix: "-\(inputCount).ttf")
    defer { try? FileManager.default.removeItem(atPath: path) }
    guard let face = try? FontFace.load(path: path) else { return 0 }
    for scalar in "Ag 1.".unicodeScalars { _ = face.hasGlyph(for: scalar) }
    let renderer = TextRenderer(glyphCache: GlyphCache(byteBudget: 1 << 20))
    if var image = try? Image(width: 48, height: 24, layout: .rgb, fill: [255, 255, 255]) {
        _ = try? renderer.draw("Ag 1.", x: 2, y: 2, style: TextStyle(font: .file(path), sizePoints: 12), into: &image)
    }
    return 0
}

fuzzMain(testOneInput)
