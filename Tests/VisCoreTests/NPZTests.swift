import Foundation
import Testing
import VisTestSupport
@testable import VisCore

/// `.npz` archives written by NumPy 2.4 (`np.savez_compressed(f, mask=..., feat=...)` and
/// `np.savez(f, int16_array, boxes=...)`): deflated members and ZIP64 extra fields, as NumPy writes them.
enum NumPyArchives {
    static let compressedHex = [
        "504b03042d000000080000002100d9ea8c18ffffffffffffffff080014006d61736b2e6e707901001000860000000000",
        "00004a000000000000009bec17ea1b10c9c850c650ad9e925a9c5ca46ea5a05e9364a8aea3a09e965f54529498179f5f",
        "94920a12774bcc294e058a17672416a402f91a463a0ac69a3a0ab50a64032e4606100400504b03042d00000008000000",
        "2100d1b54355ffffffffffffffff08001400666561742e6e707901001000e00000000000000089000000000000009bec",
        "17ea1b10c9c850c650ad9e925a9c5ca46ea5a06e9366a2aea3a09e965f54529498179f5f94920a12774bcc294e058a17",
        "672416a402f91a463a0ac63a0a269a3a0ab50ae4012e0608b063606800e20340cc60cfc0a000c40e409c00c40d403c01",
        "881700f106203e00c41780f801107f0062060706060e2016006209205600620d203600620b0700504b01022d032d0000",
        "00080000002100d9ea8c184a000000860000000800000000000000000000008001000000006d61736b2e6e7079504b01",
        "022d032d000000080000002100d1b5435589000000e0000000080000000000000000000000800184000000666561742e",
        "6e7079504b050600000000020002006c000000470100000000",
    ]
    static let storedHex = [
        "504b03042d000000000000002100d53af857ffffffffffffffff09001400626f7865732e6e707901001000a000000000",
        "000000a000000000000000934e554d5059010076007b276465736372273a20273c6638272c2027666f727472616e5f6f",
        "72646572273a2046616c73652c20277368617065273a2028312c2034292c207d20202020202020202020202020202020",
        "2020202020202020202020202020202020202020202020202020202020202020202020202020202020200a0000000000",
        "00f83f000000000000004000000000000008400000000000001040504b03042d00000000000000210060820091ffffff",
        "ffffffffff090014006172725f302e6e70790100100086000000000000008600000000000000934e554d505901007600",
        "7b276465736372273a20273c6932272c2027666f727472616e5f6f72646572273a2046616c73652c2027736861706527",
        "3a2028332c292c207d202020202020202020202020202020202020202020202020202020202020202020202020202020",
        "2020202020202020202020202020202020202020200a010002000300504b01022d032d000000000000002100d53af857",
        "a0000000a0000000090000000000000000000000800100000000626f7865732e6e7079504b01022d032d000000000000",
        "0021006082009186000000860000000900000000000000000000008001db0000006172725f302e6e7079504b05060000",
        "0000020002006e0000009c0100000000",
    ]

    static func bytes(_ lines: [String]) -> [UInt8] {
        let digits = Array(lines.joined().utf8)
        return stride(from: 0, to: digits.count, by: 2).compactMap { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16) }
    }
}

@Suite("NPZ")
struct NPZTests {
    @Test func readsNumPySavezCompressed() throws {
        let arrays = try NDArray.loadNPZ(data: NumPyArchives.bytes(NumPyArchives.compressedHex))
        #expect(Set(arrays.keys) == ["mask", "feat"])
        #expect(arrays["mask"] == (try NDArray([[true, false, true], [false, true, false]] as [[Bool]])))
        let feat = try #require(arrays["feat"])
        #expect(feat.shape == [2, 3, 4])
        #expect(feat.values(as: Float.self) == (0..<24).map { Float($0) / 8 })
    }

