import Testing

@testable import VisBackends

/// The `.wandb` block framing and record encoding against LevelDB's log format (test vectors from a file that
/// `wandb leet inspect` read) and the LevelDB rules for records that span blocks.
@Suite("W&B log framing")
struct WandbFramingTests {
    /// One chunk as the reader sees it: where it starts, its type and payload length.
    struct Chunk: Equatable {
        var offset: Int
        var type: UInt8
        var length: Int
    }

    /// Walks the chunk headers of framed bytes that start at file offset `start`, skipping zero padding.
    static func chunks(_ bytes: [UInt8], start: Int) -> (chunks: [Chunk], padding: [Int]) {
        var result: [Chunk] = []
        var padding: [Int] = []
        var index = 0
        while index < bytes.count {
            let offset = start + index
            let left = WandbLogWriter.blockSize - offset % WandbLogWriter.blockSize
            if left < WandbLogWriter.chunkHeaderSize {
                #expect(bytes[index..<(index + left)].allSatisfy { $0 == 0 })
                padding.append(left)
                index += left
                continue
            }
            let length = Int(bytes[index + 4]) | Int(bytes[index + 5]) << 8
            result.append(Chunk(offset: offset, type: bytes[index + 6], length: length))
            index += WandbLogWriter.chunkHeaderSize + length
        }
        return (result, padding)
    }

