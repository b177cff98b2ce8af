/// What a layout could not draw as asked, in matplotlib's words where matplotlib has them.
///
/// matplotlib warns "Glyph 3585 (\N{THAI CHARACTER KO KAI}) missing from font(s) DejaVu Sans." once for each
/// character its fonts lack; these messages say the same, and add the box it is drawn as and, for the scripts
/// that commonly lack a font (CJK, Thai, Devanagari and other Indic scripts, Arabic, Hebrew, emoji), a package
/// that provides one. The `Visualizer` reports each message once.
extension TextLayout {
    /// One warning per character in ``missingCharacters`` and ``droppedControlCharacters``, in that order.
    public var warnings: [String] {
        missingCharacters.map { TextLayout.missingGlyphWarning($0, fontName: font.face.familyName) }
            + droppedControlCharacters.map(TextLayout.controlCharacterWarning)
    }

    /// The warning for a character that neither `fontName` nor any installed fallback font has.
    public static func missingGlyphWarning(_ scalar: Unicode.Scalar, fontName: String) -> String {
        var message = "Glyph \(scalar.value) (\(_escapedName(scalar))) missing from font(s) \(fontName) and the "
            + "installed fallback fonts; it is drawn as a box."
        if let package = _FontPackage(covering: scalar) {
            message += " Install a font that has it: \(package.debian) (Debian/Ubuntu) or \(package.homebrew) "
                + "(Homebrew: brew install --cask \(package.homebrew))."
        }
        return message
    }

    /// The warning for a control character other than `\n`, which draws nothing.
    public static func controlCharacterWarning(_ scalar: Unicode.Scalar) -> String {
        "Control character \(_escapedName(scalar)) (U+\(_hex(scalar.value))) in a text draws nothing; only \\n "
            + "(a line break) is interpreted."
    }

    /// Python's `namereplace` form: `\N{NAME}` for a named character, else a `\x`/`\u`/`\U` escape.
    static func _escapedName(_ scalar: Unicode.Scalar) -> String {
        if let name = scalar.properties.name { return "\\N{\(name)}" }
        switch scalar.value {
        case 0..<0x100: return "\\x" + _hex(scalar.value, digits: 2).lowercased()
        case 0x100..<0x10000: return "\\u" + _hex(scalar.value, digits: 4).lowercased()
        default: return "\\U" + _hex(scalar.value, digits: 8).lowercased()
        }
    }

    private static func _hex(_ value: UInt32, digits: Int = 4) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(digits - text.count, 0)) + text
    }
}

/// A package that installs a font for a script: its Debian/Ubuntu name and its Homebrew cask.
struct _FontPackage: Equatable {
    let debian: String
    let homebrew: String

    init(debian: String, homebrew: String) {
        self.debian = debian
        self.homebrew = homebrew
    }

    static let cjk = _FontPackage(debian: "fonts-noto-cjk (or fonts-wqy-microhei)", homebrew: "font-noto-sans-cjk")
    static let thai = _FontPackage(debian: "fonts-thai-tlwg", homebrew: "font-noto-sans-thai")
    static let devanagari = _FontPackage(debian: "fonts-noto-core", homebrew: "font-noto-sans-devanagari")
    static let indic = _FontPackage(debian: "fonts-noto-core", homebrew: "font-noto-sans")
    static let arabic = _FontPackage(debian: "fonts-noto-core", homebrew: "font-noto-sans-arabic")
    static let hebrew = _FontPackage(debian: "fonts-noto-core", homebrew: "font-noto-sans-hebrew")
    static let emoji = _FontPackage(debian: "fonts-noto-color-emoji", homebrew: "font-noto-color-emoji")

    /// The package for the script of `scalar`, when it is one of the scripts listed above.
    init?(covering scalar: Unicode.Scalar) {
        switch scalar.value {
        case 0x1100...0x11FF, 0x2E80...0x2FDF, 0x3000...0x303F, 0x3040...0x30FF, 0x3100...0x31FF,
            0x3200...0x9FFF, 0xA960...0xA97F, 0xAC00...0xD7FF, 0xF900...0xFAFF, 0xFE30...0xFE4F,
            0xFF00...0xFFEF, 0x20000...0x3134F:
            self = .cjk
        case 0x0E00...0x0E7F: self = .thai
        case 0x0900...0x097F, 0xA8E0...0xA8FF: self = .devanagari
        case 0x0980...0x0DFF: self = .indic
        case 0x0600...0x06FF, 0x0750...0x077F, 0x08A0...0x08FF, 0xFB50...0xFDFF, 0xFE70...0xFEFF: self = .arabic
        case 0x0590...0x05FF, 0xFB1D...0xFB4F: self = .hebrew
        case 0x1F000...0x1FAFF, 0x2600...0x27BF: self = .emoji
        default: return nil
        }
    }
}
