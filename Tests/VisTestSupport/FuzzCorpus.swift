import Foundation

/// The fuzzers' inputs under `Fuzz/`: the seed corpora (valid files of each format) and the regression corpora
/// (every input that once crashed or hung a parser). The test suites replay both through the parsers' public
/// entry points, so a fixed bug stays fixed without running the fuzzers.
public enum FuzzCorpus {
    /// The valid seed files of `format` (a harness name such as `"png"` or `"config-yaml"`), sorted by name.
    public static func seeds(_ format: String) -> [URL] { files(in: "Fuzz/Corpus/\(format)") }

    /// The inputs of `format` that once crashed or hung a parser, sorted by name.
    public static func regressions(_ format: String) -> [URL] { files(in: "Fuzz/Regressions/\(format)") }

    private static func files(in folder: String) -> [URL] {
        let url = TestSupport.packageRoot.appendingPathComponent(folder, isDirectory: true)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { url.appendingPathComponent($0) }
    }
}