    static func payload(_ count: Int, seed: UInt8 = 1) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed)) }
    }

    @Test("the header record frames to known-good bytes, chunk header included")
    func headerVector() {
        let record = WandbRecord(
            number: 1, content: .header(WandbHeaderRecord(producer: "swiftlog-0.1", minimumConsumer: "0.70.0")))
        var framer = WandbLogWriter()
        var output: [UInt8] = []
        framer.append(record: record.serialized, to: &output)
        #expect(output == wandbHex(#"6f f0 ae c3 1d 00 01 08 01 aa 01 18 0a 16 0a 0c "swiftlog-0.1" 12 06 "0.70.0""#))
        #expect(framer.offset == 7 + output.count)
    }

    @Test("the exit record serialises to known-good bytes")
    func exitVector() {
        let record = WandbRecord(number: 10, content: .exit(WandbExitRecord(exitCode: 0, runtime: 3)))
        #expect(record.serialized == wandbHex("08 0a 92 01 02 10 03"))
        var framer = WandbLogWriter()
        var output: [UInt8] = []
        framer.append(record: record.serialized, to: &output)
        #expect(output == wandbHex("66 36 c9 f8 07 00 01 08 0a 92 01 02 10 03"))
    }

    @Test("the file header is :W&B, magic 0xBEE1 little-endian, version 0")
    func fileHeader() {
        #expect(WandbLogWriter.fileHeader == wandbHex(#"":W&B" e1 be 00"#))
    }

    @Test("a 70113-byte record at offset 247 splits FIRST 32514 / MIDDLE 32761 / LAST 4838 (32 KiB blocks, 7-byte chunk headers)")
    func threeBlockRecord() {
        var framer = WandbLogWriter(continuingAt: 247)
        var output: [UInt8] = []
        framer.append(record: Self.payload(70_113), to: &output)
        let (chunks, padding) = Self.chunks(output, start: 247)
        #expect(padding.isEmpty)
        #expect(
            chunks == [
                Chunk(offset: 247, type: 2, length: 32_514), Chunk(offset: 32_768, type: 3, length: 32_761),
                Chunk(offset: 65_536, type: 4, length: 4_838),
            ])
        #expect(framer.offset == 65_536 + 7 + 4_838)
    }

    @Test("a record that spans two blocks is FIRST then LAST")
    func twoBlockRecord() {
        var framer = WandbLogWriter()
        var output: [UInt8] = []
        framer.append(record: Self.payload(40_000), to: &output)
        let (chunks, _) = Self.chunks(output, start: 7)
        #expect(chunks == [Chunk(offset: 7, type: 2, length: 32_754), Chunk(offset: 32_768, type: 4, length: 7_246)])
    }

    @Test("a record ending exactly at a block edge is one FULL chunk, and the next starts the next block unpadded")
    func recordEndingAtBlockEdge() {
        var framer = WandbLogWriter()
        var output: [UInt8] = []
        framer.append(record: Self.payload(32_768 - 7 - 7), to: &output)
        #expect(framer.offset == 32_768)
        framer.append(record: Self.payload(10), to: &output)
        let (chunks, padding) = Self.chunks(output, start: 7)
        #expect(padding.isEmpty)
        #expect(chunks == [Chunk(offset: 7, type: 1, length: 32_754), Chunk(offset: 32_768, type: 1, length: 10)])
    }

    @Test("fewer than 7 bytes left in a block are zero-filled", arguments: [1, 3, 6])
    func shortTailIsPadded(left: Int) {
        var framer = WandbLogWriter()
        var output: [UInt8] = []
        framer.append(record: Self.payload(32_768 - 7 - 7 - left), to: &output)
        #expect(framer.offset == 32_768 - left)
        framer.append(record: Self.payload(5), to: &output)
        let (chunks, padding) = Self.chunks(output, start: 7)
        #expect(padding == [left])
        #expect(chunks.last == Chunk(offset: 32_768, type: 1, length: 5))
        #expect(framer.offset == 32_768 + 12)
    }

    @Test("exactly 7 bytes left hold an empty FIRST chunk (LevelDB's rule, as the Python reference writes)")
    func exactlyHeaderSizeLeft() {
        var framer = WandbLogWriter(continuingAt: 32_768 - 7)
        var output: [UInt8] = []
        framer.append(record: Self.payload(20), to: &output)
        let (chunks, padding) = Self.chunks(output, start: 32_768 - 7)
        #expect(padding.isEmpty)
        #expect(chunks == [Chunk(offset: 32_761, type: 2, length: 0), Chunk(offset: 32_768, type: 4, length: 20)])
    }

    @Test("chunk checksums are IEEE CRC-32 over the type byte and the payload")
    func checksums() {
        // zlib.crc32(b"\x01") == 0xa505df1b; zlib.crc32(b"\x01hello") == 0x8aac239d (Python).
        let empty: [UInt8] = []
        let hello = Array("hello".utf8)
        empty.withUnsafeBufferPointer { #expect(WandbLogWriter.checksum(type: .full, payload: $0) == 0xA505_DF1B) }
        hello.withUnsafeBufferPointer { #expect(WandbLogWriter.checksum(type: .full, payload: $0) == 0x8AAC_239D) }
    }

    @Test("the reader returns every record of a framed file, whatever their sizes")
    func readerRoundTrip() throws {
        let sizes = [0, 1, 5, 32_740, 32_754, 70_113, 3, 100_000, 6, 7, 8, 65_536, 12]
        var framer = WandbLogWriter()
        var file = WandbLogWriter.fileHeader
        var records: [[UInt8]] = []
        for (index, size) in sizes.enumerated() {
            let record = Self.payload(size, seed: UInt8(index))
            records.append(record)
            framer.append(record: record, to: &file)
        }
        let log = try WandbLogReader(bytes: file)
        #expect(log.ending == .complete)
        #expect(log.rawRecords == records)
    }

    @Test("a file cut anywhere keeps the whole records before the cut and reports a truncated end")
    func truncatedFile() throws {
        var framer = WandbLogWriter()
        var file = WandbLogWriter.fileHeader
        var ends: [Int] = []
        for index in 0..<6 {
            framer.append(record: Self.payload(15_000, seed: UInt8(index)), to: &file)
            ends.append(file.count)
        }
        for cut in stride(from: 7, to: file.count, by: 997) {
            let log = try WandbLogReader(bytes: Array(file[0..<cut]))
            let whole = ends.filter { $0 <= cut }.count
            #expect(log.rawRecords.count == whole)
            if ends.contains(cut) || cut == 7 {
                #expect(log.ending == .complete)
            } else {
                guard case .truncated = log.ending else {
                    Issue.record("cut at \(cut): expected a truncated ending, got \(log.ending)")
                    continue
                }
            }
        }
    }

    @Test("a damaged payload stops reading at its chunk with a checksum error")
    func corruptChunk() throws {
        var framer = WandbLogWriter()
        var file = WandbLogWriter.fileHeader
        for index in 0..<3 { framer.append(record: Self.payload(100, seed: UInt8(index)), to: &file) }
        file[7 + 107 + 20] ^= 0xFF
        let log = try WandbLogReader(bytes: file)
        #expect(log.rawRecords.count == 1)
        #expect(log.ending == .corrupt(offset: 7 + 107, reason: "checksum mismatch"))
    }

    @Test("a file without the W&B header is rejected with its name")
    func badHeader() {
        #expect(throws: WandbLogError.invalidHeader(path: "x.wandb")) {
            try WandbLogReader(bytes: Array(":W&B\u{00}\u{00}\u{00}".utf8), source: "x.wandb")
        }
        #expect(throws: WandbLogError.invalidHeader(path: "<bytes>")) { try WandbLogReader(bytes: [0x3A]) }
    }

    @Test("every record type round-trips through encoding and decoding")
    func recordRoundTrip() throws {
        var run = WandbRunRecord(runID: "abc123xy")
        run.entity = "team"
        run.project = "proj"
        run.config = [WandbItem(key: "lr", valueJSON: "0.01"), WandbItem(key: "arch", valueJSON: #"{"depth": 2}"#)]
        run.group = "g"
        run.jobType = "train"
        run.displayName = "first"
        run.notes = "n"
        run.tags = ["a", "b"]
        run.host = "host"
        run.startTime = 1_700_000_000.25
        var metric = WandbMetricRecord()
        metric.globName = "val/*"
        metric.stepMetric = "epoch"
        metric.stepSync = true
        metric.summary = [.min, .max]
        metric.goal = .maximize
        let contents: [WandbRecord.Content] = [
            .header(WandbHeaderRecord(producer: "p", minimumConsumer: "0.70.0")), .run(run),
            .history(WandbHistoryRecord(items: [WandbItem(key: "loss", valueJSON: "0.5")], step: 0)),
            .history(WandbHistoryRecord(items: [WandbItem(nestedKey: ["a", "b"], valueJSON: "1")], step: 7)),
            .summary(
                WandbItemsRecord(
                    update: [WandbItem(key: "x", valueJSON: "1")], remove: [WandbItem(key: "y", valueJSON: "")])),
            .config(WandbItemsRecord(update: [WandbItem(key: "later", valueJSON: "5")])),
            .files([WandbFileItem(path: "media/images/a.png"), WandbFileItem(path: "b", policy: .end, kind: .media)]),
            .metric(metric), .exit(WandbExitRecord(exitCode: -1, runtime: 12)),
        ]
        for (index, content) in contents.enumerated() {
            let record = WandbRecord(number: Int64(index + 1), content: content)
            #expect(try WandbRecord(serialized: record.serialized) == record)
        }
    }

    @Test("a record without a record type or with a truncated field is a decoding error")
    func decodingErrors() {
        #expect(throws: ProtobufDecodingError.self) { try WandbRecord(serialized: [0x08, 0x01]) }
        #expect(throws: ProtobufDecodingError.self) {
            try WandbRecord(serialized: [0x08, 0x01, 0x92, 0x01, 0x05, 0x10])
        }
    }
}

/// Parses hex dumps of `.wandb` bytes: whitespace-separated hex bytes and `"quoted"` ASCII text.
func wandbHex(_ text: String) -> [UInt8] {
    tensorboardHex(text)
}
