import Foundation

/// Reads the records of a W&B transaction log (`run-<id>.wandb`), the inverse of ``WandbLogWriter``.
///
/// Reading follows wandb-core's reader: it stops at the first chunk that is cut short (a run that is still
/// writing or was killed) or whose checksum does not match, and keeps every whole record before it. Which of the
/// two ended the log is in ``ending``.
///
/// ```swift
/// let log = try WandbLogReader(path: "wandb/offline-run-20261125_141811-86zsmxw4/run-86zsmxw4.wandb")
/// for record in try log.records() { print(record.number, record.content) }
/// ```
public struct WandbLogReader: Sendable {
    /// How the readable part of a log ended.
    public enum Ending: Sendable, Equatable {
        /// At a record boundary at the end of the file.
        case complete
        /// The file ends inside a chunk or a multi-chunk record, at this offset (the writer was interrupted).
        case truncated(offset: Int)
        /// A chunk at this offset is invalid (checksum mismatch, bad type or length).
        case corrupt(offset: Int, reason: String)
    }

    /// The serialized records, in file order.
    public let rawRecords: [[UInt8]]
    /// How reading ended.
    public let ending: Ending

    /// Reads the log file at `path`.
    ///
    /// - Throws: ``WandbLogError/io(path:reason:)`` when the file cannot be read,
    ///   ``WandbLogError/invalidHeader(path:)`` when it does not start with W&B's 7-byte header.
    public init(path: String) throws(WandbLogError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .io(path: path, reason: (error as NSError).localizedDescription)
        }
        try self.init(bytes: [UInt8](data), source: path)
    }

    /// Reads a log held in memory; `source` names it in errors.
    ///
    /// - Throws: ``WandbLogError/invalidHeader(path:)`` when `bytes` do not start with W&B's header.
    public init(bytes: [UInt8], source: String = "<bytes>") throws(WandbLogError) {
        let header = WandbLogWriter.fileHeader
        guard bytes.count >= header.count, Array(bytes[0..<header.count]) == header else {
            throw .invalidHeader(path: source)
        }
        (rawRecords, ending) = Self.scan(bytes)
    }

    /// The records, decoded.
    ///
    /// - Throws: ``WandbLogError/corruptRecord(index:reason:)`` for a record whose chunks were intact but whose
    ///   protobuf bytes are not a record.
    public func records() throws(WandbLogError) -> [WandbRecord] {
        var records: [WandbRecord] = []
        records.reserveCapacity(rawRecords.count)
        for (index, raw) in rawRecords.enumerated() {
            do {
                records.append(try WandbRecord(serialized: raw))
            } catch {
                throw .corruptRecord(index: index, reason: error.description)
            }
        }
        return records
    }

    private static func scan(_ bytes: [UInt8]) -> ([[UInt8]], Ending) {
        let blockSize = WandbLogWriter.blockSize
        let headerSize = WandbLogWriter.chunkHeaderSize
        var records: [[UInt8]] = []
        var fragment: [UInt8] = []
        var inFragment = false
        var offset = WandbLogWriter.fileHeader.count
        return bytes.withUnsafeBufferPointer { buffer -> ([[UInt8]], Ending) in
            while offset < buffer.count {
                let left = blockSize - offset % blockSize
                if left < headerSize {
                    offset += left
                    continue
                }
                guard offset + headerSize <= buffer.count else { return (records, .truncated(offset: offset)) }
                let crc =
                    UInt32(buffer[offset]) | UInt32(buffer[offset + 1]) << 8 | UInt32(buffer[offset + 2]) << 16
                    | UInt32(buffer[offset + 3]) << 24
                let length = Int(buffer[offset + 4]) | Int(buffer[offset + 5]) << 8
                let typeByte = buffer[offset + 6]
                if crc == 0 && length == 0 && typeByte == 0 {
                    // Zero padding (a writer that pre-allocates blocks): the rest of the block is empty.
                    offset += left
                    continue
                }
                guard length <= left - headerSize else {
                    return (records, .corrupt(offset: offset, reason: "chunk length \(length) runs past its block"))
                }
                let start = offset + headerSize
                guard start + length <= buffer.count else { return (records, .truncated(offset: offset)) }
                guard let type = WandbLogWriter.ChunkType(rawValue: typeByte) else {
                    return (records, .corrupt(offset: offset, reason: "unknown chunk type \(typeByte)"))
                }
                let payload = UnsafeBufferPointer(rebasing: buffer[start..<(start + length)])
                guard WandbLogWriter.checksum(type: type, payload: payload) == crc else {
                    return (records, .corrupt(offset: offset, reason: "checksum mismatch"))
                }
                switch type {
                case .full:
                    guard !inFragment else {
                        return (records, .corrupt(offset: offset, reason: "a FULL chunk inside a split record"))
                    }
                    records.append(Array(payload))
                case .first:
                    guard !inFragment else {
                        return (records, .corrupt(offset: offset, reason: "a FIRST chunk inside a split record"))
                    }
                    fragment = Array(payload)
                    inFragment = true
                case .middle, .last:
                    guard inFragment else {
                        return (records, .corrupt(offset: offset, reason: "a \(type) chunk without a FIRST chunk"))
                    }
                    fragment.append(contentsOf: payload)
                    if type == .last {
                        records.append(fragment)
                        fragment = []
                        inFragment = false
                    }
                }
                offset = start + length
            }
            return (records, inFragment ? .truncated(offset: offset) : .complete)
        }
    }
}

/// A W&B transaction log that cannot be read.
public enum WandbLogError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Reading the file failed.
    case io(path: String, reason: String)
    /// The file does not start with `:W&B`, magic 0xBEE1 and store version 0.
    case invalidHeader(path: String)
    /// A record's chunks were intact but its bytes are not a `wandb_internal.Record`.
    case corruptRecord(index: Int, reason: String)

    public var description: String {
        switch self {
        case .io(let path, let reason):
            return "cannot read W&B log \(path): \(reason)"
        case .invalidHeader(let path):
            return "\(path) is not a W&B transaction log: expected the 7-byte header `:W&B` e1 be 00"
        case .corruptRecord(let index, let reason):
            return "W&B log record #\(index) is not a valid record: \(reason)"
        }
    }
}

/// `localizedDescription` is the ``description``, not Foundation's generic "The operation could not be completed".
extension WandbLogError: LocalizedError {
    public var errorDescription: String? { description }
}
