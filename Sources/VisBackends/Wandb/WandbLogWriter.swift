import CZlib

/// Frames serialized records into the bytes of a W&B transaction log (`run-<id>.wandb`).
///
/// The format is LevelDB's log format with W&B's file header, as the wandb SDK (0.31) writes and reads it:
/// - the file starts with the 7 bytes `:W&B`, `e1 be` (magic 0xBEE1, little-endian), `00` (store version 0);
/// - the file is cut into 32 KiB blocks counted from offset 0, so the header uses the first 7 bytes of block 0;
/// - each record is stored as one FULL chunk, or as FIRST, MIDDLE…, LAST chunks when it does not fit in the
///   rest of the block. A chunk is `u32 crc | u16 length | u8 type` (little-endian) and the payload, where crc
///   is the IEEE CRC-32 (zlib's) of the type byte followed by the payload;
/// - when fewer than 7 bytes are left in a block they are zero-filled and the next chunk starts a new block.
///
/// The writer only tracks the file offset; it appends to a byte buffer that the caller writes to the file in
/// order. Framing a record never depends on later records, so a log cut after any whole record is valid.
public struct WandbLogWriter: Sendable {
    /// The size of a block; chunks never cross a block boundary.
    public static let blockSize = 32_768
    /// The size of a chunk header (`crc`, `length`, `type`).
    public static let chunkHeaderSize = 7
    /// The file header: `:W&B`, magic 0xBEE1 (little-endian), store version 0.
    public static let fileHeader: [UInt8] = [0x3A, 0x57, 0x26, 0x42, 0xE1, 0xBE, 0x00]

    /// The kinds of chunks.
    public enum ChunkType: UInt8, Sendable {
        /// A whole record.
        case full = 1
        /// The first piece of a record that spans blocks.
        case first = 2
        /// A piece that is neither first nor last.
        case middle = 3
        /// The last piece.
        case last = 4
    }

    /// The file offset at which the next chunk (or padding) will be written.
    public private(set) var offset: Int

    /// A writer for a new file: ``fileHeader`` has to be written first; records follow at offset 7.
    public init() {
        offset = Self.fileHeader.count
    }

    /// A writer that continues a log whose next byte is at `offset` (at least 7).
    public init(continuingAt offset: Int) {
        self.offset = max(offset, Self.fileHeader.count)
    }

    /// Appends `record` (one serialized `wandb_internal.Record`) as chunks, with any block padding before them.
    public mutating func append(record: [UInt8], to output: inout [UInt8]) {
        append(record: record, range: record.startIndex..<record.endIndex, to: &output)
    }

    /// Appends the bytes `range` of `storage` as one record.
    public mutating func append(record storage: [UInt8], range: Range<Int>, to output: inout [UInt8]) {
        // Reserve for the worst case: padding plus one header per block touched.
        let blocksTouched = range.count / (Self.blockSize - Self.chunkHeaderSize) + 2
        output.reserveCapacity(output.count + range.count + blocksTouched * (Self.chunkHeaderSize * 2))
        var start = range.lowerBound
        var isFirst = true
        storage.withUnsafeBufferPointer { buffer in
            while true {
                let left = Self.blockSize - offset % Self.blockSize
                if left < Self.chunkHeaderSize {
                    output.append(contentsOf: repeatElement(0, count: left))
                    offset += left
                    continue
                }
                let length = min(left - Self.chunkHeaderSize, range.upperBound - start)
                let isLast = start + length == range.upperBound
                let type: ChunkType = isFirst ? (isLast ? .full : .first) : (isLast ? .last : .middle)
                let payload = UnsafeBufferPointer(rebasing: buffer[start..<(start + length)])
                let crc = Self.checksum(type: type, payload: payload)
                output.append(UInt8(truncatingIfNeeded: crc))
                output.append(UInt8(truncatingIfNeeded: crc >> 8))
                output.append(UInt8(truncatingIfNeeded: crc >> 16))
                output.append(UInt8(truncatingIfNeeded: crc >> 24))
                output.append(UInt8(truncatingIfNeeded: length))
                output.append(UInt8(truncatingIfNeeded: length >> 8))
                output.append(type.rawValue)
                output.append(contentsOf: payload)
                offset += Self.chunkHeaderSize + length
                start += length
                isFirst = false
                if isLast { return }
            }
        }
    }

    /// The chunk checksum: IEEE CRC-32 of the type byte followed by the payload (not masked, not CRC-32C).
    public static func checksum(type: ChunkType, payload: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var typeByte = type.rawValue
        var crc = crc32(0, &typeByte, 1)
        if let base = payload.baseAddress, !payload.isEmpty {
            crc = crc32(crc, base, uInt(payload.count))
        }
        return UInt32(truncatingIfNeeded: crc)
    }
}
