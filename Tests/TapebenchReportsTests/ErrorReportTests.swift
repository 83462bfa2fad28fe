import Foundation
import Testing
import TapebenchCore
import TapebenchReports

/// What reaches a user for each kind of error: one line with the path and the reason in words.
@Suite struct ErrorReportTests {
    @Test("Foundation's file errors become 'path: reason', never 'NSCocoaErrorDomain Code=640'", arguments: [
        (CocoaError(.fileWriteOutOfSpace, userInfo: [NSFilePathErrorKey: "reports/runs/x/report.md"]) as Error,
         "reports/runs/x/report.md: no space left on the device"),
        (CocoaError(.fileWriteVolumeReadOnly, userInfo: [NSFilePathErrorKey: "out"]), "out: the file system is read-only"),
        (CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: "out"]), "out: permission denied"),
        (CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: "a.json"]), "a.json: no such file or folder"),
        (CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: "f", NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(ENOSPC))]),
         "f: no space left on the device"),
        (CocoaError(.propertyListReadCorrupt), "not valid JSON"),
        (POSIXError(.EROFS), "the file system is read-only"),
        (FileSystemError(path: "p", action: "cannot write", errno: EDQUOT), "p: cannot write: the disk quota is used up"),
        (InputError(file: "s.yaml", line: 3, field: "name", message: "bad\nsecond line\u{1B}[2J"), "s.yaml:3: field 'name': bad second line?[2J"),
    ])
    func messages(error: Error, message: String) {
        #expect(ErrorReport.message(for: error) == message)
    }

    @Test("errors Tapebench does not know are left to the command-line parser")
    func unknown() {
        struct Other: Error {}
        #expect(ErrorReport.message(for: Other()) == nil)
    }

    @Test("a message longer than 2 000 characters is cut")
    func bounded() {
        #expect(ErrorReport.oneLine(String(repeating: "x", count: 5_000)).count == 2_001)
    }
}
