import Foundation
import Testing
import VisCore
import VisTestSupport

@testable import VisBackends

@Suite("TensorBoard writer")
struct TensorboardWriterTests {
    static func fileBytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test("a whole file is byte-identical to tensorboardX's (file_version, scalar, text)")
    func byteExactFile() throws {
        let directory = try TestSupport.makeTemporaryDirectory("tb-writer")
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = try TensorboardWriter(logDirectory: directory.path, clock: { 1_700_000_000 })
        try writer.addScalar("loss", 0.5, step: 1)
        try writer.addText("note", "hello **md**", step: 2)
        writer.close()
        let expected =
            TensorboardEncodingTests.fileVersionRecord + TensorboardEncodingTests.scalarRecord
            + TensorboardEncodingTests.textRecord
        #expect(try Self.fileBytes(writer.filePath) == expected)
    }

    @Test("file name: events.out.tfevents.<10-digit secs>.<host>.<pid>.<counter>; a new file per writer")
    func naming() throws {
        let directory = try TestSupport.makeTemporaryDirectory("tb-writer")
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = directory.appendingPathComponent("a/b").path
        let first = try TensorboardWriter(logDirectory: run, clock: { 1_700_000_000.75 })
        let second = try TensorboardWriter(logDirectory: run, filenameSuffix: ".v2", clock: { 1_700_000_000.75 })
        first.close()
        second.close()
        let names = try FileManager.default.contentsOfDirectory(atPath: run).sorted()
        #expect(names.count == 2)
        for path in [first.filePath, second.filePath] {
            let name = (path as NSString).lastPathComponent
            #expect(name.hasPrefix("events.out.tfevents.1700000000.\(_EventFileName.hostName).\(getpid())."))
            #expect(try Self.fileBytes(path).count == 40)
        }
        #expect(second.filePath.hasSuffix(".v2"))
        #expect(first.filePath != second.filePath)
        #expect(throws: TensorboardError.self) { try TensorboardWriter(logDirectory: run, filenameSuffix: "/x") }
    }

