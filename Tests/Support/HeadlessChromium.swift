import Foundation

/// Headless Chromium for tests that render a page (report.html, the dashboard): a screenshot, the DOM after
/// scripts ran, and facts about the screenshot's pixels (`Tests/Python/png/png_stats.py`, standard library
/// only). `.ci/setup` installs `chromium-headless-shell`; where no Chromium is found the outcome says so and
/// the test cancels itself with that reason (counted as skipped), never passes silently.
public struct HeadlessChromium: Sendable {
    /// The browser's path.
    public let executable: String

    /// Names tried on PATH, smallest first.
    static let candidates = ["chromium-headless-shell", "chromium", "chromium-browser", "google-chrome", "headless_shell"]

    /// The first Chromium on PATH, or the reason there is none.
    public static func find() -> Result<HeadlessChromium, Unavailable> {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for name in candidates {
            for folder in path.split(separator: ":") {
                let candidate = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return .success(HeadlessChromium(executable: candidate)) }
            }
        }
        return .failure(Unavailable(reason: "no headless Chromium on PATH (tried \(candidates.joined(separator: ", "))); "
            + "`bash .ci/setup` installs chromium-headless-shell"))
    }

    public struct Unavailable: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Pixel facts of a screenshot (see png_stats.py).
    public struct PNGStats: Decodable, Sendable {
        public let width: Int
        public let height: Int
        public let background: String
        /// The share of pixels that differ from the most common colour.
        public let nonBackgroundShare: Double
        /// Distinct colours, capped at 4096: text alone gives greys, charts add their series' colours.
        public let distinctColours: Int
        /// The non-background share per band of 100 rows, top to bottom.
        public let bandsOf100Rows: [Double]

        enum CodingKeys: String, CodingKey {
            case width, height, background
            case nonBackgroundShare = "non_background_share"
            case distinctColours = "distinct_colours"
            case bandsOf100Rows = "bands_of_100_rows"
        }
    }

    /// Renders `page` (a file: or http: URL) at `width`×`height` CSS pixels into `png`.
    /// `budgetMilliseconds` lets the page's scripts run before the picture is taken.
    public func screenshot(_ page: URL, to png: URL, width: Int = 1280, height: Int = 2000, budgetMilliseconds: Int = 2000) throws {
        try? FileManager.default.removeItem(at: png)
        let output = try run(executable, Self.flags + [
            "--window-size=\(width),\(height)", "--virtual-time-budget=\(budgetMilliseconds)",
            "--screenshot=\(png.path)", page.absoluteString,
        ])
        guard FileManager.default.fileExists(atPath: png.path) else {
            throw Failure(description: "Chromium wrote no screenshot of \(page.absoluteString):\n\(output.suffix(2000))")
        }
    }

    /// The page's DOM as serialised after its scripts ran.
    public func dumpDOM(_ page: URL, budgetMilliseconds: Int = 2000) throws -> String {
        try run(executable, Self.flags + ["--virtual-time-budget=\(budgetMilliseconds)", "--dump-dom", page.absoluteString], stdoutOnly: true)
    }

    /// Pixel facts of a PNG, or the reason they cannot be had (no python3).
    public static func stats(of png: URL) throws -> Result<PNGStats, Unavailable> {
        let script = PythonEnvironment.packageRoot.appendingPathComponent("Tests/Python/png/png_stats.py").path
        guard let python = ["/usr/bin/python3", "/usr/local/bin/python3", "/bin/python3"].first(where: FileManager.default.isExecutableFile) else {
            return .failure(Unavailable(reason: "no python3 to read the screenshot's pixels"))
        }
        let json = try HeadlessChromium(executable: python).run(python, [script, png.path], stdoutOnly: true)
        return .success(try JSONDecoder().decode(PNGStats.self, from: Data(json.utf8)))
    }

    /// Root in a container has no user namespace for Chromium's sandbox; the page is our own file.
    static let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                        "--disable-extensions", "--disable-background-networking", "--mute-audio"]

    /// Runs a program to its end; output goes through files (a DOM can exceed a pipe's buffer).
    func run(_ program: String, _ arguments: [String], stdoutOnly: Bool = false) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tapebench-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("stdout"), errURL = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        defer { try? out.close(); try? err.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        // Its own profile folder: two tests at once must not share Chromium's profile lock.
        process.arguments = arguments + (program == executable && program.contains("chrom") ? ["--user-data-dir=\(folder.path)/profile"] : [])
        process.currentDirectoryURL = folder
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        let stdout = String(decoding: try Data(contentsOf: outURL), as: UTF8.self)
        let stderr = String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw Failure(description: "\(program) \(arguments.joined(separator: " ")): exit \(process.terminationStatus)\n\(stderr.suffix(2000))")
        }
        return stdoutOnly ? stdout : stdout + stderr
    }
}
