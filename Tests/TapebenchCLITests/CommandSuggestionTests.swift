import Testing
@testable import TapebenchCLI
import TapebenchCore
import TapebenchEngine

@Suite("Command suggestions")
struct CommandSuggestionTests {
    @Test("edit distance: insertions, deletions, substitutions, and a swap of neighbours counts once")
    func distance() {
        #expect(NameSuggestion.editDistance("rnu", "run") == 1)
        #expect(NameSuggestion.editDistance("chek", "check") == 1)
        #expect(NameSuggestion.editDistance("", "diff") == 4)
        #expect(NameSuggestion.editDistance("sweep", "sweep") == 0)
        #expect(NameSuggestion.editDistance("graduat", "graduate") == 1)
        #expect(NameSuggestion.editDistance("kitten", "sitting") == 3)
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

@Suite("Progress line")
struct ProgressLineTests {
    @Test("bars, rate and date; with the scenario's period, the share done and the time left")
    func line() {
        let time = Timestamp(seconds: CivilDate(year: 2024, month: 3, day: 16).daysSinceEpoch * 86_400 + 15 * 3_600)
        let step = ReplayProgress(bars: 1_200_000, time: time)
        // 2024-03-01 to 2024-03-30: 30 days; 2024-03-16T15:00Z is 15.625 days in.
        let from = CivilDate(year: 2024, month: 3, day: 1), to = CivilDate(year: 2024, month: 3, day: 30)
        #expect(OutputOptions.progressLine(step, seconds: 3, from: from, to: to)
            == "  1200000 bars replayed, 400000 bars/s, at 2024-03-16, 52 %, about 3 s left")
        #expect(OutputOptions.progressLine(step, seconds: 3, from: nil, to: to) == "  1200000 bars replayed, 400000 bars/s, at 2024-03-16")
        // Before a second has passed, no guess at the time left.
        #expect(OutputOptions.progressLine(step, seconds: 0.5, from: from, to: to) == "  1200000 bars replayed, 2400000 bars/s, at 2024-03-16, 52 %")
    }
}
