import Foundation
import Testing
import VisTestSupport
@testable import VisCore


/// Builds a `.npy` file around a header text, the way a hostile or foreign writer could.
func npyBytes(header: String, version: UInt8 = 1, data: [UInt8]) -> [UInt8] {
    let text = Array(header.utf8) + [0x0A]
    var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0]
    let length = text.count
    if version == 1 {
        bytes += [UInt8(length & 0xFF), UInt8(length >> 8)]
    } else {
        bytes += (0..<4).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) }
    }
    return bytes + text + data
}

@Suite("NPY")
struct NPYTests {
    static let samples: [NDArray] = {
        do {
            return [
                try NDArray([Float(1.5), -2, .infinity, 0x1p-140, 3.25, 0], shape: [2, 3]),
                try NDArray([Double.pi, -0.0, 1e300, .leastNonzeroMagnitude], shape: [4]),
                try NDArray([Int8.min, -1, 0, Int8.max], shape: [2, 2]),
                try NDArray([Int16.min, 1234, Int16.max], shape: [3]),
                try NDArray([Int32.min, 7, Int32.max, 0, 1, 2], shape: [1, 2, 3]),
                try NDArray([Int64.min, -5, Int64.max], shape: [3, 1]),
                try NDArray([UInt8](0...255), shape: [16, 16]),
                try NDArray([UInt16.max, 0, 513], shape: [3]),
                try NDArray([UInt32.max, 1], shape: [2]),
                try NDArray([UInt64.max, 1 << 63], shape: [2]),
                try NDArray([true, false, true], shape: [3]),
                try NDArray([Float](), shape: [0, 5]),
                try NDArray([Double(42)], shape: []),
            ]
        } catch {
            return []
        }
    }()

    @Test func roundTripsEveryDType() throws {
        #expect(Set(Self.samples.map(\.dtype)) == Set(DType.allCases))
        for array in Self.samples {
            let decoded = try NDArray(npyData: array.npyData())
            #expect(decoded.shape == array.shape)
            #expect(decoded.dtype == array.dtype)
            // Compare bytes so NaN/-0.0 would count too.
            #expect(decoded.npyData() == array.npyData())
        }
    }

    @Test func roundTripsThroughAFile() throws {
        let directory = try TestSupport.makeTemporaryDirectory("npy")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("map.npy").path
        let array = try NDArray([Float](stride(from: 0, to: 60, by: 0.5)), shape: [2, 3, 20])
        try array.writeNPY(to: path)
        #expect(try NDArray(npyFile: path) == array)
        #expect(throws: VisCoreError.self) { try NDArray(npyFile: directory.appendingPathComponent("missing.npy").path) }
        #expect(throws: VisCoreError.self) { try NDArray(npyFile: directory.path) }
        #expect(throws: VisCoreError.self) { try array.writeNPY(to: directory.appendingPathComponent("no/such/dir.npy").path) }
    }

    @Test func headerMatchesNumPyLayout() throws {
        let bytes = try NDArray([Float](repeating: 0, count: 12), shape: [3, 4]).npyData()
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        #expect((10 + headerLength) % 64 == 0)
        let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        #expect(header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }"))
        #expect(header.hasSuffix(" \n"))
        #expect(NPYHeader.text(dtype: .bool, shape: [7]).hasPrefix("{'descr': '|b1', 'fortran_order': False, 'shape': (7,), }"))
        #expect(NPYHeader.text(dtype: .int8, shape: []) == "{'descr': '|i1', 'fortran_order': False, 'shape': (), }")
    }

    @Test func longHeadersUseVersion2() throws {
        // 25,000 axes of length 1 make a header longer than 65,535 bytes.
        let array = try NDArray([UInt8(9)], shape: [Int](repeating: 1, count: 25_000))
        let bytes = array.npyData()
        #expect(bytes[6] == 2)
        let headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
        #expect((12 + headerLength) % 64 == 0)
        #expect(try NDArray(npyData: bytes) == array)
    }

    @Test func readsBigEndianFortranAndVersions() throws {
        // 2×3 int16, big-endian, Fortran order: column-major 1 4 2 5 3 6.
        let bigFortran = npyBytes(
            header: "{'descr': '>i2', 'fortran_order': True, 'shape': (2, 3), }",
            data: [1, 4, 2, 5, 3, 6].flatMap { [UInt8(0), UInt8($0)] })
        #expect(try NDArray(npyData: bigFortran) == (try NDArray([Int16(1), 2, 3, 4, 5, 6], shape: [2, 3])))

        let bigDouble = npyBytes(
            header: "{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }",
            data: [0x3F, 0xF8, 0, 0, 0, 0, 0, 0], )
        #expect(try NDArray(npyData: bigDouble).values(as: Double.self) == [1.5])

        for version: UInt8 in [2, 3] {
            let bytes = npyBytes(
                header: "{\"descr\": \"<u2\", \"shape\": (2L,), \"fortran_order\": False}", version: version,
                data: [1, 0, 0, 1])
            #expect(try NDArray(npyData: bytes).values(as: UInt16.self) == [1, 256])
        }
        let spaced = npyBytes(header: "  { 'shape' : ( 3 , ) ,'fortran_order':False,'descr':'|b1'  }  ", data: [0, 2, 1])
        #expect(try NDArray(npyData: spaced).values(as: Bool.self) == [false, true, true])
    }

