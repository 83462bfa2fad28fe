import Testing
@testable import TapebenchCLI

@Suite("Command suggestions")
struct CommandSuggestionTests {
    @Test("edit distance: insertions, deletions, substitutions, and a swap of neighbours counts once")
    func distance() {
        #expect(CommandSuggestion.editDistance("rnu", "run") == 1)
        #expect(CommandSuggestion.editDistance("chek", "check") == 1)
        #expect(CommandSuggestion.editDistance("", "diff") == 4)
        #expect(CommandSuggestion.editDistance("sweep", "sweep") == 0)
        #expect(CommandSuggestion.editDistance("graduat", "graduate") == 1)
        #expect(CommandSuggestion.editDistance("kitten", "sitting") == 3)
    }

    @Test("the closest name when it is a typo, a unique prefix, nothing for another word")
    func closest() {
        let names = ["run", "check", "diff", "sweep", "graduate", "data", "dataset", "bench"]
        #expect(CommandSuggestion.closest(to: "rnu", among: names) == "run")
        #expect(CommandSuggestion.closest(to: "grad", among: names) == "graduate")
        #expect(CommandSuggestion.closest(to: "swep", among: names) == "sweep")
        #expect(CommandSuggestion.closest(to: "banana", among: names) == nil)
    }

    @Test("known words, options and a command's own arguments are left to the parser")
    func known() {
        #expect(CommandSuggestion.problem(in: ["run", "scenarios/x.yaml"], root: Tapebench.self) == nil)
        #expect(CommandSuggestion.problem(in: ["--version"], root: Tapebench.self) == nil)
        #expect(CommandSuggestion.problem(in: ["data", "inspect", "anything"], root: Tapebench.self) == nil)
        #expect(CommandSuggestion.problem(in: [], root: Tapebench.self) == nil)
        #expect(CommandSuggestion.path(of: DataCommand.Inspect.self, root: Tapebench.self) == "tapebench data inspect")
    }
}
