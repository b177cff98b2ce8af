/// An ordered, non-empty list of colours, indexed with wrap-around so that class `i` always has a colour.
///
/// ```swift
/// let palette = ColorPalette.coco
/// let color = palette[labelIndex]      // palette[80] is palette[0]
/// ```
public struct ColorPalette: Sendable, Hashable {
    /// The colours, in order. Never empty.
    public let colors: [Color]

    /// A palette of the given colours.
    ///
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` when `colors` is empty.
    public init(colors: [Color]) throws {
        guard !colors.isEmpty else {
            throw VisCoreError.invalidArgument(
                argument: "colors", expected: "at least one colour", actual: "an empty list")
        }
        self.colors = colors
    }

    /// For the built-in tables, which are non-empty by construction.
    private init(_unchecked colors: [Color]) {
        self.colors = colors
    }

    /// The number of distinct entries before indices wrap around.
    public var count: Int { colors.count }

    /// The colour for `index`, wrapping around modulo ``count`` (negative indices count from the end, as in
    /// Python: `palette[-1]` is the last colour).
    public subscript(index: Int) -> Color {
        let remainder = index % colors.count
        return colors[remainder < 0 ? remainder + colors.count : remainder]
    }

    // MARK: - Built-in palettes

    /// matplotlib's `tab10`: the default colour cycle (`tab:blue`, `tab:orange`, ...).
    public static let tab10 = ColorPalette(
        _unchecked: _MatplotlibColorTable.tableauColors.map { Color(_hex: $0.hex) })

    /// matplotlib's `tab20`: each `tab10` colour followed by a lighter variant.
    public static let tab20 = ColorPalette(
        _unchecked: [
            0x1F77B4, 0xAEC7E8, 0xFF7F0E, 0xFFBB78, 0x2CA02C, 0x98DF8A, 0xD62728, 0xFF9896, 0x9467BD, 0xC5B0D5,
            0x8C564B, 0xC49C94, 0xE377C2, 0xF7B6D2, 0x7F7F7F, 0xC7C7C7, 0xBCBD22, 0xDBDB8D, 0x17BECF, 0x9EDAE5,
        ].map { Color(_hex: $0) })

    /// MMDetection's COCO palette (`CocoDataset.METAINFO['palette']`): one colour per class of the 80 COCO
    /// detection classes, in class order (`person` is (220, 20, 60)). MMDetection's `get_palette('coco', n)`.
    public static let coco = ColorPalette(
        _unchecked: [
            (220, 20, 60), (119, 11, 32), (0, 0, 142), (0, 0, 230), (106, 0, 228), (0, 60, 100), (0, 80, 100),
            (0, 0, 70), (0, 0, 192), (250, 170, 30), (100, 170, 30), (220, 220, 0), (175, 116, 175), (250, 0, 30),
            (165, 42, 42), (255, 77, 255), (0, 226, 252), (182, 182, 255), (0, 82, 0), (120, 166, 157),
            (110, 76, 0), (174, 57, 255), (199, 100, 0), (72, 0, 118), (255, 179, 240), (0, 125, 92),
            (209, 0, 151), (188, 208, 182), (0, 220, 176), (255, 99, 164), (92, 0, 73), (133, 129, 255),
            (78, 180, 255), (0, 228, 0), (174, 255, 243), (45, 89, 255), (134, 134, 103), (145, 148, 174),
            (255, 208, 186), (197, 226, 255), (171, 134, 1), (109, 63, 54), (207, 138, 255), (151, 0, 95),
            (9, 80, 61), (84, 105, 51), (74, 65, 105), (166, 196, 102), (208, 195, 210), (255, 109, 65),
            (0, 143, 149), (179, 0, 194), (209, 99, 106), (5, 121, 0), (227, 255, 205), (147, 186, 208),
            (153, 69, 1), (3, 95, 161), (163, 255, 0), (119, 0, 170), (0, 182, 199), (0, 165, 120),
            (183, 130, 88), (95, 32, 0), (130, 114, 135), (110, 129, 133), (166, 74, 118), (219, 142, 185),
            (79, 210, 114), (178, 90, 62), (65, 70, 15), (127, 167, 115), (59, 105, 106), (142, 108, 45),
            (196, 172, 0), (95, 54, 80), (128, 76, 255), (201, 57, 1), (246, 0, 122), (191, 162, 208),
        ].map { (red: UInt8, green: UInt8, blue: UInt8) in Color(red: red, green: green, blue: blue) })

    /// The palette for detection labels: ``coco``, as MMDetection's visualizer uses it for COCO models.
    public static var detection: ColorPalette { coco }

    // MARK: - Generated palettes

    /// The most colours ``generate(count:seed:)`` and ``random(count:seed:)`` produce, so that a count read from
    /// user input cannot request an unbounded allocation.
    public static let maximumGeneratedCount = 65_536

    /// `count` colours whose hues step by the golden ratio around the HSV circle, cycling through three
    /// saturation/brightness bands, so that consecutive colours (and, for a few dozen colours, all colours) are far
    /// apart. The same `count` and `seed` always give the same palette; `seed` picks the starting hue.
    ///
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` when `count` is not in
    ///   1...``maximumGeneratedCount``.
    public static func generate(count: Int, seed: UInt32 = 0) throws -> ColorPalette {
        try _checkGeneratedCount(count)
        // (saturation, value) bands: vivid, pastel, dark. Alternating them separates hues that the golden-ratio
        // sequence brings close together after many steps.
        let bands: [(saturation: Double, value: Double)] = [(0.9, 0.95), (0.55, 0.85), (0.95, 0.6)]
        let goldenRatioConjugate = 0.618_033_988_749_894_9
        let startHue = Double(_splitMix64(UInt64(seed)) >> 11) / Double(UInt64(1) << 53)
        let colors = (0..<count).map { index in
            let hue = (startHue + Double(index) * goldenRatioConjugate).truncatingRemainder(dividingBy: 1)
            let band = bands[index % bands.count]
            return Color._fromHSV(hue: hue, saturation: band.saturation, value: band.value)
        }
        return ColorPalette(_unchecked: colors)
    }

