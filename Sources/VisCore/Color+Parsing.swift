/// Parsing of MMEngine's colour specifications.
///
/// MMEngine hands colour strings to matplotlib, so the accepted strings are matplotlib's: the base letters, the CSS4
/// names, the Tableau `tab:` names, hex and `'none'`. It rounds them two ways, and both are offered here:
/// - drawing (`draw_bboxes`, `draw_texts`, ...) lets matplotlib render the float colour, which rounds to nearest:
///   `'g'` = (0, 0.5, 0) is drawn as (0, 128, 0). That is ``Color/init(parsing:argument:)``.
/// - `draw_binary_masks` goes through `color_str2rgb`, which truncates `c · 255` and drops alpha: `'g'` becomes
///   (0, 127, 0). That is ``Color/maskColor(parsing:argument:)``.
extension Color {
    /// The colour forms MMEngine accepts (strings for ``Color/init(parsing:argument:)``, tuples for
    /// `Color(rgbTuple:)`), as error messages state them.
    public static let acceptedForms =
        "a matplotlib colour name, a single letter bgrcmykw, #rgb/#rgba/#rrggbb/#rrggbbaa, a grey level '0'-'1', "
        + "'none' or an (r, g, b) tuple with channels 0-255"

    /// Parses a matplotlib colour string into the colour MMEngine's drawing methods render.
    ///
    /// Accepted, after trimming surrounding whitespace:
    /// - the letters `b g r c m y k w` with matplotlib's values (`"g"` is (0, 128, 0), `"c"` is (0, 191, 191));
    ///   like matplotlib, letters are case-sensitive (`"G"` is rejected);
    /// - the 148 CSS4/X11 names (`"red"`, `"orange"`, `"gray"`/`"grey"`, ...) and `tab:blue` ... `tab:cyan`
    ///   (`tab:gray`/`tab:grey`), case-insensitive;
    /// - `"#rgb"`, `"#rgba"`, `"#rrggbb"`, `"#rrggbbaa"` in either case;
    /// - `"none"` (any case), which is ``Color/none``;
    /// - a grey level as matplotlib reads it, a decimal number string from `"0"` to `"1"` (`"0.5"` is (128, 128, 128)).
    ///
    /// Channels are rounded to nearest as matplotlib's renderer does (`0.5 · 255 = 127.5` becomes 128). Any fully
    /// transparent result is ``Color/none``: its RGB would never show.
    ///
    /// - Parameters:
    ///   - text: The colour specification.
    ///   - argument: The argument name reported in errors (`"edge_colors"`, ...).
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` for anything else.
    public init(parsing text: String, argument: String = "color") throws {
        let rgba = try _MatplotlibColorParser.fractions(of: text, argument: argument)
        self = Color._rendered(red: rgba.red, green: rgba.green, blue: rgba.blue, alpha: rgba.alpha)
    }

    /// The colour MMEngine's `draw_binary_masks` fills with for a colour string: `color_str2rgb`, which truncates
    /// each matplotlib channel fraction (`int(c · 255)`) and drops alpha.
    ///
    /// So `"g"` is (0, 127, 0) here but (0, 128, 0) from ``Color/init(parsing:argument:)``; CSS and hex colours are
    /// the same either way. The result is always opaque, `"none"` included (matplotlib's `to_rgb('none')` is black).
    ///
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` for strings
    ///   ``Color/init(parsing:argument:)`` rejects.
    public static func maskColor(parsing text: String, argument: String = "color") throws -> Color {
        let rgba = try _MatplotlibColorParser.fractions(of: text, argument: argument)
        return Color(
            red: _truncatedChannel(rgba.red), green: _truncatedChannel(rgba.green), blue: _truncatedChannel(rgba.blue))
    }

