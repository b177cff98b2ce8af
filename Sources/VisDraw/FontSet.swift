import Foundation
import VisCore

/// A primary font and the fonts to fall back to for characters it lacks.
///
/// The primary face is the file of a ``FontSpec/Source/file(path:faceIndex:)`` request, or fontconfig's best
/// match for a family (an unknown family gets fontconfig's substitute, normally the default sans-serif font; it is
/// never an error). For each character the primary face lacks, the fallback order is fontconfig's sorted list of
/// fonts for the same request (`FcFontSort`; for a file, the list for `sans-serif`), and the first font whose
/// character set has the character is used — this is how `"猫 cat"` in DejaVu Sans finds a CJK font. When no
/// installed font has a character, it is drawn as a hollow box (tofu) so that the gap is visible.
///
/// Font sets are cached per request: ``FontSet/resolve(_:)`` is cheap after the first call.
public final class FontSet: Sendable {
    /// The request this set was built for.
    public let spec: FontSpec
    /// The font that characters come from when it has them.
    public let primaryFace: FontFace
    private let fallbacks: _FallbackCharsets
    private let sources = LockedValue<[UInt32: _GlyphSource]>([:])

    /// Bounds the per-character memo: it is cleared when it grows past this many characters.
    private static let sourceMemoLimit = 1 << 16

    private static let registry = LockedValue<[FontSpec: FontSet]>([:])
    private static let registryLimit = 256

    /// The font set for `spec`, built on first use and then shared.
    ///
    /// - Throws: for files, the errors of ``FontFace/load(path:faceIndex:)``; ``VisDrawError/noFontAvailable(request:)``
    ///   when fontconfig has no font at all.
    public static func resolve(_ spec: FontSpec) throws -> FontSet {
        if let set = registry.withLock({ $0[spec] }) { return set }
        let set = try FontSet(spec)
        return registry.withLock { registry in
            if let existing = registry[spec] { return existing }
            if registry.count >= registryLimit { registry.removeAll() }
            registry[spec] = set
            return set
        }
    }

    /// Builds a font set (uncached; prefer ``resolve(_:)``).
    public init(_ spec: FontSpec) throws {
        self.spec = spec
        let locator = FontLocator.shared
        switch spec.source {
        case .file(let path, let faceIndex):
            primaryFace = try FontFace.load(path: path, faceIndex: faceIndex)
            fallbacks = locator.fallbackCandidates(
                family: "sans-serif", weight: .regular, slant: .upright)
        case .family(let name):
            guard let match = locator.bestMatch(family: name, weight: spec.weight, slant: spec.slant)
            else {
                throw VisDrawError.noFontAvailable(request: spec.description)
            }
            primaryFace = try FontFace.load(path: match.path, faceIndex: match.faceIndex)
            fallbacks = locator.fallbackCandidates(family: name, weight: spec.weight, slant: spec.slant)
        }
    }

    /// The face that draws `scalar`: the primary face when it has the character, else the first fallback that
    /// has it, else nil (drawn as tofu).
    public func face(for scalar: Unicode.Scalar) -> FontFace? {
        glyphSource(for: scalar)?.face
    }

    /// The face and glyph index that draw `scalar`, or nil when no installed font has it.
    func glyphSource(for scalar: Unicode.Scalar) -> _GlyphSource? {
        if let known = sources.withLock({ $0[scalar.value] }) {
            return known.face == nil ? nil : known
        }
        let found = findSource(for: scalar)
        sources.withLock { sources in
            if sources.count >= FontSet.sourceMemoLimit { sources.removeAll() }
            sources[scalar.value] = found ?? _GlyphSource(face: nil, glyph: 0)
        }
        return found
    }

    private func findSource(for scalar: Unicode.Scalar) -> _GlyphSource? {
        if let glyph = primaryFace.glyphIndex(for: scalar) {
            return _GlyphSource(face: primaryFace, glyph: glyph)
        }
        for file in FontLocator.shared.candidates(in: fallbacks, covering: scalar) {
            // A fallback font that fails to open (removed since fontconfig's scan, corrupt) is skipped.
            guard let face = try? FontFace.load(path: file.path, faceIndex: file.faceIndex),
                let glyph = face.glyphIndex(for: scalar)
            else { continue }
            return _GlyphSource(face: face, glyph: glyph)
        }
        return nil
    }
}

/// Where a character's glyph comes from. `face == nil` memoises "no font has it".
struct _GlyphSource: Sendable {
    var face: FontFace?
    var glyph: UInt32
}
