import Foundation
import VisCore

/// A value in the open history row: JSON text, or an image whose `image-file` value exists once the writer
/// thread has encoded it.
enum _WandbRowValue: Sendable {
    case json(String)
    case image(_WandbImageSlot)

    /// The value's JSON text; `nil` for an image whose encoding has not run or failed.
    var jsonText: String? {
        switch self {
        case .json(let text): return text
        case .image(let slot): return slot.result?.json
        }
    }
}

/// An image logged to a row. ``encode(_:filesDirectory:)`` runs on the writer thread and fills ``result``;
/// the row's records are built later on the same thread, so the two never race.
final class _WandbImageSlot: @unchecked Sendable {
    /// The image key as a path under `files/media/images/`.
    let key: String
    let step: Int64
    let caption: String?
    let width: Int
    let height: Int
    /// The file path relative to `files/` and the `image-file` JSON value. Writer thread only.
    private(set) var result: (path: String, json: String)?

    init(key: String, step: Int64, caption: String?, width: Int, height: Int) {
        self.key = key
        self.step = step
        self.caption = caption
        self.width = width
        self.height = height
    }

    /// Encodes the PNG, writes it to `files/media/images/<key>_<step>_<sha256[:20]>.png` (the SDK's naming) and
    /// builds the `image-file` value.
    func encode(_ image: Image, filesDirectory: String) throws {
        let png: [UInt8]
        do {
            png = try _SharedPNGEncodings.shared.png(for: image, compression: .fast)
        } catch {
            throw VisBackendError.encodingFailed(name: key, reason: String(describing: error))
        }
        let sha256 = SHA256.hash(png).hexString
        let relative = "media/images/\(key)_\(step)_\(sha256.prefix(20)).png"
        let url = URL(fileURLWithPath: filesDirectory).appendingPathComponent(relative)
        do {
            try FileIO.writeAtomically(png, to: url.path, createDirectories: true)
        } catch {
            throw VisBackendError.file(error, path: url.path)
        }
        var value: ConfigValue = [
            "_type": "image-file", "path": .string(relative), "sha256": .string(sha256), "size": .int(png.count),
            "width": .int(width), "height": .int(height), "format": "png",
        ]
        if let caption, case .dictionary(var entries) = value {
            entries["caption"] = .string(caption)
            value = .dictionary(entries)
        }
        result = (relative, value.description)
    }
}

extension _WandbRunDirectory {
    /// The path an image key makes under `files/media/images/` (a `/` makes a subdirectory, as in the SDK), with
    /// the local backend's rules for names: `a//b` is `a/b`.
    ///
    /// - Throws: ``VisBackendError/pathEscapesSaveDir(argument:path:)`` for an absolute key or one with `..`;
    ///   ``VisBackendError/invalidArgument(argument:expected:actual:)`` for one ending in `/` or with a NUL byte.
    static func mediaPath(ofKey key: String) throws(VisBackendError) -> String {
        do {
            return try SaveDirPath.validated(key, argument: "key")
        } catch let error as VisBackendError {
            throw error
        } catch {
            throw .invalidArgument(argument: "key", expected: "a relative path", actual: key.debugDescription)
        }
    }
}
