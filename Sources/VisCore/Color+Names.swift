/// Matplotlib's named colours, stored once in matplotlib's own form (hex for CSS4 and Tableau, fractions for the
/// base letters) so that both of MMEngine's roundings can be derived from the same definition.
enum _MatplotlibColorDefinition: Sendable, Hashable {
    /// `0xRRGGBB`, as matplotlib's CSS4 and Tableau tables spell it (`'#f0f8ff'`).
    case hex(UInt32)
    /// Channel fractions in 0...1, as matplotlib's `BASE_COLORS` spell them (`'g'` is `(0, 0.5, 0)`).
    case fractions(red: Double, green: Double, blue: Double)

    /// The channels as matplotlib's `to_rgb` returns them: hex digits divided by 255, fractions unchanged.
    var fractions: (red: Double, green: Double, blue: Double) {
        switch self {
        case .hex(let value):
            return (
                Double((value >> 16) & 0xFF) / 255, Double((value >> 8) & 0xFF) / 255, Double(value & 0xFF) / 255
            )
        case .fractions(let red, let green, let blue):
            return (red, green, blue)
        }
    }
}

/// The tables behind `Color(parsing:)`: matplotlib 3.x `BASE_COLORS`, `CSS4_COLORS` and `TABLEAU_COLORS`.
enum _MatplotlibColorTable {
    /// `matplotlib.colors.BASE_COLORS`: note that `'g'` is half-intensity green and `'c'`, `'m'`, `'y'` are 0.75,
    /// not the pure secondaries.
    static let baseColors: [(name: String, definition: _MatplotlibColorDefinition)] = [
        ("b", .fractions(red: 0, green: 0, blue: 1)),
        ("g", .fractions(red: 0, green: 0.5, blue: 0)),
        ("r", .fractions(red: 1, green: 0, blue: 0)),
        ("c", .fractions(red: 0, green: 0.75, blue: 0.75)),
        ("m", .fractions(red: 0.75, green: 0, blue: 0.75)),
        ("y", .fractions(red: 0.75, green: 0.75, blue: 0)),
        ("k", .fractions(red: 0, green: 0, blue: 0)),
        ("w", .fractions(red: 1, green: 1, blue: 1)),
    ]

