import Foundation

/// The font files the text tests draw with, shipped as resources of this target (provenance, licences and how the
/// CJK subset was made: `Tests/VisTestSupport/Fonts/README.md`). Golden images of text drawn with them do not
/// depend on the fonts a machine has installed.
public enum TestFonts {
    /// DejaVu Sans 2.37, the sans-serif font of matplotlib and so of MMEngine.
    public static let dejaVuSans = path("DejaVuSans.ttf")

    /// Both faces of WenQuanYi Micro Hei (0: proportional, 1: Mono), cut down to printable ASCII and the CJK
    /// characters the tests draw: 猫 狗 标 签 树.
    public static let wqyMicroHeiSubset = path("WQYMicroHei-TestSubset.ttc")

    /// A missing file surfaces as the font loader's typed error naming this path.
    private static func path(_ file: String) -> String {
        Bundle.module.bundleURL.appendingPathComponent("Fonts").appendingPathComponent(file).path
    }
}
