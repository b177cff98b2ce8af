import Foundation
import Testing
import VisTestSupport
import VisTools

/// Replays the runner-log fuzzer's corpora (Fuzz/Corpus/runlog, Fuzz/Regressions/runlog) through
/// ``Curves/readJSONLines(at:name:)``: seeds read, inputs that once crashed or hung the reader now throw or return.
@Suite("Run log fuzz corpora replay")
struct RunLogFuzzRegressionTests {
    @Test("every seed log reads with at least one curve")
    func seedsRead() throws {
        let seeds = FuzzCorpus.seeds("runlog")
        #expect(!seeds.isEmpty)
        for url in seeds {
            let run = try Curves.readJSONLines(at: url.path, name: url.lastPathComponent)
            #expect(!run.series.isEmpty, "\(url.lastPathComponent)")
        }
    }

    @Test("every log that once crashed or hung the reader now returns or throws")
    func regressionsFailCleanly() {
        for url in FuzzCorpus.regressions("runlog") {
            do {
                _ = try Curves.readJSONLines(at: url.path, name: "regression")
            } catch {
                #expect(!error.description.isEmpty, "\(url.lastPathComponent)")
            }
        }
    }
}
