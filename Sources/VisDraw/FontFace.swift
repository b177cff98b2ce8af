import CFreeType
import Foundation
import VisCore

/// The process's FreeType library.
///
/// FreeType allows one `FT_Library` to serve many threads provided that `FT_New_Face` and `FT_Done_Face` are
/// serialised (they touch the library's module list) and that each face is used by one thread at a time. The
/// first rule is `faceLifecycleLock`; the second is each ``FontFace``'s own lock.
final class _FreeTypeLibrary: @unchecked Sendable {
    // @unchecked: `handle` is only used under `faceLifecycleLock` (creating/destroying faces); all other
    // FreeType calls go through a face and its lock.
    let handle: FT_Library
    let faceLifecycleLock = NSLock()

    private init(handle: FT_Library) {
        self.handle = handle
    }

    /// The library, or the reason FreeType could not start.
    static let shared: Result<_FreeTypeLibrary, VisDrawError> = {
        var library: FT_Library?
        let error = FT_Init_FreeType(&library)
        guard error == 0, let library else {
            return .failure(
                .freeTypeFailure(operation: "FT_Init_FreeType", reason: _freeTypeErrorMessage(error)))
        }
        return .success(_FreeTypeLibrary(handle: library))
    }()
}

/// One face of a font file, opened with FreeType: its names, vertical metrics and glyphs.
///
/// Faces are shared: ``FontFace/load(path:faceIndex:)`` returns the same object for the same file and index, and
/// keeps it open for the life of the process (there are as many as font files used, not as many as calls).
/// Glyph rendering happens at most once per glyph and size thanks to the glyph cache.
public final class FontFace: @unchecked Sendable, CustomStringConvertible {
    // @unchecked: FreeType faces are not thread-safe. `face` (and `currentSizeKey`, the size it is set to) is only
    // touched while holding `lock`; the other stored properties are immutable after init.
    private let face: FT_Face
    private let lock = NSLock()
    private var currentSizeKey: Int = -1

    /// The font file.
    public let path: String
    /// The face's index in its file (0 unless the file is a collection).
    public let faceIndex: Int
    /// The family name the font declares, e.g. `"DejaVu Sans"`.
    public let familyName: String
    /// The style name the font declares, e.g. `"Book"` or `"Bold"`.
    public let styleName: String
    /// Font units per em.
    public let unitsPerEm: Int
    /// Whether the font has a kerning table FreeType reads (`kern`).
    public let hasKerning: Bool
    /// Ascent (above the baseline, positive) for line spacing, in font units: the OS/2 table's `sTypoAscender`,
    /// else `hhea`'s ascender — the values matplotlib uses.
    public let lineAscentUnits: Int
    /// Descent (below the baseline, positive) for line spacing, in font units.
    public let lineDescentUnits: Int
    /// The gap the font asks for between lines, in font units.
    public let lineGapUnits: Int
    /// A stable small number identifying the face in glyph-cache keys.
    let identifier: Int

    private static let registry = LockedValue<[_FontFileReference: FontFace]>([:])

    /// The face `faceIndex` of the font file at `path`, opened once per process and shared.
    ///
    /// - Throws: ``VisDrawError/fontFileNotFound(path:)`` when there is no such file,
    ///   ``VisDrawError/faceIndexOutOfRange(path:faceIndex:faceCount:)`` for an index past the collection's faces,
    ///   ``VisDrawError/invalidFontFile(path:faceIndex:reason:)`` when FreeType cannot read it (not a font,
    ///   truncated, corrupt, or a bitmap-only font), ``VisDrawError/invalidArgument(argument:expected:actual:)`` for a
    ///   negative index.
    public static func load(path: String, faceIndex: Int = 0) throws -> FontFace {
        let key = _FontFileReference(path: path, faceIndex: faceIndex)
        return try registry.withLock { registry in
            if let face = registry[key] { return face }
            let face = try FontFace(opening: path, faceIndex: faceIndex, identifier: registry.count + 1)
            registry[key] = face
            return face
        }
    }

