import Foundation
import Testing
@testable import TapebenchReports

/// The replay's freed pages go back to the system before a run's tail (`RunFolder.returnFreedMemory`).
@Suite struct FreedMemoryTests {
    /// This process's resident memory (VmRSS), in KiB.
    static func residentKiB() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
        return try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
    }

    @Test("64 MB freed in 16 KB blocks behind one still held: the trim gives at least 32 MB of it back")
    func trimGivesPagesBack() throws {
        #if canImport(Glibc)
        #expect(RunFolder.mallocTrim != nil, "glibc's malloc_trim is looked up by name")
        // Small blocks come from the heap, not from mappings of their own: freed, glibc keeps them, and the
        // block allocated last keeps the heap's top from shrinking.
        var blocks: [UnsafeMutableRawPointer] = []
        for _ in 0..<4_096 {
            let block = UnsafeMutableRawPointer.allocate(byteCount: 16_384, alignment: 16)
            block.initializeMemory(as: UInt8.self, repeating: 1, count: 16_384)
            blocks.append(block)
        }
        let last = blocks.removeLast()
        defer { last.deallocate() }
        for block in blocks { block.deallocate() }
        let before = try Self.residentKiB()
        RunFolder.returnFreedMemory()
        let after = try Self.residentKiB()
        #expect(before - after >= 32 * 1_024, "resident \(before) KiB before the trim, \(after) after")
        #else
        print("skipped: malloc_trim is glibc's; nothing to give back on this platform")
        #endif
    }
}
