import Foundation
import FuzzSupport
import Visualization

/// `DataSample` JSON (what `vis datasample` reads), then encoded again.
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    if let sample = try? DataSample(jsonData: Data(fuzzBytes(data, size))) {
        _ = try? sample.jsonData()
    }
    return 0
}

fuzzMain(testOneInput)
