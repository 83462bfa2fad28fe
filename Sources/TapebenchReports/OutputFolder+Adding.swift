import Foundation
import TapebenchCore

extension OutputFolder {
    /// For commands that add files into a folder instead of replacing it (`data convert --to`,
    /// `dataset synth --out`: a later conversion adds days beside earlier ones). The folder must be new,
    /// empty, or marked as Tapebench's by an earlier such command; it is created and marked before
    /// anything is written into it. A folder holding anything else (a vendor's flat files of the same
    /// names, say) is refused with one line, and nothing is touched.
    public static func prepareForAdding(_ path: String) throws {
        let folder = try OutputFolder(path: path)
        var kind = try FileSystem.kind(folder.path)
        if kind == .link && FileManager.default.isFolder(folder.path) { kind = .folder }
        switch kind {
        case .missing:
            try FileSystem.makeFolders(folder.path)
        case .folder:
            let entries = try FileSystem.entries(folder.path).filter { !ignorable.contains($0) }
            if let first = entries.first, !entries.contains(markerName) {
                throw ForeignOutputError(path: folder.path, reason: "holds \(SafeName.quoted(first)) and no \(markerName) marker, so Tapebench did not write it")
            }
        case .file, .link, .other:
            throw ForeignOutputError(path: folder.path, reason: "is not a folder")
        }
        let marker = folder.path + "/" + markerName
        if try FileSystem.kind(marker) == .missing { try FileSystem.writeNewFile(marker, markerText) }
    }
}
