import CZlib

/// The minimal zip support `.npz` needs: reading stored (method 0) and deflated (method 8) members, including
/// ZIP64 sizes and offsets (NumPy's `savez` forces ZIP64 extra fields), and writing stored members.
///
/// Every size and offset read from the archive is checked against the archive's length before it is used, and
/// the output of a deflated member is bounded by what its compressed bytes can produce.
enum _ZipArchive {
    struct Entry: Equatable {
        var name: String
        var method: UInt16
        var crc32: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
    }

    static let localHeaderSignature: UInt32 = 0x0403_4B50
    static let centralHeaderSignature: UInt32 = 0x0201_4B50
    static let endSignature: UInt32 = 0x0605_4B50
    static let zip64LocatorSignature: UInt32 = 0x0706_4B50
    static let zip64EndSignature: UInt32 = 0x0606_4B50
    /// Deflate's best case is a little over 1032:1; anything declaring more is lying.
    static let maximumDeflateRatio = 1032

    /// The members listed in the central directory, in order.
    static func entries(in archive: UnsafeRawBufferPointer, source: String) throws -> [Entry] {
        let reader = _LittleEndianReader(bytes: archive, source: source)
        let end = try findEndRecord(reader)
        var entryCount = Int(try reader.u16(end + 10))
        var directorySize = Int(try reader.u32(end + 12))
        var directoryOffset = Int(try reader.u32(end + 16))
        if entryCount == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            // ZIP64: the real values are in the ZIP64 end record the locator (just before the end record) points at.
            guard end >= 20, try reader.u32(end - 20) == zip64LocatorSignature else {
                throw VisCoreError.corruptData(source: source, reason: "zip: ZIP64 values without a ZIP64 locator")
            }
            let record = try reader.offset(try reader.u64(end - 12), what: "ZIP64 end record offset")
            guard try reader.u32(record) == zip64EndSignature else {
                throw VisCoreError.corruptData(source: source, reason: "zip: bad ZIP64 end record signature")
            }
            entryCount = try reader.offset(try reader.u64(record + 32), what: "entry count")
            directorySize = try reader.offset(try reader.u64(record + 40), what: "central directory size")
            directoryOffset = try reader.offset(try reader.u64(record + 48), what: "central directory offset")
        }
        guard directoryOffset <= archive.count, directorySize <= archive.count - directoryOffset else {
            throw VisCoreError.corruptData(
                source: source, reason: "zip: the central directory lies outside the file (truncated?)")
        }
        // Each central header is at least 46 bytes: a hostile entry count cannot make us loop or allocate more.
        guard entryCount <= directorySize / 46 else {
            throw VisCoreError.corruptData(
                source: source, reason: "zip: \(entryCount) entries do not fit a \(directorySize)-byte directory")
        }
        var entries: [Entry] = []
        var position = directoryOffset
        for _ in 0..<entryCount {
            guard try reader.u32(position) == centralHeaderSignature else {
                throw VisCoreError.corruptData(source: source, reason: "zip: bad central directory header signature")
            }
            let flags = try reader.u16(position + 8)
            let method = try reader.u16(position + 10)
            let crc = try reader.u32(position + 16)
            var compressed = UInt64(try reader.u32(position + 20))
            var uncompressed = UInt64(try reader.u32(position + 24))
            let nameLength = Int(try reader.u16(position + 28))
            let extraLength = Int(try reader.u16(position + 30))
            let commentLength = Int(try reader.u16(position + 32))
            var localOffset = UInt64(try reader.u32(position + 42))
            let nameBytes = try reader.slice(position + 46, count: nameLength)
            let extra = try reader.slice(position + 46 + nameLength, count: extraLength)
            guard flags & 1 == 0 else {
                throw VisCoreError.unsupportedFormat(source: source, reason: "zip: encrypted members are not read")
            }
            // ZIP64 extended information: 8-byte values, present only for fields saturated at 0xFFFFFFFF.
            try forEachExtraField(extra, source: source) { id, field in
                guard id == 0x0001 else { return }
                let fieldReader = _LittleEndianReader(bytes: field, source: source)
                var cursor = 0
                if uncompressed == 0xFFFF_FFFF { uncompressed = try fieldReader.u64(cursor); cursor += 8 }
                if compressed == 0xFFFF_FFFF { compressed = try fieldReader.u64(cursor); cursor += 8 }
                if localOffset == 0xFFFF_FFFF { localOffset = try fieldReader.u64(cursor) }
            }
            entries.append(
                Entry(
                    name: String(decoding: nameBytes, as: UTF8.self), method: method, crc32: crc,
                    compressedSize: try reader.offset(compressed, what: "compressed size"),
                    uncompressedSize: try reader.size(uncompressed, what: "uncompressed size"),
                    localHeaderOffset: try reader.offset(localOffset, what: "local header offset")))
            position += 46 + nameLength + extraLength + commentLength
        }
        return entries
    }

    /// The uncompressed bytes of `entry`, CRC-checked.
    static func contents(of entry: Entry, in archive: UnsafeRawBufferPointer, source: String) throws -> [UInt8] {
        let reader = _LittleEndianReader(bytes: archive, source: source)
        let member = "\(source)[\(entry.name)]"
        guard try reader.u32(entry.localHeaderOffset) == localHeaderSignature else {
            throw VisCoreError.corruptData(source: member, reason: "zip: bad local header signature")
        }
        let nameLength = Int(try reader.u16(entry.localHeaderOffset + 26))
        let extraLength = Int(try reader.u16(entry.localHeaderOffset + 28))
        let compressed = try reader.slice(entry.localHeaderOffset + 30 + nameLength + extraLength, count: entry.compressedSize)
        let output: [UInt8]
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.uncompressedSize else {
                throw VisCoreError.corruptData(source: member, reason: "zip: stored member sizes disagree")
            }
            output = Array(compressed)
        case 8:
            output = try inflate(compressed, expectedSize: entry.uncompressedSize, source: member)
        default:
            throw VisCoreError.unsupportedFormat(
                source: member, reason: "zip compression method \(entry.method) (supported: stored, deflate)")
        }
        let actual = crc32(of: output)
        guard actual == entry.crc32 else {
            throw VisCoreError.corruptData(
                source: member,
                reason: "zip: CRC-32 mismatch (stored \(hex(entry.crc32)), computed \(hex(actual)))")
        }
        return output
    }

    /// A zip archive of stored members, readable by Python's `zipfile` and `np.load`.
    static func storedArchive(_ members: [(name: String, data: [UInt8])], source: String) throws -> [UInt8] {
        var archive: [UInt8] = []
        var directory: [UInt8] = []
        for member in members {
            let name = Array(member.name.utf8)
            let offset = archive.count
            guard member.data.count < 0xFFFF_FFFF, offset < 0xFFFF_FFFF, name.count <= 0xFFFF else {
                throw VisCoreError.tooLarge(
                    source: source, reason: "member \(member.name) needs ZIP64, which the .npz writer does not emit")
            }
            let crc = crc32(of: member.data)
            // version needed 2.0, no flags, stored, 1980-01-01 00:00 (zipfile's minimum date), CRC, sizes.
            var common: [UInt8] = []
            common._zipAppend(UInt16(20))
            common._zipAppend(UInt16(0))
            common._zipAppend(UInt16(0))
            common._zipAppend(UInt16(0))
            common._zipAppend(UInt16(0x21))
            common._zipAppend(crc)
            common._zipAppend(UInt32(member.data.count))
            common._zipAppend(UInt32(member.data.count))
            common._zipAppend(UInt16(name.count))
            common._zipAppend(UInt16(0))

            archive._zipAppend(localHeaderSignature)
            archive += common
            archive += name
            archive += member.data

            directory._zipAppend(centralHeaderSignature)
            directory._zipAppend(UInt16(20))  // made by: MS-DOS, 2.0
            directory += common
            directory._zipAppend(UInt16(0))  // comment length
            directory._zipAppend(UInt16(0))  // disk
            directory._zipAppend(UInt16(0))  // internal attributes
            directory._zipAppend(UInt32(0o600 << 16))  // external attributes: rw-------
            directory._zipAppend(UInt32(offset))
            directory += name
        }
        guard members.count < 0xFFFF, archive.count < 0xFFFF_FFFF, directory.count < 0xFFFF_FFFF else {
            throw VisCoreError.tooLarge(source: source, reason: "the archive needs ZIP64, which the .npz writer does not emit")
        }
        let directoryOffset = archive.count
        archive += directory
        archive._zipAppend(endSignature)
        archive._zipAppend(UInt16(0))
        archive._zipAppend(UInt16(0))
        archive._zipAppend(UInt16(members.count))
        archive._zipAppend(UInt16(members.count))
        archive._zipAppend(UInt32(directory.count))
        archive._zipAppend(UInt32(directoryOffset))
        archive._zipAppend(UInt16(0))
        return archive
    }

    /// The end-of-central-directory record: the last signature whose comment length reaches the end of the file.
    private static func findEndRecord(_ reader: _LittleEndianReader) throws -> Int {
        let count = reader.bytes.count
        guard count >= 22 else {
            throw VisCoreError.corruptData(source: reader.source, reason: "not a zip archive (too short)")
        }
        var position = count - 22
        let lowest = max(0, count - 22 - 0xFFFF)
        while position >= lowest {
            if try reader.u32(position) == endSignature, position + 22 + Int(try reader.u16(position + 20)) <= count {
                return position
            }
            position -= 1
        }
        throw VisCoreError.corruptData(
            source: reader.source, reason: "not a zip archive (no end-of-central-directory record)")
    }

    private static func forEachExtraField(
        _ extra: UnsafeRawBufferPointer, source: String,
        _ body: (UInt16, UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let reader = _LittleEndianReader(bytes: extra, source: source)
        var position = 0
        while position + 4 <= extra.count {
            let id = try reader.u16(position)
            let size = Int(try reader.u16(position + 2))
            try body(id, try reader.slice(position + 4, count: size))
            position += 4 + size
        }
    }

    /// Raw-deflate decompression into exactly `expectedSize` bytes.
    static func inflate(_ input: UnsafeRawBufferPointer, expectedSize: Int, source: String) throws -> [UInt8] {
        let (ratioBound, overflow) = input.count.multipliedReportingOverflow(by: maximumDeflateRatio)
        let bound = overflow ? Int.max / 2 : ratioBound + 64
        guard expectedSize <= bound else {
            throw VisCoreError.corruptData(
                source: source,
                reason: "zip: \(input.count) deflated bytes cannot expand to the declared \(expectedSize)")
        }
        var stream = z_stream()
        guard inflateInit2_(&stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw VisCoreError.corruptData(source: source, reason: "zip: cannot initialise zlib")
        }
        defer { inflateEnd(&stream) }
        var failure: VisCoreError?
        // One spare byte detects data that runs past the declared size.
        let capacity = expectedSize + 1
        var produced = 0
        var output = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            guard let outBase = buffer.baseAddress else { return }
            let inBase = input.baseAddress.map { UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: UInt8.self)) }
            var consumed = 0
            var finished = false
            while !finished {
                let chunkIn = min(input.count - consumed, Int(UInt32.max))
                stream.next_in = inBase.map { $0 + consumed }
                stream.avail_in = UInt32(chunkIn)
                let chunkOut = min(capacity - produced, Int(UInt32.max))
                stream.next_out = outBase + produced
                stream.avail_out = UInt32(chunkOut)
                let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                consumed += chunkIn - Int(stream.avail_in)
                produced += chunkOut - Int(stream.avail_out)
                switch status {
                case Z_STREAM_END:
                    finished = true
                case Z_OK:
                    if produced == capacity {
                        failure = .corruptData(source: source, reason: "zip: member larger than its declared \(expectedSize) bytes")
                        finished = true
                    }
                case Z_BUF_ERROR where consumed == input.count:
                    failure = .corruptData(source: source, reason: "zip: deflated data is truncated")
                    finished = true
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                    failure = .corruptData(source: source, reason: "zip: bad deflate data (\(message))")
                    finished = true
                }
            }
            initialized = produced
        }
        if let failure { throw failure }
        guard produced == expectedSize else {
            throw VisCoreError.corruptData(
                source: source, reason: "zip: member inflated to \(produced) bytes, declared \(expectedSize)")
        }
        output.removeLast(output.count - expectedSize)
        return output
    }

    static func crc32(of bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            var crc = CZlib.crc32(0, nil, 0)
            var offset = 0
            while offset < buffer.count {
                let chunk = min(buffer.count - offset, Int(UInt32.max))
                crc = CZlib.crc32(crc, buffer.baseAddress.map { $0 + offset }, UInt32(chunk))
                offset += chunk
            }
            return UInt32(crc)
        }
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}

