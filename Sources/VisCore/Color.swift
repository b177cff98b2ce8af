/// An sRGB colour with straight (not premultiplied) alpha, 8 bits per channel.
///
/// Parsing of MMEngine's colour forms (`"g"`, `"red"`, `"#ff8800"`, `"none"`, tuples) and the palettes live in
/// `Color+Parsing.swift`, `Color+Names.swift` and `Color+Palettes.swift`.
public struct Color: Sendable, Hashable {
    /// Red, 0-255.
    public var red: UInt8
    /// Green, 0-255.
    public var green: UInt8
    /// Blue, 0-255.
    public var blue: UInt8
    /// Opacity, 0 (transparent) to 255 (opaque).
    public var alpha: UInt8

    /// Creates a colour from 8-bit channels.
    @inlinable
    public init(red: UInt8, green: UInt8, blue: UInt8, alpha: UInt8 = 255) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = alpha
    }

    /// Whether the colour draws nothing (`"none"`).
    @inlinable public var isTransparent: Bool { alpha == 0 }

    /// `(red, green, blue)` as a tuple.
    public var rgb: (UInt8, UInt8, UInt8) { (red, green, blue) }

    /// The same colour with another alpha.
    public func withAlpha(_ alpha: UInt8) -> Color {
        Color(red: red, green: green, blue: blue, alpha: alpha)
    }

    /// Fully transparent black: MMEngine's `'none'`.
    public static let none = Color(red: 0, green: 0, blue: 0, alpha: 0)
}
