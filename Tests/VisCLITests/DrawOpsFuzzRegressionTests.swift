import Foundation
import Testing
import VisTestSupport

/// Replays the `vis draw` ops fuzzer's corpora (Fuzz/Corpus/draw-ops, Fuzz/Regressions/draw-ops) through the
/// command: seeds draw, and inputs that once crashed or hung the decoder exit with a status, never a signal.
@Suite("vis draw fuzz corpora replay")
struct DrawOpsFuzzRegressionTests {
    @Test("every seed ops file draws")
    func seedsDraw() throws {
        let seeds = FuzzCorpus.seeds("draw-ops")
        #expect(!seeds.isEmpty)
        try DrawCommandTests.withWorkspace { workspace in
            for url in seeds {
                try workspace.write(ops: String(decoding: try Data(contentsOf: url), as: UTF8.self))
                let result = try workspace.draw()
                #expect(result.status == 0, "\(url.lastPathComponent): \(result.stderr)")
            }
        }
    }

    @Test("every ops file that once crashed or hung is drawn or rejected with exit status 1")
    func regressionsFailCleanly() throws {
        try DrawCommandTests.withWorkspace { workspace in
            for url in FuzzCorpus.regressions("draw-ops") {
                try Data(contentsOf: url).write(to: URL(fileURLWithPath: workspace.path("ops.json")))
                let result = try workspace.draw()
                #expect([0, 1].contains(result.status), "\(url.lastPathComponent): \(result.stderr)")
            }
        }
    }
}