    private init(opening path: String, faceIndex: Int, identifier: Int) throws {
        guard faceIndex >= 0, faceIndex <= Int(Int32.max) else {
            throw VisDrawError.invalidArgument(
                argument: "faceIndex", expected: "a face index of at least 0", actual: "\(faceIndex)")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw VisDrawError.fontFileNotFound(path: path)
        }
        guard !isDirectory.boolValue else {
            throw VisDrawError.invalidFontFile(
                path: path, faceIndex: faceIndex, reason: "a directory, not a font file")
        }
        let library = try _FreeTypeLibrary.shared.get()
        var opened: FT_Face?
        library.faceLifecycleLock.lock()
        let error = FT_New_Face(library.handle, path, FT_Long(faceIndex), &opened)
        var faceCount = 0
        if error != 0, faceIndex > 0 {
            // Index -1 opens only enough of the file to count its faces.
            var probe: FT_Face?
            if FT_New_Face(library.handle, path, -1, &probe) == 0, let probe {
                faceCount = Int(probe.pointee.num_faces)
                FT_Done_Face(probe)
            }
        }
        library.faceLifecycleLock.unlock()
        guard error == 0, let opened else {
            if faceCount > 0, faceIndex >= faceCount {
                throw VisDrawError.faceIndexOutOfRange(path: path, faceIndex: faceIndex, faceCount: faceCount)
            }
            throw VisDrawError.invalidFontFile(
                path: path, faceIndex: faceIndex, reason: _freeTypeErrorMessage(error))
        }
        let flags = opened.pointee.face_flags
        guard flags & FT_Long(FT_FACE_FLAG_SCALABLE) != 0, opened.pointee.units_per_EM > 0 else {
            library.faceLifecycleLock.lock()
            FT_Done_Face(opened)
            library.faceLifecycleLock.unlock()
            throw VisDrawError.invalidFontFile(
                path: path, faceIndex: faceIndex,
                reason: "a bitmap-only font; a scalable (outline) font is needed")
        }
        face = opened
        self.path = path
        self.faceIndex = faceIndex
        self.identifier = identifier
        familyName = opened.pointee.family_name.map { String(cString: $0) } ?? ""
        styleName = opened.pointee.style_name.map { String(cString: $0) } ?? ""
        unitsPerEm = Int(opened.pointee.units_per_EM)
        hasKerning = flags & FT_Long(FT_FACE_FLAG_KERNING) != 0
        let metrics = FontFace.lineMetrics(of: opened)
        lineAscentUnits = metrics.ascent
        lineDescentUnits = metrics.descent
        lineGapUnits = metrics.gap
    }

    deinit {
        if case .success(let library) = _FreeTypeLibrary.shared {
            library.faceLifecycleLock.lock()
            FT_Done_Face(face)
            library.faceLifecycleLock.unlock()
        }
    }

    /// matplotlib's choice of vertical metrics: OS/2 typographic values when the table exists, else `hhea`.
    private static func lineMetrics(of face: FT_Face) -> (ascent: Int, descent: Int, gap: Int) {
        if let raw = FT_Get_Sfnt_Table(face, FT_SFNT_OS2) {
            let os2 = raw.assumingMemoryBound(to: TT_OS2.self).pointee
            if os2.version != 0xFFFF {
                return (Int(os2.sTypoAscender), -Int(os2.sTypoDescender), Int(os2.sTypoLineGap))
            }
        }
        if let raw = FT_Get_Sfnt_Table(face, FT_SFNT_HHEA) {
            let hhea = raw.assumingMemoryBound(to: TT_HoriHeader.self).pointee
            return (Int(hhea.Ascender), -Int(hhea.Descender), Int(hhea.Line_Gap))
        }
        return (Int(face.pointee.ascender), -Int(face.pointee.descender), 0)
    }

    public var description: String { "\(familyName) \(styleName) (\(path) face \(faceIndex))" }

    /// The glyph index for `scalar` in this face's Unicode character map, or nil when the face lacks it.
    func glyphIndex(for scalar: Unicode.Scalar) -> UInt32? {
        lock.lock()
        defer { lock.unlock() }
        let index = FT_Get_Char_Index(face, FT_ULong(scalar.value))
        return index == 0 ? nil : UInt32(index)
    }

    /// Whether the face has a glyph for `scalar`.
    public func hasGlyph(for scalar: Unicode.Scalar) -> Bool {
        glyphIndex(for: scalar) != nil
    }

    /// The kerning between two glyphs of this face, in font units (negative brings them closer).
    func kerningUnits(left: UInt32, right: UInt32) -> Int {
        guard hasKerning else { return 0 }
        lock.lock()
        defer { lock.unlock() }
        var delta = FT_Vector()
        guard FT_Get_Kerning(face, left, right, FT_KERNING_UNSCALED.rawValue, &delta) == 0 else {
            return 0
        }
        return Int(delta.x)
    }