/// Bounds-checked little-endian reads; an out-of-range read is a "truncated" error naming the source.
struct _LittleEndianReader {
    let bytes: UnsafeRawBufferPointer
    let source: String

    private func check(_ offset: Int, _ count: Int) throws {
        guard offset >= 0, count >= 0, offset <= bytes.count, count <= bytes.count - offset else {
            throw VisCoreError.corruptData(
                source: source, reason: "zip: truncated (\(count) bytes at offset \(offset) past the end)")
        }
    }

    func u16(_ offset: Int) throws -> UInt16 {
        try check(offset, 2)
        return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    func u32(_ offset: Int) throws -> UInt32 {
        try check(offset, 4)
        var value: UInt32 = 0
        for index in (0..<4).reversed() { value = value << 8 | UInt32(bytes[offset + index]) }
        return value
    }

    func u64(_ offset: Int) throws -> UInt64 {
        try check(offset, 8)
        var value: UInt64 = 0
        for index in (0..<8).reversed() { value = value << 8 | UInt64(bytes[offset + index]) }
        return value
    }

    func slice(_ offset: Int, count: Int) throws -> UnsafeRawBufferPointer {
        try check(offset, count)
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count])
    }

    /// A 64-bit size as an `Int`; what it may allocate is bounded later (see `_ZipArchive.inflate`).
    func size(_ value: UInt64, what: String) throws -> Int {
        guard value <= UInt64(Int.max) else {
            throw VisCoreError.corruptData(source: source, reason: "zip: \(what) \(value) is too large")
        }
        return Int(value)
    }

    /// A 64-bit size or offset as an `Int` no larger than the archive.
    func offset(_ value: UInt64, what: String) throws -> Int {
        guard value <= UInt64(bytes.count) else {
            throw VisCoreError.corruptData(
                source: source, reason: "zip: \(what) \(value) exceeds the archive's \(bytes.count) bytes")
        }
        return Int(value)
    }
}

extension Array where Element == UInt8 {
    mutating func _zipAppend<I: FixedWidthInteger>(_ value: I) {
        for shift in stride(from: 0, to: I.bitWidth, by: 8) {
            append(UInt8(truncatingIfNeeded: value >> shift))
        }
    }
}