    /// A colour from an MMEngine tuple: 3 (RGB) or 4 (RGBA) channels, each on the 0-255 scale.
    ///
    /// MMEngine divides tuple channels by 255 and lets matplotlib render them, so fractional channels are allowed
    /// and rounded to nearest (`127.5` becomes 128), and `(0.5, 0.5, 0.5)` is nearly black, not grey.
    ///
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` when the tuple does not have 3 or 4
    ///   channels, or a channel is NaN or outside 0...255.
    public init(rgbTuple channels: [Double], argument: String = "color") throws {
        try Color._checkTupleLength(channels.count, argument: argument)
        for (index, channel) in channels.enumerated() where !(0...255).contains(channel) {
            throw Color._channelError(index: index, value: "\(channel)", argument: argument)
        }
        self = Color._rendered(
            red: channels[0] / 255, green: channels[1] / 255, blue: channels[2] / 255,
            alpha: channels.count == 4 ? channels[3] / 255 : 1)
    }

    /// A colour from an integer MMEngine tuple: 3 (RGB) or 4 (RGBA) channels, each in 0...255.
    ///
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` when the tuple does not have 3 or 4
    ///   channels, or a channel is outside 0...255.
    public init(rgbTuple channels: [Int], argument: String = "color") throws {
        try Color._checkTupleLength(channels.count, argument: argument)
        var bytes: [UInt8] = []
        for (index, channel) in channels.enumerated() {
            guard let byte = UInt8(exactly: channel) else {
                throw Color._channelError(index: index, value: "\(channel)", argument: argument)
            }
            bytes.append(byte)
        }
        self = Color._normalizingTransparency(
            Color(red: bytes[0], green: bytes[1], blue: bytes[2], alpha: bytes.count == 4 ? bytes[3] : 255))
    }

    // MARK: - String literals

    /// What a string literal that is not a colour becomes: fully transparent, with the recognisable RGB bytes
    /// `ba d0 c0` ("bad colour"), so it draws nothing instead of crashing.
    ///
    /// Parsing never produces this value (parsed transparent colours are normalised to ``Color/none``), so
    /// ``Color/isInvalidLiteral`` identifies it and ``Color/validated(argument:)`` turns it into an error. Drawing
    /// APIs validate their colours; code that builds colours from user input should use
    /// ``Color/init(parsing:argument:)``, which throws.
    public static let invalidLiteral = Color(red: 0xBA, green: 0xD0, blue: 0xC0, alpha: 0)

    /// Whether this colour is ``Color/invalidLiteral``, the value of a string literal that failed to parse.
    public var isInvalidLiteral: Bool { self == .invalidLiteral }