    @Test func readsNumPySavez() throws {
        let arrays = try NDArray.loadNPZ(data: NumPyArchives.bytes(NumPyArchives.storedHex))
        #expect(arrays["arr_0"] == (try NDArray([Int16(1), 2, 3], shape: [3])))
        #expect(arrays["boxes"] == (try NDArray([[1.5, 2, 3, 4]])))
    }

    @Test func writesAndReadsBack() throws {
        let arrays: [String: NDArray] = [
            "boxes": try NDArray([[0, 0, 10, 10], [5, 5, 8, 9]]),
            "mask": try NDArray([Bool](repeating: true, count: 6), shape: [2, 3]),
            "empty": try NDArray([UInt8](), shape: [0]),
        ]
        let directory = try TestSupport.makeTemporaryDirectory("npz")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("a.npz").path
        try NDArray.writeNPZ(arrays, to: path)
        #expect(try NDArray.loadNPZ(from: path) == arrays)
        #expect(try NDArray.loadNPZ(data: NDArray.npzData([:])).isEmpty)
        let mask = try #require(arrays["mask"])
        #expect(throws: VisCoreError.self) { try NDArray.npzData(["a/b": mask]) }
        #expect(throws: VisCoreError.self) { try NDArray.npzData(["": mask]) }
    }

    @Test func detectsCorruptMembers() throws {
        var bytes = NumPyArchives.bytes(NumPyArchives.storedHex)
        // Flip one data byte of the last member's float payload: the CRC must catch it.
        let index = try #require(bytes.lastIndex(of: 0x40))  // a byte of 1.5/2/3/4 in float64
        bytes[index] ^= 0x01
        #expect {
            try NDArray.loadNPZ(data: bytes, source: "x.npz")
        } throws: { error in
            guard case VisCoreError.corruptData(let source, let reason) = error else { return false }
            return source.hasPrefix("x.npz[") && reason.contains("CRC-32")
        }
        #expect(throws: VisCoreError.self) { try NDArray.loadNPZ(data: Array("not a zip at all, no".utf8)) }
        #expect(throws: VisCoreError.self) { try NDArray.loadNPZ(data: []) }
    }

    @Test func truncationsAndBitFlipsNeverCrash() throws {
        var rng = SeededGenerator(seed: 0xC0FFEE)
        for archive in [NumPyArchives.bytes(NumPyArchives.compressedHex), NumPyArchives.bytes(NumPyArchives.storedHex)] {
            // Any truncation loses the end record (it is the last 22 bytes), so each must fail, typed.
            for length in 0..<archive.count {
                #expect(throws: VisCoreError.self) { try NDArray.loadNPZ(data: Array(archive[0..<length])) }
            }
            for _ in 0..<1500 {
                var mutated = archive
                for _ in 0..<Int.random(in: 1...3, using: &rng) {
                    let index = Int.random(in: 0..<mutated.count, using: &rng)
                    mutated[index] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
                }
                do {
                    _ = try NDArray.loadNPZ(data: mutated)
                } catch is VisCoreError {
                } catch {
                    Issue.record("untyped error \(error)")
                }
            }
        }
    }

    @Test func rejectsLyingSizes() throws {
        // A stored archive whose central directory claims a 2^40-byte member: refused without allocating.
        var bytes = try NDArray.npzData(["a": NDArray([UInt8(1)], shape: [1])])
        let central = try #require(findSignature([0x50, 0x4B, 0x01, 0x02], in: bytes))
        for offset in 20..<28 { bytes[central + offset] = 0xFF }  // compressed and uncompressed sizes
        bytes[central + 10] = 8  // deflate
        #expect(throws: VisCoreError.self) { try NDArray.loadNPZ(data: bytes) }
    }

    private func findSignature(_ signature: [UInt8], in bytes: [UInt8]) -> Int? {
        (0...(bytes.count - signature.count)).first { Array(bytes[$0..<$0 + signature.count]) == signature }
    }
}
