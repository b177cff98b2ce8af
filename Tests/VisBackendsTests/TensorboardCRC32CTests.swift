import Testing
import VisTestSupport

@testable import VisBackends

@Suite("CRC-32C")
struct TensorboardCRC32CTests {
    @Test("standard check values")
    func vectors() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C._bitwiseChecksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8]()) == 0)
        // RFC 3720 (iSCSI) B.4 vectors.
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum((0..<32).map { UInt8(31 - $0) }) == 0x113F_DB5C)
    }

    @Test("TFRecord mask: the length-24 header vector, and unmask inverts mask")
    func masking() {
        let header: [UInt8] = [0x18, 0, 0, 0, 0, 0, 0, 0]
        #expect(CRC32C.mask(CRC32C.checksum(header)) == 0x224B_7FA3)
        for value: UInt32 in [0, 1, 0xDEAD_BEEF, 0xFFFF_FFFF, 0xE306_9283] {
            #expect(CRC32C.unmask(CRC32C.mask(value)) == value)
        }
    }

    @Test("slicing-by-8 equals the bitwise definition on random inputs of every length and alignment")
    func differential() {
        var generator = SeededGenerator(seed: 0xC0FFEE)
        for length in Array(0..<80) + [255, 256, 1000, 4097] {
            let bytes = (0..<(length + 7)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            for start in 0..<8 where start + length <= bytes.count {
                let slice = Array(bytes[start..<(start + length)])
                let fast = bytes.withUnsafeBytes {
                    CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[start..<(start + length)]))
                }
                #expect(fast == CRC32C._bitwiseChecksum(slice), "length \(length), offset \(start)")
            }
        }
    }

    @Test("update continues a checksum across chunks")
    func incremental() {
        var generator = SeededGenerator(seed: 7)
        let bytes = (0..<1000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for split in [0, 1, 7, 8, 9, 500, 999, 1000] {
            let crc = bytes.withUnsafeBytes { buffer in
                CRC32C.update(
                    CRC32C.checksum(UnsafeRawBufferPointer(rebasing: buffer[0..<split])),
                    with: UnsafeRawBufferPointer(rebasing: buffer[split...]))
            }
            #expect(crc == CRC32C._bitwiseChecksum(bytes))
        }
    }
}