    /// The largest glyph bitmap rendered (pixels on a side): a guard against fonts whose outlines claim huge
    /// extents.
    static let maximumGlyphSide = 4096

    /// Renders glyph `glyphIndex` at `sizeKey` (the size in 1/64 points at 100 dpi) with FreeType's default
    /// hinting and anti-aliased (`FT_RENDER_MODE_NORMAL`) rasterisation, the hinted outline shifted right by
    /// `shiftX` and down by `shiftY` 1/64 pixels (0..<64) for sub-pixel positioning, as matplotlib's Agg backend
    /// does with `FT_Set_Transform`.
    ///
    /// - Throws: ``VisDrawError/invalidFontFile(path:faceIndex:reason:)`` when the glyph's data is unreadable (a
    ///   truncated or corrupt font).
    func renderGlyph(_ glyphIndex: UInt32, sizeKey: Int, shiftX: Int = 0, shiftY: Int = 0) throws
        -> _RenderedGlyph
    {
        lock.lock()
        defer { lock.unlock() }
        if currentSizeKey != sizeKey {
            let error = FT_Set_Char_Size(face, 0, FT_F26Dot6(sizeKey), 100, 100)
            guard error == 0 else {
                currentSizeKey = -1
                throw VisDrawError.invalidFontFile(
                    path: path, faceIndex: faceIndex,
                    reason: "cannot scale to \(Double(sizeKey) / 64) pt: \(_freeTypeErrorMessage(error))")
            }
            currentSizeKey = sizeKey
        }
        var error = FT_Load_Glyph(face, glyphIndex, Int32(FT_LOAD_DEFAULT) | Int32(FT_LOAD_NO_BITMAP))
        guard error == 0, let slot = face.pointee.glyph else {
            throw VisDrawError.invalidFontFile(
                path: path, faceIndex: faceIndex,
                reason: "glyph \(glyphIndex): \(_freeTypeErrorMessage(error))")
        }
        let advance = Int(slot.pointee.advance.x)
        var box = FT_BBox()
        FT_Outline_Get_CBox(&slot.pointee.outline, &box)
        let side = FontFace.maximumGlyphSide * 64
        guard slot.pointee.outline.n_points > 0, box.xMax - box.xMin < side, box.yMax - box.yMin < side
        else {
            // Blank glyphs (spaces) and absurd outlines: advance only.
            return _RenderedGlyph(left: 0, top: 0, width: 0, height: 0, advance: advance, coverage: [])
        }
        if shiftX != 0 || shiftY != 0 {
            // FreeType's y axis points up.
            FT_Outline_Translate(&slot.pointee.outline, FT_Pos(shiftX), FT_Pos(-shiftY))
        }
        error = FT_Render_Glyph(slot, FT_RENDER_MODE_NORMAL)
        guard error == 0 else {
            throw VisDrawError.invalidFontFile(
                path: path, faceIndex: faceIndex,
                reason: "glyph \(glyphIndex): \(_freeTypeErrorMessage(error))")
        }
        let bitmap = slot.pointee.bitmap
        let width = Int(bitmap.width)
        let height = Int(bitmap.rows)
        var coverage = [UInt8](repeating: 0, count: width * height)
        if width > 0, height > 0, let buffer = bitmap.buffer {
            let pitch = Int(bitmap.pitch)
            // A negative pitch means the rows are stored bottom-up with `buffer` at the top row.
            coverage.withUnsafeMutableBufferPointer { destination in
                for row in 0..<height {
                    let source = buffer + row * pitch
                    switch Int(bitmap.pixel_mode) {
                    case Int(FT_PIXEL_MODE_GRAY.rawValue):
                        for column in 0..<width { destination[row * width + column] = source[column] }
                    case Int(FT_PIXEL_MODE_MONO.rawValue):
                        for column in 0..<width {
                            let bit = (source[column >> 3] >> (7 - UInt8(column & 7))) & 1
                            destination[row * width + column] = bit == 0 ? 0 : 255
                        }
                    default:
                        break  // other modes are not produced by FT_RENDER_MODE_NORMAL on outlines
                    }
                }
            }
        }
        return _RenderedGlyph(
            left: Int(slot.pointee.bitmap_left), top: Int(slot.pointee.bitmap_top), width: width,
            height: height,
            advance: advance, coverage: coverage)
    }
}
