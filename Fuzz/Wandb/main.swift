import FuzzSupport
import VisBackends

/// W&B offline `.wandb` logs: the LevelDB-style block framing, then the records.
@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    _ = try? WandbLogReader(bytes: fuzzBytes(data, size)).records()
    return 0
}

fuzzMain(testOneInput)
