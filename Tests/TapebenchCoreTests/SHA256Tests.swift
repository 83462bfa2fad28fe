import Foundation
import Testing
@testable import TapebenchCore

@Suite("SHA-256")
struct SHA256Tests {
    @Test("the FIPS 180-4 example vectors")
    func nistVectors() {
        #expect(SHA256.hex(of: Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(of: [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("fed in pieces, the same digest as fed at once")
    func incremental() {
        let bytes = (0 ..< 1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        var hasher = SHA256()
        var start = 0
        for size in [1, 63, 64, 65, 0, 7, 300] where start < bytes.count {
            let end = min(bytes.count, start + size)
            hasher.update(bytes[start ..< end])
            start = end
        }
        hasher.update(bytes[start...])
        #expect(hasher.finalize() == { var whole = SHA256(); whole.update(bytes); return whole.finalize() }())
        // A sequence without contiguous storage goes byte by byte, to the same digest; so does a mix.
        #expect(SHA256.hex(of: AnySequence(bytes)) == SHA256.hex(of: bytes))
        var mixed = SHA256()
        mixed.update(AnySequence(bytes[0 ..< 37]))
        mixed.update(bytes[37 ..< 500])
        mixed.update(AnySequence(bytes[500...]))
        #expect(mixed.finalize() == { var whole = SHA256(); whole.update(bytes); return whole.finalize() }())
    }

    /// Every padding case (lengths around 55, 56, 63, 64 and their multiples) against the system's tool.
    @Test("equals sha256sum on random inputs of every padding length")
    func againstSha256sum() throws {
        let tool = ["/usr/bin/sha256sum", "/bin/sha256sum"].first { FileManager.default.isExecutableFile(atPath: $0) }
        // coreutils is on every machine this builds on; its absence is a broken machine, not a skip.
        let sha256sum = try #require(tool, "sha256sum (coreutils) not found")
        var random = SplitMix64(seed: 20_261_130)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sha256-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var lengths = Array(0 ... 130) + [183, 184, 191, 192, 4095, 4096, 65_537]
        lengths.append(Int(random.next() % 100_000))
        var paths: [String] = []
        var expected: [String] = []
        for length in lengths {
            let bytes = (0 ..< length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let path = folder.appendingPathComponent("\(length).bin").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            paths.append(path)
            expected.append(SHA256.hex(of: bytes))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sha256sum)
        process.arguments = paths
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let digests = output.split(separator: "\n").map { String($0.prefix(64)) }
        #expect(digests == expected)
    }
}
