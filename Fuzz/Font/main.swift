import FuzzSupport
import VisDraw

/// Font files handed to FreeType by path, then asked for the glyphs and metrics text layout uses.
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let path = fuzzFile(fuzzBytes(data, size), suffix: ".ttf")
    if let face = try? FontFace.load(path: path) {
        for scalar in "Ag 1." .unicodeScalars { _ = face.hasGlyph(for: scalar) }
    }
    return 0
}

fuzzMain(testOneInput)
