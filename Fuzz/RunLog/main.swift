import FuzzSupport
import VisTools

/// MMEngine runner logs as JSON lines (`vis_data/scalars.json`, `<timestamp>.json`), read by path.
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let path = fuzzFile(fuzzBytes(data, size), suffix: "-scalars.json")
    if let run = try? Curves.readJSONLines(at: path, name: "fuzz") {
        _ = run
    }
    return 0
}

fuzzMain(testOneInput)
