import Foundation
import Testing
import VisTestSupport

@testable import VisBackends

@Suite("TensorBoard event reader")
struct TensorboardReaderTests {
    /// A file: file_version, two scalars, a text, an image, hparams start, a TF2 tensor scalar.
    static func sampleFile() -> (bytes: [UInt8], recordOffsets: [Int]) {
        let events: [TensorboardEvent] = [
            .init(wallTime: 10, content: .fileVersion(TensorboardEvent.fileVersionString)),
            .init(
                wallTime: 11, step: 1, content: .summary(.init(values: [.init(tag: "loss", kind: .simpleValue(0.5))]))),
            .init(
                wallTime: 12, step: 2,
                content: .summary(.init(values: [.init(tag: "loss", kind: .simpleValue(1.0 / 3))]))),
            .init(
                wallTime: 13, step: 0,
                content: .summary(
                    .init(values: [
                        .init(
                            tag: "config/text_summary", kind: .tensor(.text("a = 1")),
                            metadata: .init(pluginName: "text"))
                    ]))),
            .init(
                wallTime: 14, step: 3,
                content: .summary(
                    .init(values: [
                        .init(tag: "demo", kind: .image(.init(height: 2, width: 3, colorspace: 3, encoded: [1, 2, 3])))
                    ]))),
            .init(
                wallTime: 15,
                content: .summary(
                    .init(values: [
                        TensorboardHParams.sessionStart(.init(hparams: [("lr", .number(0.1))], startTimeSeconds: 15))
                            .summaryValue
                    ]))),
            .init(
                wallTime: 16, step: 4,
                content: .summary(
                    .init(values: [
                        .init(
                            tag: "tf2", kind: .tensor(.init(dataType: .float, shape: [], floatValues: [2.5])),
                            metadata: .init(pluginName: "scalars", dataClass: 1))
                    ]))),
            .init(
                wallTime: 17, step: 5,
                content: .summary(
                    .init(values: [
                        .init(tag: "tf2", kind: .tensor(.init(dataType: .float, shape: [], floatValues: [3.5])))
                    ]))),
        ]
        var writer = ProtobufWriter()
        var offsets: [Int] = []
        for event in events {
            offsets.append(writer.bytes.count)
            TFRecord.append(event, to: &writer)
        }
        return (writer.bytes, offsets)
    }

    @Test("reads scalars, text, images, hparams and TF2 tensor scalars")
    func contents() throws {
        let file = try TensorboardEventFile(bytes: Self.sampleFile().bytes, path: "sample")
        #expect(file.fileVersion == "brain.Event:2")
        #expect(file.eventCount == 8)
        #expect(file.truncatedTailOffset == nil)
        #expect(file.scalars.map(\.tag) == ["loss", "loss", "tf2", "tf2"])
        #expect(file.scalars.map(\.step) == [1, 2, 4, 5])
        #expect(file.scalars.map(\.value) == [0.5, Double(Float(1.0 / 3)), 2.5, 3.5])
        #expect(file.scalars[1].value == 0.3333333432674408)
        #expect(file.scalars.map(\.wallTime) == [11, 12, 16, 17])
        #expect(file.texts == [.init(tag: "config/text_summary", step: 0, wallTime: 13, text: "a = 1")])
        #expect(file.images.map(\.image) == [.init(height: 2, width: 3, colorspace: 3, encoded: [1, 2, 3])])
        #expect(file.hparams == [.sessionStart(.init(hparams: [("lr", .number(0.1))], startTimeSeconds: 15))])
    }

    @Test("a truncated last record ends iteration cleanly at every cut point")
    func truncation() throws {
        let (bytes, offsets) = Self.sampleFile()
        let lastStart = try #require(offsets.last)
        for cut in 1..<(bytes.count - lastStart) {
            let file = try TensorboardEventFile(bytes: Array(bytes.dropLast(cut)), path: "cut")
            #expect(file.eventCount == 7, "cut \(cut)")
            #expect(file.truncatedTailOffset == lastStart, "cut \(cut)")
        }
        #expect(try TensorboardEventFile(bytes: [], path: "empty").eventCount == 0)
    }