    @Test func widensFloat16() throws {
        // 1, -2, 65504 (max), 2^-24 (smallest subnormal), 0x1p-14 (smallest normal), inf, -0.
        let halves: [UInt16] = [0x3C00, 0xC000, 0x7BFF, 0x0001, 0x0400, 0x7C00, 0x8000, 0x7E00]
        let bytes = npyBytes(
            header: "{'descr': '<f2', 'fortran_order': False, 'shape': (8,), }",
            data: halves.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        let array = try NDArray(npyData: bytes)
        #expect(array.dtype == .float32)
        let values = try #require(array.values(as: Float.self))
        #expect(Array(values[0..<7]) == [1, -2, 65504, 0x1p-24, 0x1p-14, .infinity, -0.0])
        #expect(values[6].sign == .minus)
        #expect(values[7].isNaN)
    }

    @Test func rejectsMalformedHeaders() {
        let cases: [(String, [UInt8])] = [
            ("unknown dtype", npyBytes(header: "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", data: [])),
            ("object dtype", npyBytes(header: "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", data: [])),
            ("negative axis", npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", data: [])),
            ("huge shape", npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", data: [])),
            ("huge axis", npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }", data: [])),
            ("short data", npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", data: [0, 0, 0, 0])),
            ("missing key", npyBytes(header: "{'descr': '<f4', 'shape': (3,), }", data: [])),
            ("extra key", npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (), 'x': 1}", data: [0, 0, 0, 0])),
            ("not a dict", npyBytes(header: "['descr']", data: [])),
            ("bool shape", npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': True}", data: [])),
            ("unterminated", npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (3,", data: [])),
            ("bad string", npyBytes(header: "{'descr: '<f4'}", data: [])),
            ("deep nesting", npyBytes(header: String(repeating: "(", count: 10_000), data: [])),
            ("trailing text", npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': ()} x", data: [0, 0, 0, 0])),
            ("structured", npyBytes(header: "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", data: [0, 0, 0, 0])),
            ("bad magic", [0x93] + Array("NUMPX".utf8) + [1, 0, 0, 0]),
            ("bad version", [0x93] + Array("NUMPY".utf8) + [4, 0, 0, 0]),
            ("empty", []),
            ("header past end", [0x93] + Array("NUMPY".utf8) + [1, 0, 0xFF, 0xFF, 0x7B]),
        ]
        for (label, bytes) in cases {
            #expect(throws: VisCoreError.self, "\(label)") { try NDArray(npyData: bytes, source: "case.npy") }
        }
    }

    @Test func errorsNameTheFile() {
        let short = npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", data: [])
        #expect(throws: VisCoreError.corruptData(
            source: "maps/a.npy", reason: "the .npy data is 0 bytes, shape [3] needs 12")
        ) {
            try NDArray(npyData: short, source: "maps/a.npy")
        }
    }

    @Test func truncationsAndBitFlipsNeverCrash() throws {
        var rng = SeededGenerator(seed: 0x5EED)
        for array in Self.samples {
            let bytes = array.npyData()
            // Every truncation of a valid file is an error (the data is always needed in full).
            for length in 0..<bytes.count where !(array.count == 0 && length >= bytes.count - 0) {
                #expect(throws: VisCoreError.self) { try NDArray(npyData: Array(bytes[0..<length])) }
            }
            for _ in 0..<300 {
                var mutated = bytes
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    let index = Int.random(in: 0..<mutated.count, using: &rng)
                    mutated[index] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
                }
                do {
                    _ = try NDArray(npyData: mutated)
                } catch is VisCoreError {
                } catch {
                    Issue.record("untyped error \(error)")
                }
            }
        }
        // Random header bytes keep the parser busy with every character class.
        let alphabet = Array("{}()[],:'\" 0123456789-LTrueFalseNone<f4|b1descrshapefortran_order".utf8)
        for _ in 0..<2000 {
            let header = String(decoding: (0..<Int.random(in: 0..<80, using: &rng)).map { _ in
                alphabet[Int.random(in: 0..<alphabet.count, using: &rng)]
            }, as: UTF8.self)
            do {
                _ = try NDArray(npyData: npyBytes(header: header, data: [1, 2, 3, 4]))
            } catch is VisCoreError {
            } catch {
                Issue.record("untyped error \(error)")
            }
        }
    }
}
