import Foundation
import Testing
import VisTestSupport

/// The Swift examples of the DocC articles are quotes of compiled code, so they cannot drift from the API.
///
/// In an article, every ` ```swift ` block follows a marker line `<!-- snippet: PATH#NAME -->`. PATH is a Swift
/// file under `Examples/` (programs a test runs) or `Tests/` (code a test runs), relative to the package root, and
/// the block must equal the lines between `// snippet.begin: NAME` and `// snippet.end: NAME` in it, with their
/// common indentation removed and any lines between `// snippet.hide` and `// snippet.show` left out.
///
/// `VIS_REGENERATE_SNIPPETS=1` rewrites the articles' blocks from their sources and records an issue, as
/// `VIS_REGENERATE_GOLDEN` does for images: read the new text, commit it, rerun without the flag.
@Suite("Documentation snippets")
struct DocumentationSnippetTests {
    /// A quoted block of an article.
    struct Quote {
        var article: String
        var source: String
        var name: String
        /// Line indices of the block's body in the article (after the opening fence, before the closing one).
        var body: Range<Int>
    }

    enum SnippetError: Error, CustomStringConvertible {
        case unmarkedBlock(article: String, line: Int)
        case badMarker(article: String, line: Int, text: String)
        case unclosedBlock(article: String, line: Int)
        case sourceOutsideTestedCode(article: String, source: String)
        case missingRegion(source: String, name: String)

        var description: String {
            switch self {
            case let .unmarkedBlock(article, line):
                return "\(article):\(line): a swift block without a `<!-- snippet: PATH#NAME -->` line before it"
            case let .badMarker(article, line, text):
                return "\(article):\(line): the marker `\(text)` is not followed by a swift block or has no #NAME"
            case let .unclosedBlock(article, line):
                return "\(article):\(line): the swift block is not closed"
            case let .sourceOutsideTestedCode(article, source):
                return "\(article): `\(source)` is not a Swift file under Examples/ or Tests/"
            case let .missingRegion(source, name):
                return "\(source): no `// snippet.begin: \(name)` … `// snippet.end: \(name)` region"
            }
        }
    }

    static let root = TestSupport.packageRoot

