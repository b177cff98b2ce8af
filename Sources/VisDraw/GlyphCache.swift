import Foundation
import VisCore

/// A rendered glyph: anti-aliasing coverage placed relative to the pen position on the baseline.
struct _RenderedGlyph: Sendable {
    /// Columns from the pen position to the bitmap's left edge (FreeType's `bitmap_left`).
    var left: Int
    /// Rows from the baseline up to the bitmap's top edge (FreeType's `bitmap_top`).
    var top: Int
    var width: Int
    var height: Int
    /// The pen advance in 1/64 pixels (hinted: whole pixels with FreeType's default hinting).
    var advance: Int
    /// `width * height` coverage samples, row-major.
    var coverage: [UInt8]
    /// Whether this is the placeholder drawn for characters no font has.
    var isTofu = false

    /// The memory the cache charges for this glyph.
    var cost: Int { coverage.count + 64 }
}

/// What identifies a rendered glyph: the face, the size (1/64 pt at 100 dpi), the glyph index and the sub-pixel
/// phase (quarter pixels: `x + 4 · y`, 0..<16).
struct _GlyphKey: Hashable, Sendable {
    var face: Int
    var sizeKey: Int
    var glyph: UInt32
    var phase: UInt8 = 0
}

/// A bounded cache of rendered glyphs shared by every font, size and thread.
///
/// Eviction is generational: entries live in a young generation until it holds half the byte budget, which
/// then becomes the old generation (the previous old one is dropped). A hit in the old generation moves the
/// glyph back to the young one, so glyphs in steady use survive and memory never exceeds the budget (plus one
/// glyph). Glyphs larger than half the budget are rendered but not kept.
public final class GlyphCache: Sendable {
    /// The two generations and the counters. Rendering on a miss happens outside the lock, under the face's own.
    private struct State {
        var young: [_GlyphKey: _RenderedGlyph] = [:]
        var old: [_GlyphKey: _RenderedGlyph] = [:]
        var youngBytes = 0
        var oldBytes = 0
        var hits = 0
        var misses = 0

        /// Inserts into the young generation, rotating generations when it is full.
        mutating func insertYoung(_ key: _GlyphKey, _ glyph: _RenderedGlyph, byteBudget: Int) {
            let half = byteBudget / 2
            guard glyph.cost <= half else { return }
            if youngBytes + glyph.cost > half {
                old = young
                oldBytes = youngBytes
                young = [:]
                youngBytes = 0
            }
            young[key] = glyph
            youngBytes += glyph.cost
        }
    }

    private let state = LockedValue(State())

    /// The most memory (bytes of coverage plus a fixed overhead per glyph) the cache keeps.
    public let byteBudget: Int

    /// The cache every ``TextRenderer`` uses unless given its own: 16 MiB.
    public static let shared = GlyphCache(byteBudget: 16 << 20)

    /// Creates an empty cache that keeps at most `byteBudget` bytes (at least 64 KiB).
    public init(byteBudget: Int) {
        self.byteBudget = max(byteBudget, 64 << 10)
    }

    /// Counters and occupancy of a ``GlyphCache``.
    public struct Statistics: Sendable, Equatable {
        /// Lookups answered from the cache.
        public var hits: Int
        /// Lookups that had to render the glyph.
        public var misses: Int
        /// Glyphs currently kept.
        public var entries: Int
        /// Bytes currently charged.
        public var bytes: Int
    }

    /// The current counters.
    public var statistics: Statistics {
        state.withLock { state in
            Statistics(
                hits: state.hits, misses: state.misses, entries: state.young.count + state.old.count,
                bytes: state.youngBytes + state.oldBytes)
        }
    }

    /// Drops every glyph (the counters are kept).
    public func removeAll() {
        state.withLock { state in
            state.young = [:]
            state.old = [:]
            state.youngBytes = 0
            state.oldBytes = 0
        }
    }

    /// The glyph for `key`, rendered with `render` on a miss.
    func glyph(_ key: _GlyphKey, render: () throws -> _RenderedGlyph) rethrows -> _RenderedGlyph {
        let byteBudget = self.byteBudget
        let cached: _RenderedGlyph? = state.withLock { state in
            if let glyph = state.young[key] {
                state.hits += 1
                return glyph
            }
            if let glyph = state.old.removeValue(forKey: key) {
                state.hits += 1
                state.oldBytes -= glyph.cost
                state.insertYoung(key, glyph, byteBudget: byteBudget)
                return glyph
            }
            state.misses += 1
            return nil
        }
        if let cached { return cached }
        // Two threads may render the same glyph at once; both results are identical, the second insert wins.
        let glyph = try render()
        state.withLock { state in
            if state.young[key] == nil { state.insertYoung(key, glyph, byteBudget: byteBudget) }
        }
        return glyph
    }
}
