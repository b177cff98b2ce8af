import Foundation

/// Errors raised by `VisDraw`: bad drawing input, and fonts that cannot be found or read. Every case names the
/// offending argument or file, and where it helps what was expected, so a message that reaches a user points at
/// what to fix.
public enum VisDrawError: Error, Equatable, Sendable {
    /// Geometry that cannot be drawn: a coordinate or radius that is NaN or infinite, a negative radius or size.
    /// Finite coordinates, however far outside the image, are never an error: they are clipped.
    case invalidGeometry(argument: String, reason: String)
    /// An argument (line width, dash pattern, opacity, line style name, font size, alignment, text position …)
    /// outside its accepted form: `argument` is its name, `expected` the accepted form.
    case invalidArgument(argument: String, expected: String, actual: String)
    /// A font file given by path does not exist.
    case fontFileNotFound(path: String)
    /// FreeType could not read a font file (not a font, corrupt or truncated). `reason` is FreeType's error,
    /// spelled out.
    case invalidFontFile(path: String, faceIndex: Int, reason: String)
    /// A collection (`.ttc`/`.otc`) was asked for a face it does not have.
    case faceIndexOutOfRange(path: String, faceIndex: Int, faceCount: Int)
    /// Fontconfig knows no font at all (an empty font configuration), so nothing can be drawn.
    case noFontAvailable(request: String)
    /// FreeType failed in a way that does not depend on the input (for example out of memory).
    case freeTypeFailure(operation: String, reason: String)
}

extension VisDrawError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .invalidGeometry(argument, reason):
            return "invalid geometry in `\(argument)`: \(reason)"
        case let .invalidArgument(argument, expected, actual):
            return "invalid argument `\(argument)`: expected \(expected), got \(actual)"
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
        case .freeTypeFailure(let operation, let reason):
            return "FreeType failed in \(operation): \(reason)"
        }
    }
}

extension VisDrawError: CustomDebugStringConvertible {
    public var debugDescription: String { description }
}

/// `localizedDescription` is the ``description``, not Foundation's generic "The operation could not be completed".
extension VisDrawError: LocalizedError {
    public var errorDescription: String? { description }
}
