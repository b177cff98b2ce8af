extension Color {
    /// The gray level of an RGB colour: ITU-R BT.601 luma, `L = R·299/1000 + G·587/1000 + B·114/1000`, computed
    /// as Pillow's `convert("L")` computes it, in 16-bit fixed point with rounding:
    /// `(R·19595 + G·38470 + B·7471 + 2^15) >> 16` (equal to Pillow on all 2^24 colours).
    ///
    /// The one RGB-to-gray rule of the package: ``Image/converted(to:)``, ``samples(for:)``, and every colour
    /// drawn onto or filling a gray canvas, so that drawing on a gray image and converting a drawing to gray
    /// agree. A float evaluation of the same weights rounds differently for 9 716 colours. The feature-map
    /// heatmap's 3-plane intensity is the exception: it follows OpenCV (``_openCVLuma(blue:green:red:)``), as
    /// MMEngine's `cv2.applyColorMap` does.
    @inline(__always)
    package static func luma(red: UInt8, green: UInt8, blue: UInt8) -> UInt8 {
        UInt8(truncatingIfNeeded: (Int(red) * 19595 + Int(green) * 38470 + Int(blue) * 7471 + 0x8000) >> 16)
    }

    /// This colour's gray level (``luma(red:green:blue:)``; alpha ignored).
    package var luma: UInt8 { Color.luma(red: red, green: green, blue: blue) }

    /// OpenCV's `cvtColor(BGR2GRAY)` for `uint8`: the same BT.601 weights in 15-bit fixed point,
    /// `(B·3735 + G·19235 + R·9798 + 2^14) >> 15` (verified against OpenCV 5.0 for all 2^24 colours). Only the
    /// feature-map heatmap uses it, to match OpenCV's `applyColorMap` on a 3-channel map.
    @inline(__always)
    static func _openCVLuma(blue: UInt8, green: UInt8, red: UInt8) -> UInt8 {
        UInt8(truncatingIfNeeded: (Int(blue) * 3735 + Int(green) * 19235 + Int(red) * 9798 + (1 << 14)) >> 15)
    }
}
