import VisCore

/// Golden-image file access, routed through VisCore's PNG codec.
enum ImageGoldenIO {
    static func write(_ image: Image, to path: String) throws {
        try image.writePNG(to: path)
    }

    static func read(_ path: String) throws -> Image {
        try Image(contentsOfFile: path)
    }
}
