/// TFRecord framing, the container of TensorBoard event files (all little-endian):
/// `u64 length, u32 masked_crc32c(length bytes), data[length], u32 masked_crc32c(data)`.
/// There is no file header or footer; every record costs 16 bytes of framing.
public enum TFRecord {
    /// Bytes before the data: the length and its CRC.
    public static let headerSize = 12
    /// Bytes after the data: its CRC.
    public static let footerSize = 4

    /// Appends one framed record holding the serialization of `message`, encoded straight into `writer`.
    public static func append(_ message: some _ProtobufEncodable, to writer: inout ProtobufWriter) {
        let length = message._encodedSize
        let start = writer.bytes.count
        writer.appendFixed64(UInt64(length))
        let lengthCRC = writer.bytes.withUnsafeBytes {
            CRC32C.maskedChecksum(UnsafeRawBufferPointer(rebasing: $0[start..<(start + 8)]))
        }
        writer.appendFixed32(lengthCRC)
        let dataStart = writer.bytes.count
        message._encode(into: &writer)
        let dataCRC = writer.bytes.withUnsafeBytes {
            CRC32C.maskedChecksum(UnsafeRawBufferPointer(rebasing: $0[dataStart..<(dataStart + length)]))
        }
        writer.appendFixed32(dataCRC)
    }

    /// One record found by ``Reader``: where it starts and where its data is in the reader's storage.
    public struct Record: Sendable, Equatable {
        /// The offset of the record's first (length) byte.
        public let offset: Int
        /// The range of the record's data.
        public let data: Range<Int>
    }

    /// Iterates the records of a TFRecord file held in memory, verifying both CRCs of each.
    ///
    /// A partial record at the end (a writer killed mid-write, or a file still being written) ends the
    /// iteration cleanly and is reported by ``truncatedTailOffset``; a CRC mismatch throws
    /// ``TensorboardError/corruptRecord(path:offset:reason:)`` with the record's offset.
    public struct Reader: Sendable {
        /// The file's bytes.
        public let storage: [UInt8]
        /// The file name used in errors.
        public let path: String
        /// The offset of the next record.
        public private(set) var offset: Int = 0
        /// The offset of an incomplete record at the end, once iteration has reached it.
        public private(set) var truncatedTailOffset: Int?

        /// A reader over `bytes`; `path` names them in errors.
        public init(bytes: [UInt8], path: String) {
            storage = bytes
            self.path = path
        }

        /// The next record, or `nil` at the end of the data or at a truncated last record.
        public mutating func next() throws(TensorboardError) -> Record? {
            let remaining = storage.count - offset
            guard remaining > 0 else { return nil }
            guard remaining >= TFRecord.headerSize else {
                truncatedTailOffset = offset
                return nil
            }
            let start = offset
            let (length, lengthCRC, lengthBytesCRC) = storage.withUnsafeBytes { buffer in
                (
                    buffer.loadUnaligned(fromByteOffset: start, as: UInt64.self).littleEndian,
                    buffer.loadUnaligned(fromByteOffset: start + 8, as: UInt32.self).littleEndian,
                    CRC32C.maskedChecksum(UnsafeRawBufferPointer(rebasing: buffer[start..<(start + 8)]))
                )
            }
            guard lengthCRC == lengthBytesCRC else {
                throw .corruptRecord(
                    path: path, offset: start,
                    reason:
                        "length CRC mismatch (stored \(hex(lengthCRC)), computed \(hex(lengthBytesCRC)))"
                )
            }
            // The length is intact (its CRC matched) but the data is not all there: a torn last write.
            guard remaining >= TFRecord.headerSize + TFRecord.footerSize,
                length <= UInt64(remaining - TFRecord.headerSize - TFRecord.footerSize)
            else {
                truncatedTailOffset = start
                return nil
            }
            let data = (start + TFRecord.headerSize)..<(start + TFRecord.headerSize + Int(length))
            let (dataCRC, dataBytesCRC) = storage.withUnsafeBytes { buffer in
                (
                    buffer.loadUnaligned(fromByteOffset: data.upperBound, as: UInt32.self).littleEndian,
                    CRC32C.maskedChecksum(UnsafeRawBufferPointer(rebasing: buffer[data]))
                )
            }
            guard dataCRC == dataBytesCRC else {
                throw .corruptRecord(
                    path: path, offset: start,
                    reason:
                        "data CRC mismatch over \(length) bytes (stored \(hex(dataCRC)), computed \(hex(dataBytesCRC)))"
                )
            }
            offset = data.upperBound + TFRecord.footerSize
            return Record(offset: start, data: data)
        }

        private func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16) }
    }
}
