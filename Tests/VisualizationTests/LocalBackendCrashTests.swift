import Foundation
import Testing
import VisTestSupport
import Visualization

#if canImport(Glibc)
import Glibc
#endif

/// A child process (`vis-crashtest`) logs scalars and images in a loop and is killed with SIGKILL; everything up
/// to its last flush must be on disk, whole.
@Suite struct LocalBackendCrashTests {
    /// Runs the child until it has reported `flushes` flushes, kills it at a random moment, and returns the line
    /// count it reported at its last flush (flushes completed between the signal and its death count too).
    func runAndKill(saveDir: String, flushes: Int) throws -> Int {
        let child = try CrashChild(arguments: [saveDir])
        child.waitForFlushes(flushes)
        let seen = child.flushes
        child.stop(SIGKILL, afterUpTo: 20_000)
        #expect(child.process.terminationReason == .uncaughtSignal, "the child should have been killed, not exited")
        #expect(seen == flushes, "the child stopped early")
        return child.flushed
    }

    @Test(arguments: [4, 9])
    func everythingUpToTheLastFlushSurvivesSIGKILL(flushes: Int) throws {
        let saveDir = try TestSupport.makeTemporaryDirectory("crash").appendingPathComponent("run").path
        let flushedLines = try runAndKill(saveDir: saveDir, flushes: flushes)
        #expect(flushedLines >= flushes * 100)

        let scalarText = try String(contentsOfFile: saveDir + "/scalars.json", encoding: .utf8)
        #expect(scalarText.hasSuffix("\n"), "the last line is partial")
        let lines = scalarText.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count >= flushedLines)
        for (index, line) in lines.enumerated() {
            let row = try Config(text: String(line), format: .json, source: "scalars.json line \(index + 1)")
            #expect(row["step"]?.intValue != nil)
        }
        let extraText = try String(contentsOfFile: saveDir + "/extra.json", encoding: .utf8)
        #expect(extraText.hasSuffix("\n"))
        #expect(extraText.split(separator: "\n").count >= flushedLines / 2)

        // Python's json reads every line too (NaN and -Infinity included).
        let pythonCount = try TestSupport.runPython(
            """
            import json, sys
            count = 0
            for path in sys.argv[1:]:
                with open(path) as f:
                    for line in f:
                        json.loads(line)
                        count += 1
            print(count)
            """, arguments: [saveDir + "/scalars.json", saveDir + "/extra.json"])
        #expect(Int(pythonCount.trimmingCharacters(in: .whitespacesAndNewlines)) == lines.count + extraText.split(separator: "\n").count)

        let images = try FileManager.default.contentsOfDirectory(atPath: saveDir + "/vis_image").filter { $0.hasSuffix(".png") }
        #expect(images.count >= flushedLines / 20)
        for name in images {
            let image = try Image(contentsOfFile: saveDir + "/vis_image/" + name)
            #expect(image.width == 96 && image.height == 64)
        }
    }
}

/// Eight threads log into one visualizer at once (issue 6's concurrency test).
@Suite struct VisualizerConcurrencyTests {
    @Test func eightThreadsLogTenThousandScalarsEach() throws {
        let directory = try TestSupport.makeTemporaryDirectory("concurrency").path
        let visualizer = try Visualizer(backends: [["type": "LocalVisBackend"]], saveDir: directory, rank: 0)
        let threads = 8
        let perThread = 10_000
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for step in 0..<perThread {
                visualizer.addScalar(name: "thread\(thread)", value: .int(step * 3), step: step)
            }
        }
        visualizer.close()
        let text = try String(contentsOfFile: directory + "/vis_data/scalars.json", encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        let lines = text.split(separator: "\n")
        #expect(lines.count == threads * perThread)
        var perThreadLines = [[Substring]](repeating: [], count: threads)
        for line in lines {
            guard line.hasPrefix("{\"thread"), let digit = line.dropFirst(8).first?.wholeNumberValue, digit < threads else {
                Issue.record("interleaved or malformed line: \(line)")
                continue
            }
            perThreadLines[digit].append(line)
        }
        for thread in 0..<threads {
            let expected = (0..<perThread).map { "{\"thread\(thread)\": \($0 * 3), \"step\": \($0)}" }
            #expect(perThreadLines[thread].map(String.init) == expected, "thread \(thread)'s lines")
        }
    }
}

/// The CustomBackendExample program runs and prints what its backend stored.
@Suite struct CustomBackendExampleTests {
    @Test func theExampleBackendStoresCSVRows() throws {
        let directory = try TestSupport.makeTemporaryDirectory("example").appendingPathComponent("csv").path
        let output = try TestSupport.run(try TestSupport.productPath("CustomBackendExample"), arguments: [directory])
        #expect(output == """
            built csv: CSVScalarBackend
            after close: backend CSVScalarBackend is closed; it accepts no more data
            step,name,value
            0,loss,1.0
            0,epoch,0
            1,loss,0.5
            1,epoch,0
            2,loss,0.3333333333333333
            2,epoch,1

            """)
    }
}