    @Test("periodic flush: records reach the file without flush() or close()")
    func periodicFlush() throws {
        let directory = try TestSupport.makeTemporaryDirectory("tb-writer")
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = try TensorboardWriter(logDirectory: directory.path, flushInterval: 0.05)
        defer { writer.close() }
        try writer.addScalar("loss", 0.25, step: 7)
        let deadline = Date().addingTimeInterval(10)
        var scalars: [TensorboardEventFile.Scalar] = []
        while Date() < deadline {
            scalars = try TensorboardEventFile(contentsOf: writer.filePath).scalars
            if !scalars.isEmpty { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect(scalars.map(\.value) == [0.25])
        #expect(scalars.map(\.step) == [7])
    }

    @Test("flush() puts every record in the file; a long interval keeps them buffered until then")
    func explicitFlush() throws {
        let directory = try TestSupport.makeTemporaryDirectory("tb-writer")
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = try TensorboardWriter(logDirectory: directory.path, flushInterval: 3600)
        defer { writer.close() }
        for step in 0..<1000 { try writer.addScalar("x", Double(step), step: step) }
        writer.flush()
        let file = try TensorboardEventFile(contentsOf: writer.filePath)
        #expect(file.scalars.map(\.step) == Array(0..<1000).map(Int64.init))
        #expect(file.scalars.map(\.value) == (0..<1000).map(Double.init))
        #expect(file.fileVersion == "brain.Event:2")
    }

    @Test("concurrent writers: nothing lost, each thread's records in its order")
    func concurrency() async throws {
        let directory = try TestSupport.makeTemporaryDirectory("tb-writer")
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = try TensorboardWriter(logDirectory: directory.path, flushInterval: 0.01)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for thread in 0..<4 {
                group.addTask {
                    for step in 0..<20_000 { try writer.addScalar("t\(thread)", Double(step), step: step) }
                }
            }
            try await group.waitForAll()
        }
        writer.close()
        let scalars = try TensorboardEventFile(contentsOf: writer.filePath).scalars
        #expect(scalars.count == 80_000)
        for thread in 0..<4 {
            #expect(scalars.filter { $0.tag == "t\(thread)" }.map(\.step) == Array(0..<20_000).map(Int64.init))
        }
    }

    @Test("images are PNG Summary.Image records with size and colorspace; decoded pixels equal ours")
    func images() throws {
        let directory = try TestSupport.makeTemporaryDirectory("tb-writer")
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = try TensorboardWriter(logDirectory: directory.path)
        let rgb = try Image(width: 8, height: 9, layout: .rgb, pixels: (0..<(8 * 9 * 3)).map { UInt8($0 % 256) })
        let gray = try Image(width: 3, height: 2, layout: .gray, pixels: [0, 50, 100, 150, 200, 250])
        let rgba = try Image(width: 2, height: 2, layout: .rgba, pixels: Array(0..<16).map { UInt8($0 * 16) })
        try writer.addScalar("before", 1, step: 0)
        try writer.addImage("demo", rgb, step: 3)
        try writer.addImage("gray", gray, step: 4)
        try writer.addEncodedImage("rgba", png: try rgba.pngData(), width: 2, height: 2, layout: .rgba, step: 5)
        try writer.addScalar("after", 2, step: 6)
        writer.close()
        let file = try TensorboardEventFile(contentsOf: writer.filePath)
        #expect(file.images.map(\.tag) == ["demo", "gray", "rgba"])
        #expect(file.images.map(\.step) == [3, 4, 5])
        #expect(file.images.map(\.image.width) == [8, 3, 2])
        #expect(file.images.map(\.image.height) == [9, 2, 2])
        #expect(file.images.map(\.image.colorspace) == [3, 1, 4])
        for (entry, original) in zip(file.images, [rgb, gray, rgba]) {
            #expect(try Image(data: entry.image.encoded) == original)
        }
        // Order is kept around the off-thread PNG encoding.
        let reader = TensorboardEventReader(bytes: try Self.fileBytes(writer.filePath), path: writer.filePath)
        var tags: [String] = []
        var iterator = reader
        while let (_, event) = try iterator.next() {
            if case .summary(let summary) = event.content { tags += summary.values.map(\.tag) }
        }
        #expect(tags == ["before", "demo", "gray", "rgba", "after"])
    }

    @Test("hparams: session start, then session end (success) on close")
    func hparams() throws {
        let directory = try TestSupport.makeTemporaryDirectory("tb-writer")
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = try TensorboardWriter(logDirectory: directory.path, clock: { 1_700_000_000 })
        try writer.addHParams([("lr", .number(0.01)), ("optim", .string("adam"))])
        writer.close()
        writer.close()
        let file = try TensorboardEventFile(contentsOf: writer.filePath)
        #expect(
            file.hparams == [
                .sessionStart(
                    .init(
                        hparams: [("lr", .number(0.01)), ("optim", .string("adam"))], startTimeSeconds: 1_700_000_000)),
                .sessionEnd(.init(status: .success, endTimeSeconds: 1_700_000_000)),
            ])
        let bytes = try Self.fileBytes(writer.filePath)
        // The start record's summary is tensorboardX's bytes for the same hparams.
        #expect(bytes.count > 40 + 12 + TensorboardEncodingTests.hparamsSummary.count)
        let summaryStart = 40 + 12 + 9 + 2
        #expect(
            Array(bytes[summaryStart..<(summaryStart + TensorboardEncodingTests.hparamsSummary.count)])
                == TensorboardEncodingTests.hparamsSummary)
    }

    @Test("after close, add* throws closed; flush and close do nothing")
    func closed() throws {
        let directory = try TestSupport.makeTemporaryDirectory("tb-writer")
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = try TensorboardWriter(logDirectory: directory.path)
        writer.close()
        #expect(throws: TensorboardError.closed(path: writer.filePath)) { try writer.addScalar("x", 1) }
        #expect(throws: TensorboardError.closed(path: writer.filePath)) {
            try writer.addImage("i", try Image(width: 1, height: 1))
        }
        #expect(throws: TensorboardError.closed(path: writer.filePath)) { try writer.addText("t", "x") }
        writer.flush()
        writer.close()
        #expect(try Self.fileBytes(writer.filePath).count == 40)
    }

    @Test("an unwritable log directory is an I/O error naming it")
    func unwritable() throws {
        let directory = try TestSupport.makeTemporaryDirectory("tb-writer")
        defer { try? FileManager.default.removeItem(at: directory) }
        let blocker = directory.appendingPathComponent("file")
        try Data("x".utf8).write(to: blocker)
        #expect {
            try TensorboardWriter(logDirectory: blocker.appendingPathComponent("run").path)
        } throws: { error in
            guard case TensorboardError.io(let path, _)? = error as? TensorboardError else { return false }
            return path.hasSuffix("file/run")
        }
    }
}
