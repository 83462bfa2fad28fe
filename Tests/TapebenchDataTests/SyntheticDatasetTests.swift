import Foundation
import Testing
import TapebenchCore
import TapebenchData

@Suite struct SyntheticDatasetTests {
    @Test("the same arguments write the same bytes")
    func deterministic() throws {
        let a = try temporaryFolder("a"), b = try temporaryFolder("b")
        let dataset = SyntheticDataset(tickers: ["AAA", "BBB"], start: CivilDate(iso: "2024-03-07")!, days: 3, seed: 11)
        let first = try dataset.write(to: a), second = try dataset.write(to: b)
        #expect(first.count == 3)
        for (x, y) in zip(first, second) {
            #expect(FileManager.default.contents(atPath: x) == FileManager.default.contents(atPath: y))
        }
    }

    @Test("days are trading days across DST; regular hours have U-shaped volume and a few gaps; prices in cents")
    func shape() throws {
        let folder = try temporaryFolder()
        // 2024-03-07 … 2024-03-12 crosses the 2024-03-10 change; 3 trading days is Thu, Fri, Mon.
        let dataset = SyntheticDataset(tickers: ["AAA"], start: CivilDate(iso: "2024-03-07")!, days: 3, seed: 11)
        try dataset.write(to: folder)
        let data = try Dataset(paths: [folder])
        #expect(data.flatFiles.map { ($0 as NSString).lastPathComponent } == ["2024-03-07.csv.gz", "2024-03-08.csv.gz", "2024-03-11.csv.gz"])
        var stream = try data.bars(DataSelection())
        var bars: [Bar] = []
        while let bar = try stream.next() { bars.append(bar) }
        let calendar = ExchangeCalendar.nyse
        let regular = bars.filter { calendar.isRegularHours($0.start) }
        #expect(regular.count < 3 * 390 && regular.count > 3 * 380)  // a few minutes missing
        #expect(bars.count > regular.count)  // some extended-hours bars
        for day in ["2024-03-08", "2024-03-11"] {
            let first = regular.first { EasternTime.local($0.start).date.description == day }!
            let (_, second) = EasternTime.local(first.start)
            #expect(second <= 9 * 3600 + 32 * 60)
        }
        // U shape: the first and last half hours trade more than the middle of the day.
        func volume(_ from: Int64, _ to: Int64) -> Double {
            regular.filter { let s = EasternTime.local($0.start).secondOfDay; return s >= from * 60 && s < to * 60 }.map(\.volume).reduce(0, +)
        }
        #expect(volume(570, 600) > volume(750, 780) * 2)
        #expect(volume(930, 960) > volume(750, 780) * 2)
        #expect(bars.allSatisfy { $0.low <= min($0.open, $0.close) && $0.high >= max($0.open, $0.close) })
        #expect(bars.allSatisfy { $0.close.raw % 1_000_000 == 0 })
    }
}
