import Foundation
import Testing
import VisBackends
import VisTestSupport

@Suite struct BackgroundWriterTests {
    @Test func runsWorkInSubmissionOrderAndFlushWaitsForIt() throws {
        let writer = BackgroundWriter(label: "order")
        let seen = Recorder<Int>()
        for index in 0..<500 {
            try writer.submit(cost: 1) { seen.append(index) }
        }
        writer.flush()
        #expect(seen.values == Array(0..<500))
        writer.close()
    }

    @Test func appendsArriveWholeAndInOrder() throws {
        let path = try TestSupport.makeTemporaryDirectory("writer").appendingPathComponent("lines.txt").path
        let file = AppendFile(path: path)
        let writer = BackgroundWriter(label: "append")
        for index in 0..<10_000 {
            try writer.append(Array("line \(index)\n".utf8), to: file)
        }
        writer.flush()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == (0..<10_000).map { "line \($0)\n" }.joined())
        writer.close()
    }

    @Test func smallAppendsReachTheFileWithinTheFlushIntervalWithoutFlush() throws {
        let path = try TestSupport.makeTemporaryDirectory("writer").appendingPathComponent("periodic.txt").path
        let writer = BackgroundWriter(label: "periodic", flushInterval: 0.05)
        defer { writer.close() }
        try writer.append(Array("one line\n".utf8), to: AppendFile(path: path))
        var text: String?
        for _ in 0..<200 where text == nil {
            usleep(10_000)
            text = try? String(contentsOfFile: path, encoding: .utf8)
        }
        #expect(text == "one line\n")
    }

    @Test func appendsToSeveralFilesAreJoinedPerFileAndKeepTheirOrder() throws {
        let directory = try TestSupport.makeTemporaryDirectory("writer")
        let files = (0..<3).map { AppendFile(path: directory.appendingPathComponent("f\($0).txt").path) }
        let writer = BackgroundWriter(label: "files")
        let marks = Recorder<Int>()
        for index in 0..<3000 {
            try writer.append(Array("\(index)\n".utf8), to: files[index % 3])
            if index == 1500 { try writer.submit(cost: 0) { marks.append(index) } }
        }
        writer.close()
        for (offset, file) in files.enumerated() {
            let expected = stride(from: offset, to: 3000, by: 3).map { "\($0)\n" }.joined()
            #expect(try String(contentsOfFile: file.path, encoding: .utf8) == expected)
        }
        #expect(marks.values == [1500])
    }

    @Test func aFullQueueBlocksProducersUntilThereIsRoom() throws {
        let writer = BackgroundWriter(label: "bounded", maximumPendingBytes: 1000)
        let gate = DispatchSemaphore(value: 0)
        // The first item is always admitted and holds the writer thread until the gate opens.
        try writer.submit(cost: 900) { gate.wait() }
        let admitted = DispatchSemaphore(value: 0)
        let producer = Thread {
            try? writer.submit(cost: 900) {}
            admitted.signal()
        }
        producer.start()
        #expect(admitted.wait(timeout: .now() + 0.3) == .timedOut, "the producer should wait for room")
        gate.signal()
        #expect(admitted.wait(timeout: .now() + 10) == .success, "the producer should be admitted once there is room")
        writer.close()
    }

    @Test func failuresAreReportedAndLaterWorkStillRuns() throws {
        let errors = Recorder<VisBackendError>()
        let writer = BackgroundWriter(label: "errors", errorHandler: { errors.append($0) })
        let ran = Recorder<Int>()
        try writer.submit(cost: 0) { throw VisBackendError.encodingFailed(name: "x", reason: "bad") }
        try writer.append([1, 2, 3], to: AppendFile(path: "/nonexistent-directory-\(UUID())/file"))
        try writer.submit(cost: 0) { throw VisBackendError.io(path: "/nowhere", reason: "disk full") }
        try writer.submit(cost: 0) { ran.append(1) }
        writer.flush()
        // One report per kind: the second I/O failure is only counted.
        #expect(errors.values.count == 2)
        #expect(errors.values.first == .encodingFailed(name: "x", reason: "bad"))
        #expect(ran.values == [1])
        writer.close()
    }

    @Test func closeRunsQueuedWorkIsIdempotentAndRejectsLaterWork() throws {
        let writer = BackgroundWriter(label: "close")
        let ran = Counter()
        for _ in 0..<100 { try writer.submit(cost: 10) { ran.increment() } }
        writer.close()
        #expect(ran.value == 100)
        writer.close()
        writer.flush()
        #expect(writer.isClosed)
        #expect(throws: VisBackendError.closed(backend: "close")) { try writer.submit(cost: 0) {} }
    }

    @Test func flushAndCloseFromTheWriterThreadDoNotDeadlock() throws {
        let writer = BackgroundWriter(label: "reentrant")
        let done = Counter()
        try writer.submit(cost: 0) {
            writer.flush()
            try writer.submit(cost: 0) { done.increment() }
            done.increment()
        }
        writer.flush()
        writer.flush()
        #expect(done.value == 2)
        writer.close()
    }

    @Test func anUnusedWriterStartsNoThreadAndClosesAtOnce() {
        let writer = BackgroundWriter(label: "unused")
        writer.flush()
        writer.close()
        #expect(writer.isClosed)
    }
}