    /// `matplotlib.colors.CSS4_COLORS`: the 148 CSS Color Module Level 4 / X11 names, including both the `gray`
    /// and `grey` spellings. Generated from matplotlib 3.11 (`sorted(CSS4_COLORS.items())`).
    static let css4Colors: [(name: String, hex: UInt32)] = [
        ("aliceblue", 0xF0F8FF), ("antiquewhite", 0xFAEBD7), ("aqua", 0x00FFFF), ("aquamarine", 0x7FFFD4),
        ("azure", 0xF0FFFF), ("beige", 0xF5F5DC), ("bisque", 0xFFE4C4), ("black", 0x000000),
        ("blanchedalmond", 0xFFEBCD), ("blue", 0x0000FF), ("blueviolet", 0x8A2BE2), ("brown", 0xA52A2A),
        ("burlywood", 0xDEB887), ("cadetblue", 0x5F9EA0), ("chartreuse", 0x7FFF00), ("chocolate", 0xD2691E),
        ("coral", 0xFF7F50), ("cornflowerblue", 0x6495ED), ("cornsilk", 0xFFF8DC), ("crimson", 0xDC143C),
        ("cyan", 0x00FFFF), ("darkblue", 0x00008B), ("darkcyan", 0x008B8B), ("darkgoldenrod", 0xB8860B),
        ("darkgray", 0xA9A9A9), ("darkgreen", 0x006400), ("darkgrey", 0xA9A9A9), ("darkkhaki", 0xBDB76B),
        ("darkmagenta", 0x8B008B), ("darkolivegreen", 0x556B2F), ("darkorange", 0xFF8C00), ("darkorchid", 0x9932CC),
        ("darkred", 0x8B0000), ("darksalmon", 0xE9967A), ("darkseagreen", 0x8FBC8F), ("darkslateblue", 0x483D8B),
        ("darkslategray", 0x2F4F4F), ("darkslategrey", 0x2F4F4F), ("darkturquoise", 0x00CED1),
        ("darkviolet", 0x9400D3), ("deeppink", 0xFF1493), ("deepskyblue", 0x00BFFF), ("dimgray", 0x696969),
        ("dimgrey", 0x696969), ("dodgerblue", 0x1E90FF), ("firebrick", 0xB22222), ("floralwhite", 0xFFFAF0),
        ("forestgreen", 0x228B22), ("fuchsia", 0xFF00FF), ("gainsboro", 0xDCDCDC), ("ghostwhite", 0xF8F8FF),
        ("gold", 0xFFD700), ("goldenrod", 0xDAA520), ("gray", 0x808080), ("green", 0x008000),
        ("greenyellow", 0xADFF2F), ("grey", 0x808080), ("honeydew", 0xF0FFF0), ("hotpink", 0xFF69B4),
        ("indianred", 0xCD5C5C), ("indigo", 0x4B0082), ("ivory", 0xFFFFF0), ("khaki", 0xF0E68C),
        ("lavender", 0xE6E6FA), ("lavenderblush", 0xFFF0F5), ("lawngreen", 0x7CFC00), ("lemonchiffon", 0xFFFACD),
        ("lightblue", 0xADD8E6), ("lightcoral", 0xF08080), ("lightcyan", 0xE0FFFF),
        ("lightgoldenrodyellow", 0xFAFAD2), ("lightgray", 0xD3D3D3), ("lightgreen", 0x90EE90),
        ("lightgrey", 0xD3D3D3), ("lightpink", 0xFFB6C1), ("lightsalmon", 0xFFA07A), ("lightseagreen", 0x20B2AA),
        ("lightskyblue", 0x87CEFA), ("lightslategray", 0x778899), ("lightslategrey", 0x778899),
        ("lightsteelblue", 0xB0C4DE), ("lightyellow", 0xFFFFE0), ("lime", 0x00FF00), ("limegreen", 0x32CD32),
        ("linen", 0xFAF0E6), ("magenta", 0xFF00FF), ("maroon", 0x800000), ("mediumaquamarine", 0x66CDAA),
        ("mediumblue", 0x0000CD), ("mediumorchid", 0xBA55D3), ("mediumpurple", 0x9370DB),
        ("mediumseagreen", 0x3CB371), ("mediumslateblue", 0x7B68EE), ("mediumspringgreen", 0x00FA9A),
        ("mediumturquoise", 0x48D1CC), ("mediumvioletred", 0xC71585), ("midnightblue", 0x191970),
        ("mintcream", 0xF5FFFA), ("mistyrose", 0xFFE4E1), ("moccasin", 0xFFE4B5), ("navajowhite", 0xFFDEAD),
        ("navy", 0x000080), ("oldlace", 0xFDF5E6), ("olive", 0x808000), ("olivedrab", 0x6B8E23), ("orange", 0xFFA500),
        ("orangered", 0xFF4500), ("orchid", 0xDA70D6), ("palegoldenrod", 0xEEE8AA), ("palegreen", 0x98FB98),
        ("paleturquoise", 0xAFEEEE), ("palevioletred", 0xDB7093), ("papayawhip", 0xFFEFD5), ("peachpuff", 0xFFDAB9),
        ("peru", 0xCD853F), ("pink", 0xFFC0CB), ("plum", 0xDDA0DD), ("powderblue", 0xB0E0E6), ("purple", 0x800080),
        ("rebeccapurple", 0x663399), ("red", 0xFF0000), ("rosybrown", 0xBC8F8F), ("royalblue", 0x4169E1),
        ("saddlebrown", 0x8B4513), ("salmon", 0xFA8072), ("sandybrown", 0xF4A460), ("seagreen", 0x2E8B57),
        ("seashell", 0xFFF5EE), ("sienna", 0xA0522D), ("silver", 0xC0C0C0), ("skyblue", 0x87CEEB),
        ("slateblue", 0x6A5ACD), ("slategray", 0x708090), ("slategrey", 0x708090), ("snow", 0xFFFAFA),
        ("springgreen", 0x00FF7F), ("steelblue", 0x4682B4), ("tan", 0xD2B48C), ("teal", 0x008080),
        ("thistle", 0xD8BFD8), ("tomato", 0xFF6347), ("turquoise", 0x40E0D0), ("violet", 0xEE82EE),
        ("wheat", 0xF5DEB3), ("white", 0xFFFFFF), ("whitesmoke", 0xF5F5F5), ("yellow", 0xFFFF00),
        ("yellowgreen", 0x9ACD32),
    ]

