import CFontconfig
import Foundation

/// A face of a font file: what fontconfig answers and what FreeType opens.
struct _FontFileReference: Sendable, Hashable {
    var path: String
    var faceIndex: Int
}

/// A font of fontconfig's fallback order for a request, with the characters it covers.
struct _FallbackCandidate: @unchecked Sendable {
    // @unchecked: `charset` is an FcCharSet that is only read (FcCharSetHasChar), and only under the locator's
    // lock; `_FallbackCharsets` owns the references and releases them.
    var file: _FontFileReference
    var charset: OpaquePointer
}

/// Owns the FcCharSet references of a fallback list and releases them when the list goes away.
final class _FallbackCharsets: @unchecked Sendable {
    // @unchecked: immutable after init; the charsets are read only through `FontLocator`, under its lock.
    let candidates: [_FallbackCandidate]

    init(_ candidates: [_FallbackCandidate]) {
        self.candidates = candidates
    }

    deinit {
        for candidate in candidates { FcCharSetDestroy(candidate.charset) }
    }
}

/// Finds font files through fontconfig: the best match for a family, weight and slant, and the ordered list of
/// fonts to fall back to for characters the primary font lacks.
///
/// fontconfig's configuration is loaded once, privately (not the process-wide default configuration, which other
/// code may reinitialise). fontconfig documents only partial thread safety, so every call goes through one lock;
/// the calls happen once per font request (results are cached by ``FontSet``), never per glyph.
final class FontLocator: @unchecked Sendable {
    // @unchecked: `config` is touched only while holding `lock`.
    private let lock = NSLock()
    private let config: OpaquePointer?

    /// The process-wide locator.
    static let shared = FontLocator()

    private init() {
        config = FcInitLoadConfigAndFonts()
    }

    /// The best installed match for a family request, or nil when fontconfig knows no font at all.
    func bestMatch(family: String, weight: FontWeight, slant: FontSlant) -> _FontFileReference? {
        lock.lock()
        defer { lock.unlock() }
        guard let config, let pattern = makePattern(family: family, weight: weight, slant: slant) else {
            return nil
        }
        defer { FcPatternDestroy(pattern) }
        var result = FcResultNoMatch
        guard let match = FcFontMatch(config, pattern, &result) else { return nil }
        defer { FcPatternDestroy(match) }
        return fileReference(of: match)
    }

    /// Scalable fonts in fontconfig's order of preference for a family request, each with its character set;
    /// fonts that add no characters to those before them are left out (`FcFontSort` with trimming).
    func fallbackCandidates(family: String, weight: FontWeight, slant: FontSlant) -> _FallbackCharsets {
        lock.lock()
        defer { lock.unlock() }
        guard let config, let pattern = makePattern(family: family, weight: weight, slant: slant) else {
            return _FallbackCharsets([])
        }
        defer { FcPatternDestroy(pattern) }
        var result = FcResultNoMatch
        guard let sorted = FcFontSort(config, pattern, 1, nil, &result) else {
            return _FallbackCharsets([])
        }
        defer { FcFontSetDestroy(sorted) }
        var candidates: [_FallbackCandidate] = []
        let count = Int(sorted.pointee.nfont)
        for index in 0..<count {
            guard let font = sorted.pointee.fonts[index], let file = fileReference(of: font) else {
                continue
            }
            var scalable: FcBool = 0
            if FcPatternGetBool(font, "scalable", 0, &scalable) == FcResultMatch, scalable == 0 {
                continue
            }
            var charset: OpaquePointer?
            guard FcPatternGetCharSet(font, "charset", 0, &charset) == FcResultMatch, let charset,
                let copy = FcCharSetCopy(charset)
            else { continue }
            candidates.append(_FallbackCandidate(file: file, charset: copy))
        }
        return _FallbackCharsets(candidates)
    }

    /// The candidates whose character sets have `scalar`, in order of preference.
    func candidates(in list: _FallbackCharsets, covering scalar: Unicode.Scalar)
        -> [_FontFileReference]
    {
        lock.lock()
        defer { lock.unlock() }
        return list.candidates.filter { FcCharSetHasChar($0.charset, scalar.value) != 0 }.map(\.file)
    }

    private func makePattern(family: String, weight: FontWeight, slant: FontSlant) -> OpaquePointer? {
        guard let config, let pattern = FcPatternCreate() else { return nil }
        _ = family.withCString { name in
            name.withMemoryRebound(to: FcChar8.self, capacity: family.utf8.count + 1) { bytes in
                FcPatternAddString(pattern, "family", bytes)
            }
        }
        FcPatternAddInteger(pattern, "weight", weight.fontconfigWeight)
        FcPatternAddInteger(pattern, "slant", slant.fontconfigSlant)
        FcConfigSubstitute(config, pattern, FcMatchPattern)
        FcDefaultSubstitute(pattern)
        return pattern
    }

    private func fileReference(of font: OpaquePointer) -> _FontFileReference? {
        var file: UnsafeMutablePointer<FcChar8>?
        guard FcPatternGetString(font, "file", 0, &file) == FcResultMatch, let file else { return nil }
        var index: Int32 = 0
        if FcPatternGetInteger(font, "index", 0, &index) != FcResultMatch { index = 0 }
        let path = String(cString: UnsafeRawPointer(file).assumingMemoryBound(to: CChar.self))
        return _FontFileReference(path: path, faceIndex: Int(index))
    }
}
