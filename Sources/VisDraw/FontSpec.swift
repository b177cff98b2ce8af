/// Which font to draw with: a family resolved through fontconfig, or a font file.
///
/// Families are fontconfig names: the generic families `"sans-serif"` (DejaVu Sans on a stock Linux, as in
/// matplotlib), `"serif"`, `"monospace"`, `"cursive"`, `"fantasy"`, or a family name such as `"DejaVu Sans"`. A
/// family that no installed font has is not an error: fontconfig substitutes its best match (usually the default
/// sans-serif font), and ``FontSet/primaryFace`` tells which font that was. A file (`.ttf`, `.otf`, or a face of
/// a `.ttc`/`.otc` collection) is how a particular font, for example a CJK one, is chosen; missing files and
/// unreadable fonts are ``VisDrawError``s.
///
/// Characters the chosen font lacks are drawn with a fallback font that has them (see ``FontSet``).
public struct FontSpec: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// Where the primary font comes from.
    public enum Source: Sendable, Hashable {
        /// A fontconfig family name or generic family.
        case family(String)
        /// A font file and the index of the face inside it (0 for a plain `.ttf`/`.otf`).
        case file(path: String, faceIndex: Int)
    }

    /// Where the primary font comes from.
    public var source: Source
    /// The weight asked of fontconfig (ignored for files).
    public var weight: FontWeight
    /// The slant asked of fontconfig (ignored for files).
    public var slant: FontSlant

    /// A font family (or generic family) with a weight and slant.
    public init(family: String, weight: FontWeight = .regular, slant: FontSlant = .upright) {
        self.source = .family(family)
        self.weight = weight
        self.slant = slant
    }

    /// A face of a font file.
    public init(filePath: String, faceIndex: Int = 0) {
        self.source = .file(path: filePath, faceIndex: faceIndex)
        self.weight = .regular
        self.slant = .upright
    }

    /// A family name, e.g. `"sans-serif"` or `"DejaVu Sans"`.
    public init(stringLiteral value: String) {
        self.init(family: value)
    }

    /// The default sans-serif family (DejaVu Sans with the usual fontconfig setup, matplotlib's default).
    public static let sansSerif = FontSpec(family: "sans-serif")
    /// The default serif family.
    public static let serif = FontSpec(family: "serif")
    /// The default monospaced family.
    public static let monospace = FontSpec(family: "monospace")

    /// A family name with a weight and slant.
    public static func family(
        _ name: String, weight: FontWeight = .regular, slant: FontSlant = .upright
    ) -> FontSpec {
        FontSpec(family: name, weight: weight, slant: slant)
    }

    /// A face of a font file (`faceIndex` selects the face of a `.ttc`/`.otc` collection).
    public static func file(_ path: String, faceIndex: Int = 0) -> FontSpec {
        FontSpec(filePath: path, faceIndex: faceIndex)
    }

    public var description: String {
        switch source {
        case .family(let name):
            var text = "family \"\(name)\""
            if weight != .regular { text += " \(weight)" }
            if slant != .upright { text += " \(slant)" }
            return text
        case .file(let path, let faceIndex):
            return "file \(path) face \(faceIndex)"
        }
    }
}

/// Font weights, in fontconfig's scale.
public enum FontWeight: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case thin, extraLight, light, regular, medium, semibold, bold, extraBold, black

    /// fontconfig's `FC_WEIGHT_*` value.
    var fontconfigWeight: Int32 {
        switch self {
        case .thin: return 0
        case .extraLight: return 40
        case .light: return 50
        case .regular: return 80
        case .medium: return 100
        case .semibold: return 180
        case .bold: return 200
        case .extraBold: return 205
        case .black: return 210
        }
    }

    public var description: String { rawValue }
}

/// Font slants.
public enum FontSlant: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case upright, italic, oblique

    /// fontconfig's `FC_SLANT_*` value.
    var fontconfigSlant: Int32 {
        switch self {
        case .upright: return 0
        case .italic: return 100
        case .oblique: return 110
        }
    }

    public var description: String { rawValue }
}
