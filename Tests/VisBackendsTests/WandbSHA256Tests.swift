import Testing

@testable import VisBackends

/// SHA-256 against the FIPS 180-4 / NIST CAVP examples.
@Suite("SHA-256")
struct WandbSHA256Tests {
    @Test(
        "NIST example messages",
        arguments: [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
            (
                "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
                "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
            ),
        ])
    func nistMessages(message: String, digest: String) {
        #expect(SHA256.hash(Array(message.utf8)).hexString == digest)
    }

    @Test("one million 'a' (NIST long message), fed in uneven pieces")
    func millionA() {
        var hash = SHA256()
        let piece = [UInt8](repeating: UInt8(ascii: "a"), count: 999)
        var fed = 0
        var size = 1
        while fed < 1_000_000 {
            let count = min(size, 1_000_000 - fed)
            hash.update(piece[0..<min(count, piece.count)])
            fed += min(count, piece.count)
            size = size % 997 + 13
        }
        #expect(hash.finalize().hexString == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("message lengths around the padding boundary match a one-shot hash of the same bytes")
    func paddingBoundaries() {
        // 55, 56 and 64 byte messages need one or two padding blocks; pieces of 1 byte take the slow path.
        for length in [55, 56, 57, 63, 64, 65, 119, 120, 128] {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 7) }
            var incremental = SHA256()
            for byte in bytes { incremental.update([byte]) }
            #expect(incremental.finalize() == SHA256.hash(bytes))
        }
        #expect(
            SHA256.hash(Array(repeating: 0, count: 64)).hexString
                == "f5a5fd42d16a20302798ef6ed309979b43003d2320d9f0e8ea9831a92759fb4b")
    }
}