    /// MMDetection's `get_palette('random', count)`: `np.random.seed(seed)` then
    /// `np.random.randint(0, 256, size=(count, 3))`, reproduced exactly (numpy's legacy MT19937 stream), so that
    /// colours match MMDetection's for the same class indices. MMDetection always uses seed 42, the default.
    ///
    /// Random colours may be close to each other; ``generate(count:seed:)`` spreads them out instead.
    ///
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` when `count` is not in
    ///   1...``maximumGeneratedCount``.
    public static func random(count: Int, seed: UInt32 = 42) throws -> ColorPalette {
        try _checkGeneratedCount(count)
        var generator = _MersenneTwister19937(seed: seed)
        // numpy's bounded draw for the range 0...255 masks a 32-bit output with 0xFF and never rejects.
        let colors = (0..<count).map { _ in
            let red = UInt8(truncatingIfNeeded: generator.next())
            let green = UInt8(truncatingIfNeeded: generator.next())
            let blue = UInt8(truncatingIfNeeded: generator.next())
            return Color(red: red, green: green, blue: blue)
        }
        return ColorPalette(_unchecked: colors)
    }

    private static func _checkGeneratedCount(_ count: Int) throws {
        guard (1...maximumGeneratedCount).contains(count) else {
            throw VisCoreError.invalidArgument(
                argument: "count", expected: "a palette size in 1...\(maximumGeneratedCount)", actual: "\(count)")
        }
    }

    /// SplitMix64's output function: spreads consecutive seeds over the whole 64-bit range.
    private static func _splitMix64(_ seed: UInt64) -> UInt64 { SplitMix64.mix(seed &+ 0x9E37_79B9_7F4A_7C15) }
}

extension Color {
    /// A palette of colours: ``ColorPalette``, reachable as `Color.Palette.tab10`.
    public typealias Palette = ColorPalette

    /// An opaque colour from `0xRRGGBB`.
    init(_hex hex: UInt32) {
        self.init(
            red: UInt8(truncatingIfNeeded: hex >> 16), green: UInt8(truncatingIfNeeded: hex >> 8),
            blue: UInt8(truncatingIfNeeded: hex))
    }

    /// An opaque colour from HSV components in 0...1 (hue wraps), rounded to nearest.
    static func _fromHSV(hue: Double, saturation: Double, value: Double) -> Color {
        let scaled = hue * 6
        let sector = Int(scaled) % 6
        let fraction = scaled - scaled.rounded(.down)
        let p = value * (1 - saturation)
        let q = value * (1 - saturation * fraction)
        let t = value * (1 - saturation * (1 - fraction))
        let (red, green, blue): (Double, Double, Double)
        switch sector {
        case 0: (red, green, blue) = (value, t, p)
        case 1: (red, green, blue) = (q, value, p)
        case 2: (red, green, blue) = (p, value, t)
        case 3: (red, green, blue) = (p, q, value)
        case 4: (red, green, blue) = (t, p, value)
        default: (red, green, blue) = (value, p, q)
        }
        return Color(red: _renderedChannel(red), green: _renderedChannel(green), blue: _renderedChannel(blue))
    }
}
