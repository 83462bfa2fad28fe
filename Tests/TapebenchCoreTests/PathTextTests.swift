import Testing
import TapebenchCore

@Suite struct PathTextTests {
    @Test("split, folder and last component, including the one-character paths Foundation traps on", arguments: [
        ("a", "", "a"), ("/a", "/", "a"), ("x/a", "x", "a"), ("scenarios/default.yaml", "scenarios", "default.yaml"),
        ("a/b/", "a", "b"), ("/", "", "/"), ("", "", ""), ("../d/e.csv", "../d", "e.csv"),
    ])
    func split(path: String, folder: String, name: String) {
        #expect(PathText.split(path) == (folder, name))
        #expect(PathText.folder(path) == folder)
        #expect(PathText.lastComponent(path) == name)
    }

    @Test("a relative path resolves inside the scenario's folder; an absolute one, or no folder, leaves it")
    func resolve() {
        #expect(PathText.resolve("../datasets/default", in: "scenarios") == "scenarios/../datasets/default")
        #expect(PathText.resolve("data", in: "") == "data")
        #expect(PathText.resolve("/abs/data", in: "scenarios") == "/abs/data")
        #expect(PathText.resolve("2024-03-11.csv.gz", in: "/tmp/tapebench-bench/data/") == "/tmp/tapebench-bench/data/2024-03-11.csv.gz")
        #expect(PathText.resolve("größe.csv", in: "/tmp/tapebench-bench/data") == "/tmp/tapebench-bench/data/größe.csv")
        #expect(PathText.resolve("b", in: "a") == "a/b")
        #expect(PathText.resolve("d", in: "/") == "/d")
    }

    @Test("the stem drops the last extension only; a hidden name keeps its dot")
    func stem() {
        #expect(PathText.stem("scenarios/default.yaml") == "default")
        #expect(PathText.stem("a.b.yaml") == "a.b")
        #expect(PathText.stem(".hidden") == ".hidden")
        #expect(PathText.stem("a") == "a")
    }
}
