import Foundation
import VisCore

/// A backend that stores logged images as PNG files and gets their bytes from ``_SharedPNGEncodings``.
protocol _SharedPNGConsumer {
    /// The compression its PNG files use; backends that agree on it share one encoding of each image.
    var _sharedPNGCompression: PNGCompression { get }
}

/// Encodes each logged image once for all the backends that store it as PNG.
///
/// ``MultiplexVisBackend`` announces an image with ``share(_:among:)`` before it hands the image to each
/// backend; each backend then asks ``png(for:compression:)`` on its own writer thread, so the caller's
/// thread never encodes. The first to ask encodes; the others wait for those bytes and reuse them. An entry
/// is dropped once every announced consumer has taken it; entries some consumer never takes (a backend that
/// failed before encoding) are dropped oldest first beyond a few images. An image nobody announced is just
/// encoded.
///
/// Entries are keyed by the image's pixel storage. The entry keeps the image, so that storage cannot be freed
/// and reused for other pixels while the key is in use, and a copy-on-write image changed after logging has
/// new storage and so a new key.
final class _SharedPNGEncodings: Sendable {
    /// The process-wide instance the backends use.
    static let shared = _SharedPNGEncodings(maximumEntries: 8)

    private struct Key: Hashable {
        let storage: UInt
        let width: Int
        let height: Int
        let layout: PixelLayout
        let compression: PNGCompression

        init?(_ image: Image, _ compression: PNGCompression) {
            guard let base = image.pixels.withUnsafeBufferPointer({ $0.baseAddress }) else { return nil }
            storage = UInt(bitPattern: base)
            width = image.width
            height = image.height
            layout = image.layout
            self.compression = compression
        }
    }

    private final class Entry: @unchecked Sendable {
        let image: Image
        /// Guarded by the cache's lock.
        var remainingUses: Int
        /// Held while the first consumer encodes, so the others wait for its bytes.
        let encodingLock = NSLock()
        /// Guarded by `encodingLock`.
        var result: Result<[UInt8], any Error>?

        init(image: Image, uses: Int) {
            self.image = image
            self.remainingUses = uses
        }
    }

    private let maximumEntries: Int
    private struct State {
        var entries: [Key: Entry] = [:]
        var order: [Key] = []
    }
    private let state = LockedValue(State())

    init(maximumEntries: Int) {
        self.maximumEntries = maximumEntries
    }

    /// The number of images currently shared (for tests).
    var count: Int { state.withLock { $0.entries.count } }

    /// Announces that each of `backends` that stores PNG files will ask for `image`'s bytes once.
    func share(_ image: Image, among backends: [any VisBackend]) {
        var uses: [PNGCompression: Int] = [:]
        for case let consumer as any _SharedPNGConsumer in backends {
            uses[consumer._sharedPNGCompression, default: 0] += 1
        }
        for (compression, count) in uses where count > 1 {
            share(image, compression: compression, uses: count)
        }
    }

    /// Announces `uses` requests for `image`'s PNG with `compression`.
    func share(_ image: Image, compression: PNGCompression, uses: Int) {
        guard uses > 0, let key = Key(image, compression) else { return }
        state.withLock { state in
            if let entry = state.entries[key] {
                entry.remainingUses += uses
                return
            }
            state.entries[key] = Entry(image: image, uses: uses)
            state.order.append(key)
            while state.order.count > maximumEntries {
                state.entries[state.order.removeFirst()] = nil
            }
        }
    }

    /// `image`'s PNG: the shared bytes when it was announced, otherwise a fresh encoding.
    ///
    /// - Throws: the encoder's error (every consumer of a shared image sees the same one).
    func png(for image: Image, compression: PNGCompression) throws -> [UInt8] {
        guard let key = Key(image, compression), let entry = take(key) else {
            return try image.pngData(compression: compression)
        }
        entry.encodingLock.lock()
        defer { entry.encodingLock.unlock() }
        if let result = entry.result { return try result.get() }
        let result = Result { try entry.image.pngData(compression: compression) }
        entry.result = result
        return try result.get()
    }

    private func take(_ key: Key) -> Entry? {
        state.withLock { state in
            guard let entry = state.entries[key] else { return nil }
            entry.remainingUses -= 1
            if entry.remainingUses <= 0 {
                state.entries[key] = nil
                state.order.removeAll { $0 == key }
            }
            return entry
        }
    }
}
