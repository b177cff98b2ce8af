import Foundation

extension Color {
    /// WCAG 2 relative luminance of the RGB channels (alpha ignored): 0 for black, 1 for white.
    public var luminance: Double {
        func linear(_ channel: UInt8) -> Double {
            let value = Double(channel) / 255
            return value <= 0.04045 ? value / 12.92 : pow((value + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    }

    /// Black or white, whichever contrasts more with this colour: for labels drawn on a box filled with it.
    public var contrastingTextColor: Color {
        // WCAG contrast with black is (L + 0.05) / 0.05 and with white 1.05 / (L + 0.05); they are equal at
        // L = √(1.05 · 0.05) − 0.05 ≈ 0.179.
        luminance > (1.05 * 0.05).squareRoot() - 0.05
            ? Color(red: 0, green: 0, blue: 0) : Color(red: 255, green: 255, blue: 255)
    }
}
