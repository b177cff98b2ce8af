import CFuzzerDriver
import Foundation

/// The signature of `LLVMFuzzerTestOneInput`.
public typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

/// Runs libFuzzer on `testOneInput` with the process's arguments (`-runs=`, `-max_total_time=`, corpus
/// folders, `-dict=`…) and exits with its status.
public func fuzzMain(_ testOneInput: FuzzCallback) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
}

/// The input as an array (libFuzzer may pass a null pointer for the empty input).
public func fuzzBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}

/// Writes the input to a file of this process (for parsers that read by path) and returns its path.
public func fuzzFile(_ bytes: [UInt8], suffix: String) -> String {
    let path = NSTemporaryDirectory() + "/vis-fuzz-\(getpid())\(suffix)"
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    return path
}