    /// `matplotlib.colors.TABLEAU_COLORS` (the tab10 cycle), in matplotlib's order.
    static let tableauColors: [(name: String, hex: UInt32)] = [
        ("tab:blue", 0x1F77B4), ("tab:orange", 0xFF7F0E), ("tab:green", 0x2CA02C), ("tab:red", 0xD62728),
        ("tab:purple", 0x9467BD), ("tab:brown", 0x8C564B), ("tab:pink", 0xE377C2), ("tab:gray", 0x7F7F7F),
        ("tab:olive", 0xBCBD22), ("tab:cyan", 0x17BECF),
    ]

    /// Every name matplotlib resolves through `_colors_full_map` without the `xkcd:` prefix, lower-case, including
    /// the `tab:grey` alias matplotlib adds for `tab:gray`.
    static let definitionsByName: [String: _MatplotlibColorDefinition] = {
        var table: [String: _MatplotlibColorDefinition] = [:]
        for (name, hex) in css4Colors { table[name] = .hex(hex) }
        for (name, hex) in tableauColors { table[name] = .hex(hex) }
        table["tab:grey"] = table["tab:gray"]
        for (name, definition) in baseColors { table[name] = definition }
        return table
    }()

    /// The longest name in the table; longer strings are rejected before any lower-casing copy is made.
    static let longestNameLength: Int = definitionsByName.keys.map(\.utf8.count).max() ?? 0
}

extension Color {
    /// Every colour name `Color(parsing:)` accepts, sorted: the single letters `b g r c m y k w`, the 148 CSS4/X11
    /// names matplotlib knows and the Tableau names `tab:blue` ... `tab:cyan` (with `tab:grey` beside `tab:gray`).
    public static let matplotlibColorNames: [String] = _MatplotlibColorTable.definitionsByName.keys.sorted()
}

extension Color {
    // Common CSS4 colours as statics, so that `edgeColors: .green` reads naturally. They are the CSS values
    // (`Color(parsing: "cyan")`), not the single letters: `.cyan` is (0, 255, 255) while `"c"` is (0, 191, 191).
    // `.green`, `.red`, `.blue`, `.black` and `.white` coincide with the letters `g r b k w` as MMEngine draws them.

    /// CSS `black`, (0, 0, 0); the same as `"k"`.
    public static let black = Color(_hex: 0x000000)
    /// CSS `white`, (255, 255, 255); the same as `"w"`.
    public static let white = Color(_hex: 0xFFFFFF)
    /// CSS `red`, (255, 0, 0); the same as `"r"`.
    public static let red = Color(_hex: 0xFF0000)
    /// CSS `green`, (0, 128, 0); the same as `"g"` as MMEngine draws it.
    public static let green = Color(_hex: 0x008000)
    /// CSS `blue`, (0, 0, 255); the same as `"b"`.
    public static let blue = Color(_hex: 0x0000FF)
    /// CSS `yellow`, (255, 255, 0); `"y"` is the darker (191, 191, 0).
    public static let yellow = Color(_hex: 0xFFFF00)
    /// CSS `cyan`, (0, 255, 255); `"c"` is the darker (0, 191, 191).
    public static let cyan = Color(_hex: 0x00FFFF)
    /// CSS `magenta`, (255, 0, 255); `"m"` is the darker (191, 0, 191).
    public static let magenta = Color(_hex: 0xFF00FF)
    /// CSS `orange`, (255, 165, 0).
    public static let orange = Color(_hex: 0xFFA500)
    /// CSS `purple`, (128, 0, 128).
    public static let purple = Color(_hex: 0x800080)
    /// CSS `gray`, (128, 128, 128).
    public static let gray = Color(_hex: 0x808080)
}