    /// Every Markdown file of every DocC catalogue under Sources/.
    static func articles() throws -> [String] {
        let sources = root.appendingPathComponent("Sources")
        var found: [String] = []
        for module in try FileManager.default.contentsOfDirectory(atPath: sources.path).sorted() {
            let moduleDirectory = sources.appendingPathComponent(module)
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: moduleDirectory.path)) ?? []
            where entry.hasSuffix(".docc") {
                let catalogue = moduleDirectory.appendingPathComponent(entry)
                let files = FileManager.default.enumerator(atPath: catalogue.path)?.compactMap { $0 as? String } ?? []
                for file in files.sorted() where file.hasSuffix(".md") {
                    found.append("Sources/\(module)/\(entry)/\(file)")
                }
            }
        }
        return found
    }

    static func lines(_ relativePath: String) throws -> [String] {
        let text = try String(contentsOf: root.appendingPathComponent(relativePath), encoding: .utf8)
        return text.components(separatedBy: "\n")
    }

    /// The quoted blocks of an article; throws for a swift block without a marker.
    static func quotes(in article: String, lines: [String]) throws -> [Quote] {
        var quotes: [Quote] = []
        var index = 0
        while index < lines.count {
            let line = lines[index].trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("<!-- snippet:") {
                let reference = line.dropFirst("<!-- snippet:".count).replacingOccurrences(of: "-->", with: "")
                    .trimmingCharacters(in: .whitespaces)
                let parts = reference.split(separator: "#", maxSplits: 1).map(String.init)
                guard parts.count == 2, index + 1 < lines.count,
                    lines[index + 1].trimmingCharacters(in: .whitespaces) == "```swift"
                else { throw SnippetError.badMarker(article: article, line: index + 1, text: line) }
                guard parts[0].hasSuffix(".swift"), parts[0].hasPrefix("Examples/") || parts[0].hasPrefix("Tests/")
                else { throw SnippetError.sourceOutsideTestedCode(article: article, source: parts[0]) }
                let start = index + 2
                guard let end = lines[start...].firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "```" })
                else { throw SnippetError.unclosedBlock(article: article, line: index + 2) }
                quotes.append(Quote(article: article, source: parts[0], name: parts[1], body: start..<end))
                index = end + 1
                continue
            }
            if line == "```swift" { throw SnippetError.unmarkedBlock(article: article, line: index + 1) }
            index += 1
        }
        return quotes
    }

    /// The region `name` of a source file: dedented, hidden parts left out.
    static func region(_ name: String, in source: String) throws -> [String] {
        let lines = try lines(source)
        let trimmed = lines.map { $0.trimmingCharacters(in: .whitespaces) }
        guard let begin = trimmed.firstIndex(of: "// snippet.begin: \(name)"),
            let end = trimmed[begin...].firstIndex(of: "// snippet.end: \(name)")
        else { throw SnippetError.missingRegion(source: source, name: name) }
        var body: [String] = []
        var hidden = false
        for (line, marker) in zip(lines[(begin + 1)..<end], trimmed[(begin + 1)..<end]) {
            if marker == "// snippet.hide" {
                hidden = true
            } else if marker == "// snippet.show" {
                hidden = false
            } else if !hidden {
                body.append(line)
            }
        }
        let indent =
            body.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { $0.prefix(while: { $0 == " " }).count }.min() ?? 0
        return body.map { $0.count >= indent ? String($0.dropFirst(indent)) : "" }
    }

    @Test("every swift block of every article quotes a marked region of compiled, tested code")
    func articlesQuoteTheirSources() throws {
        let articles = try Self.articles()
        #expect(articles.count >= 6, "found only \(articles)")
        var quoteCount = 0
        for article in articles {
            var lines = try Self.lines(article)
            let quotes = try Self.quotes(in: article, lines: lines)
            quoteCount += quotes.count
            // Back to front, so that rewriting one block leaves the others' line ranges valid.
            var rewritten = false
            for quote in quotes.reversed() {
                let expected = try Self.region(quote.name, in: quote.source)
                let actual = Array(lines[quote.body])
                guard actual != expected else { continue }
                if ProcessInfo.processInfo.environment["VIS_REGENERATE_SNIPPETS"] == "1" {
                    lines.replaceSubrange(quote.body, with: expected)
                    rewritten = true
                } else {
                    Issue.record(
                        """
                        \(article) quotes \(quote.source)#\(quote.name), which now reads:
                        \(expected.joined(separator: "\n"))
                        (rewrite the article's blocks with VIS_REGENERATE_SNIPPETS=1)
                        """)
                }
            }
            if rewritten {
                try lines.joined(separator: "\n").write(
                    to: Self.root.appendingPathComponent(article), atomically: true, encoding: .utf8)
                Issue.record("rewrote the snippets of \(article) (VIS_REGENERATE_SNIPPETS=1): read it and commit it")
            }
        }
        #expect(quoteCount >= 8, "only \(quoteCount) quoted blocks in \(articles)")
    }

    @Test("the checker rejects an unmarked block, a marker without a block and a region that is not there")
    func checkerRejectsBadArticles() throws {
        #expect(throws: SnippetError.self) {
            try Self.quotes(in: "a.md", lines: ["text", "```swift", "let x = 1", "```"])
        }
        #expect(throws: SnippetError.self) {
            try Self.quotes(in: "a.md", lines: ["<!-- snippet: Tests/X.swift#x -->", "text"])
        }
        #expect(throws: SnippetError.self) {
            try Self.quotes(in: "a.md", lines: ["<!-- snippet: Sources/X.swift#x -->", "```swift", "```"])
        }
        #expect(throws: SnippetError.self) {
            try Self.region("no-such-region", in: "Tests/VisualizationTests/DocumentationSnippetTests.swift")
        }
        // A shell block needs no marker; a marked block is found with its body's lines.
        let quotes = try Self.quotes(
            in: "a.md", lines: ["```sh", "ls", "```", "<!-- snippet: Tests/X.swift#x -->", "```swift", "a", "b", "```"])
        #expect(quotes.count == 1 && quotes[0].body == 5..<7 && quotes[0].source == "Tests/X.swift")
    }

    @Test("regions are dedented and hide what is marked hidden")
    func regionExtraction() throws {
        // snippet.begin: self-test
        if true {
            let shown = 1
            // snippet.hide
            let hidden = 2
            // snippet.show
            _ = shown
            _ = hidden
        }
        // snippet.end: self-test
        let region = try Self.region("self-test", in: "Tests/VisualizationTests/DocumentationSnippetTests.swift")
        #expect(region == ["if true {", "    let shown = 1", "    _ = shown", "    _ = hidden", "}"])
    }
}