    /// `self`, or an error when it is ``Color/invalidLiteral``.
    ///
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` naming `argument`.
    public func validated(argument: String = "color") throws -> Color {
        guard !isInvalidLiteral else {
            throw VisCoreError.invalidArgument(
                argument: argument, expected: Color.acceptedForms,
                actual: "a string literal that is not a colour (Color.invalidLiteral)")
        }
        return self
    }

    // MARK: - Channel conversions shared by every path

    /// A fraction in 0...1 as matplotlib's Agg renderer stores it: `uround(c · 255)`, round half up.
    static func _renderedChannel(_ fraction: Double) -> UInt8 {
        UInt8(fraction * 255 + 0.5)
    }

    /// A fraction in 0...1 as MMEngine's `color_str2rgb` converts it: `int(c · 255)`, truncation.
    static func _truncatedChannel(_ fraction: Double) -> UInt8 {
        UInt8(fraction * 255)
    }

    private static func _rendered(red: Double, green: Double, blue: Double, alpha: Double) -> Color {
        _normalizingTransparency(
            Color(
                red: _renderedChannel(red), green: _renderedChannel(green), blue: _renderedChannel(blue),
                alpha: _renderedChannel(alpha)))
    }

    /// Every fully transparent colour is ``Color/none``, which keeps ``Color/invalidLiteral`` out of reach of
    /// parsing and makes transparent colours compare equal.
    private static func _normalizingTransparency(_ color: Color) -> Color {
        color.alpha == 0 ? .none : color
    }

    private static func _checkTupleLength(_ count: Int, argument: String) throws {
        guard count == 3 || count == 4 else {
            throw VisCoreError.invalidArgument(
                argument: argument, expected: "an (r, g, b) or (r, g, b, a) tuple with channels 0-255",
                actual: "a tuple of \(count) value\(count == 1 ? "" : "s")")
        }
    }

    private static func _channelError(index: Int, value: String, argument: String) -> VisCoreError {
        .invalidArgument(
            argument: argument, expected: "an (r, g, b) or (r, g, b, a) tuple with channels 0-255",
            actual: "channel \(index) = \(value)")
    }
}

extension Color: ExpressibleByStringLiteral {
    /// A colour from a literal such as `"g"`, `"red"`, `"tab:blue"` or `"#ff8800"`, parsed like
    /// ``Color/init(parsing:argument:)``.
    ///
    /// A literal that is not a colour becomes ``Color/invalidLiteral`` (never a crash); drawing APIs reject it
    /// through ``Color/validated(argument:)``.
    public init(stringLiteral value: String) {
        self = (try? Color(parsing: value)) ?? .invalidLiteral
    }
}

/// matplotlib's `to_rgba` for strings, returning channel fractions in 0...1.
enum _MatplotlibColorParser {
    /// How much of a rejected string an error message quotes.
    private static let quotedPrefixLength = 60

    static func fractions(of text: String, argument: String) throws
        -> (red: Double, green: Double, blue: Double, alpha: Double)
    {
        let trimmed = trimmingWhitespace(text)
        if let named = namedColor(trimmed) {
            return named
        }
        if let hex = hexColor(trimmed) {
            return hex
        }
        if let level = greyLevel(trimmed) {
            return (level, level, level, 1)
        }
        throw VisCoreError.invalidArgument(argument: argument, expected: Color.acceptedForms, actual: quote(text))
    }

    /// `'none'` and the named tables. Like matplotlib, a single letter must match exactly; longer names are
    /// case-insensitive.
    private static func namedColor(_ text: Substring) -> (red: Double, green: Double, blue: Double, alpha: Double)? {
        guard text.utf8.count <= _MatplotlibColorTable.longestNameLength else { return nil }
        let name = text.count == 1 ? String(text) : text.lowercased()
        if name == "none" { return (0, 0, 0, 0) }
        guard let definition = _MatplotlibColorTable.definitionsByName[name] else { return nil }
        let channels = definition.fractions
        return (channels.red, channels.green, channels.blue, 1)
    }

    /// `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`; short forms repeat each digit, as matplotlib does.
    private static func hexColor(_ text: Substring) -> (red: Double, green: Double, blue: Double, alpha: Double)? {
        let bytes = Array(text.utf8.prefix(10))
        guard bytes.first == UInt8(ascii: "#"), [4, 5, 7, 9].contains(bytes.count), bytes.count == text.utf8.count
        else { return nil }
        var digits: [UInt8] = []
        for byte in bytes.dropFirst() {
            guard let digit = hexDigitValue(byte) else { return nil }
            digits.append(digit)
        }
        let channels: [UInt8]
        if digits.count <= 4 {
            channels = digits.map { $0 * 17 }
        } else {
            channels = stride(from: 0, to: digits.count, by: 2).map { digits[$0] * 16 + digits[$0 + 1] }
        }
        return (
            Double(channels[0]) / 255, Double(channels[1]) / 255, Double(channels[2]) / 255,
            channels.count == 4 ? Double(channels[3]) / 255 : 1
        )
    }

    /// matplotlib's "string grey level": a decimal number from 0 to 1.
    private static func greyLevel(_ text: Substring) -> Double? {
        // Only decimal spellings: Swift's `Double(_:)` also reads hex floats, "nan" and "inf", which are not
        // meaningful grey levels (Python's `float()` rejects the first; matplotlib rejects the others by range).
        guard text.utf8.count <= 32,
            text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || "+-.eE".utf8.contains($0) }),
            let level = Double(text), (0...1).contains(level)
        else { return nil }
        return level
    }

    private static func hexDigitValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static func trimmingWhitespace(_ text: String) -> Substring {
        let isSpace: (Character) -> Bool = { $0.isWhitespace }
        guard let start = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return text[start...last]
    }

    /// The rejected input for an error message, quoted and cut short so a huge string is not copied into it.
    private static func quote(_ text: String) -> String {
        let count = text.count
        guard count > quotedPrefixLength else { return String(reflecting: text) }
        return String(reflecting: String(text.prefix(quotedPrefixLength))) + "... (\(count) characters)"
    }
}
