// Temporary surface, replaced by the codec implementation (issue 2): the signatures other modules use.
import Foundation

extension Image {
    /// Decodes a PNG or JPEG file, chosen by its signature.
    public init(contentsOfFile path: String) throws {
        throw VisCoreError.unsupportedFormat(source: path, reason: "codecs not built yet")
    }

    /// Encodes the image as PNG and writes it to `path`.
    public func writePNG(to path: String, compressionLevel: Int = 6) throws {
        throw VisCoreError.unsupportedFormat(source: path, reason: "codecs not built yet")
    }
}

extension Image {
    /// Decodes PNG or JPEG bytes, chosen by signature.
    public init(data: [UInt8]) throws {
        throw VisCoreError.unsupportedFormat(source: "<bytes>", reason: "codecs not built yet")
    }

    /// Encodes the image as PNG.
    public func pngData(compressionLevel: Int = 6) throws -> [UInt8] {
        throw VisCoreError.unsupportedFormat(source: "<bytes>", reason: "codecs not built yet")
    }
}
