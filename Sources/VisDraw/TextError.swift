/// Errors raised while loading fonts, laying out or drawing text. Every case names the file or argument at fault
/// and, where it helps, what was expected.
public enum TextError: Error, Equatable, Sendable {
    /// A font file given by path does not exist.
    case fontFileNotFound(path: String)
    /// FreeType could not read a font file (not a font, corrupt or truncated). `reason` is FreeType's error,
    /// spelled out.
    case invalidFontFile(path: String, faceIndex: Int, reason: String)
    /// A collection (`.ttc`/`.otc`) was asked for a face it does not have.
    case faceIndexOutOfRange(path: String, faceIndex: Int, faceCount: Int)
    /// Fontconfig knows no font at all (an empty font configuration), so nothing can be drawn.
    case noFontAvailable(request: String)
    /// An argument had the wrong value or form: `argument` is its name, `expected` the accepted form.
    case invalidArgument(argument: String, expected: String, actual: String)
    /// FreeType failed in a way that does not depend on the input (for example out of memory).
    case freeTypeFailure(operation: String, reason: String)
}

extension TextError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .fontFileNotFound(let path):
            return "font file not found: \(path)"
        case .invalidFontFile(let path, let faceIndex, let reason):
            return
                "cannot read font file \(path) (face \(faceIndex)): \(reason); expected a TrueType/OpenType font"
        case .faceIndexOutOfRange(let path, let faceIndex, let faceCount):
            return
                "font file \(path) has \(faceCount) face(s); face index \(faceIndex) is out of range 0..<\(faceCount)"
        case .noFontAvailable(let request):
            return
                "no font available for \(request): fontconfig found no fonts (install e.g. fonts-dejavu-core)"
        case .invalidArgument(let argument, let expected, let actual):
            return "invalid argument `\(argument)`: expected \(expected), got \(actual)"
        case .freeTypeFailure(let operation, let reason):
            return "FreeType failed in \(operation): \(reason)"
        }
    }
}

extension TextError: CustomDebugStringConvertible {
    public var debugDescription: String { description }
}

/// FreeType error codes (fterrdef.h) spelled out: distributions build FreeType without `FT_Error_String`'s
/// message table, so the common codes are named here and the rest reported by number.
func _freeTypeErrorMessage(_ code: Int32) -> String {
    let name: String
    switch code {
    case 0x01: name = "cannot open resource"
    case 0x02: name = "unknown file format"
    case 0x03: name = "broken file"
    case 0x04: name = "invalid FreeType version"
    case 0x05: name = "module version is too low"
    case 0x06: name = "invalid argument"
    case 0x07: name = "unimplemented feature"
    case 0x08: name = "broken table"
    case 0x09: name = "broken offset within table"
    case 0x0A: name = "array allocation size too large"
    case 0x0B: name = "missing module"
    case 0x0C: name = "missing property"
    case 0x10: name = "invalid glyph index"
    case 0x11: name = "invalid character code"
    case 0x12: name = "unsupported glyph image format"
    case 0x13: name = "cannot render this glyph format"
    case 0x14: name = "invalid outline"
    case 0x15: name = "invalid composite glyph"
    case 0x16: name = "too many hints"
    case 0x17: name = "invalid pixel size"
    case 0x18: name = "invalid SVG document"
    case 0x20: name = "invalid object handle"
    case 0x21: name = "invalid library handle"
    case 0x22: name = "invalid module handle"
    case 0x23: name = "invalid face handle"
    case 0x24: name = "invalid size handle"
    case 0x25: name = "invalid glyph slot handle"
    case 0x26: name = "invalid charmap handle"
    case 0x40: name = "out of memory"
    case 0x51: name = "cannot open stream"
    case 0x52: name = "invalid stream seek"
    case 0x53: name = "invalid stream skip"
    case 0x54: name = "invalid stream read"
    case 0x55: name = "invalid stream operation"
    case 0x56: name = "invalid frame operation"
    case 0x57: name = "nested frame access"
    case 0x58: name = "invalid frame read"
    case 0x80...0x8F: name = "invalid TrueType bytecode"
    case 0x90: name = "table missing"
    case 0x91: name = "horizontal header (hhea) table missing"
    case 0x92: name = "locations (loca) table missing"
    case 0x93: name = "name table missing"
    case 0x94: name = "character map (cmap) table missing"
    case 0x95: name = "horizontal metrics (hmtx) table missing"
    case 0x96: name = "PostScript (post) table missing"
    case 0x97: name = "invalid horizontal metrics"
    case 0x98: name = "invalid character map (cmap) format"
    case 0x99: name = "invalid ppem value"
    case 0x9A: name = "invalid vertical metrics"
    case 0x9B: name = "could not find context"
    case 0x9C: name = "invalid PostScript (post) table format"
    case 0x9D: name = "invalid PostScript (post) table"
    case 0xA0...0xBF: name = "invalid CFF/Type 1 data"
    default: name = "FreeType error"
    }
    return "\(name) (FreeType error 0x\(String(code, radix: 16, uppercase: true)))"
}