    @Test("a damaged byte is reported with its record's offset")
    func corruption() throws {
        let (bytes, offsets) = Self.sampleFile()
        for (index, start) in offsets.enumerated() {
            let end = index + 1 < offsets.count ? offsets[index + 1] : bytes.count
            for position in [start, start + 8, start + 12, (start + end) / 2, end - 1] {
                var damaged = bytes
                damaged[position] ^= 0x40
                #expect(throws: TensorboardError.self) { try TensorboardEventFile(bytes: damaged, path: "bad") }
                do {
                    _ = try TensorboardEventFile(bytes: damaged, path: "bad")
                } catch let TensorboardError.corruptRecord(path, offset, reason) {
                    #expect(path == "bad")
                    #expect(offset == start, "\(reason)")
                } catch {
                    Issue.record("unexpected \(error)")
                }
            }
        }
    }

    @Test("good CRCs around a payload that is not an Event: malformedEvent with the offset")
    func malformedPayload() {
        var writer = ProtobufWriter()
        TFRecord.append(TensorboardEvent(wallTime: 1, content: .fileVersion("x")), to: &writer)
        let offset = writer.bytes.count
        TFRecord.append(_RawBytes(bytes: [0x2a, 0x7f, 0x00]), to: &writer)
        #expect(
            throws: TensorboardError.malformedEvent(
                path: "m", offset: offset,
                reason:
                    "malformed protobuf at byte \(offset + 13): length 127 runs past the end of the message (1 bytes left)"
            )
        ) {
            _ = try TensorboardEventFile(bytes: writer.bytes, path: "m")
        }
    }

    @Test("random garbage never traps")
    func fuzz() {
        var generator = SeededGenerator(seed: 99)
        let (bytes, _) = Self.sampleFile()
        for _ in 0..<300 {
            var mutated = bytes
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                mutated[Int.random(in: 0..<mutated.count, using: &generator)] = UInt8.random(
                    in: 0...255, using: &generator)
            }
            mutated = Array(mutated.prefix(Int.random(in: 0...mutated.count, using: &generator)))
            _ = try? TensorboardEventFile(bytes: mutated, path: "fuzz")
        }
        // A header claiming an enormous length with a valid CRC is a truncation, not an allocation.
        var huge = ProtobufWriter()
        huge.appendFixed64(UInt64.max / 2)
        let crc = huge.bytes.withUnsafeBytes { CRC32C.maskedChecksum($0) }
        huge.appendFixed32(crc)
        huge.bytes += [1, 2, 3, 4, 5]
        #expect((try? TensorboardEventFile(bytes: huge.bytes, path: "huge"))?.truncatedTailOffset == 0)
    }

    @Test("log directory: runs are directories holding tfevents files")
    func runs() throws {
        let root = try TestSupport.makeTemporaryDirectory("tb-runs")
        defer { try? FileManager.default.removeItem(at: root) }
        let bytes = Data(Self.sampleFile().bytes)
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("b/inner"), withIntermediateDirectories: true)
        try bytes.write(to: root.appendingPathComponent("events.out.tfevents.2.h"))
        try bytes.write(to: root.appendingPathComponent("events.out.tfevents.1.h"))
        try bytes.write(to: root.appendingPathComponent("b/inner/events.out.tfevents.1.h.1.0"))
        try bytes.write(to: root.appendingPathComponent("b/notes.txt"))
        let runs = try TensorboardLogDirectory.runs(in: root.path)
        #expect(runs.map(\.name) == [".", "b/inner"])
        #expect(
            runs.first?.files.map { ($0 as NSString).lastPathComponent } == [
                "events.out.tfevents.1.h", "events.out.tfevents.2.h",
            ])
        #expect(throws: TensorboardError.self) {
            try TensorboardLogDirectory.runs(in: root.appendingPathComponent("missing").path)
        }
    }
}

/// Arbitrary bytes as a record payload.
struct _RawBytes: _ProtobufEncodable {
    let bytes: [UInt8]
    var _encodedSize: Int { bytes.count }
    func _encode(into writer: inout ProtobufWriter) { writer.bytes += bytes }
}
