import Testing
import TapebenchCore
import TapebenchData

@Suite struct EasternTimeTests {
    @Test("daylight time starts the second Sunday of March and ends the first Sunday of November (2007 on)")
    func rule2007() {
        #expect(EasternTime.daylightDates(year: 2024) == (CivilDate(iso: "2024-03-10")!, CivilDate(iso: "2024-11-03")!))
        #expect(EasternTime.daylightDates(year: 2008) == (CivilDate(iso: "2008-03-09")!, CivilDate(iso: "2008-11-02")!))
        #expect(EasternTime.daylightDates(year: 2005) == (CivilDate(iso: "2005-04-03")!, CivilDate(iso: "2005-10-30")!))
    }

    @Test("09:30 local is 14:30 UTC in winter and 13:30 UTC in summer, across both 2024 changes")
    func openAcrossChanges() {
        #expect(EasternTime.instant(CivilDate(iso: "2024-03-08")!, hour: 9, minute: 30).iso8601 == "2024-03-08T14:30:00Z")
        #expect(EasternTime.instant(CivilDate(iso: "2024-03-11")!, hour: 9, minute: 30).iso8601 == "2024-03-11T13:30:00Z")
        #expect(EasternTime.instant(CivilDate(iso: "2024-11-01")!, hour: 9, minute: 30).iso8601 == "2024-11-01T13:30:00Z")
        #expect(EasternTime.instant(CivilDate(iso: "2024-11-04")!, hour: 9, minute: 30).iso8601 == "2024-11-04T14:30:00Z")
    }

    @Test("the offset changes at 02:00 local")
    func changeInstant() {
        // 2024-03-10 06:59:59Z is 01:59:59 EST; 07:00:00Z is 03:00 EDT.
        #expect(EasternTime.utcOffsetSeconds(at: Timestamp(seconds: 1_710_053_999)) == -5 * 3600)
        #expect(EasternTime.utcOffsetSeconds(at: Timestamp(seconds: 1_710_054_000)) == -4 * 3600)
    }

    @Test("local date and time of an instant")
    func local() {
        let (date, second) = EasternTime.local(Timestamp(milliseconds: 1_381_152_600_000))  // 2013-10-07T13:30Z
        #expect(date == CivilDate(iso: "2013-10-07"))
        #expect(second == 9 * 3600 + 30 * 60)
    }
}

@Suite struct ExchangeCalendarTests {
    let calendar = ExchangeCalendar.nyse

    @Test("NYSE full holidays of 2024", arguments: [
        "2024-01-01", "2024-01-15", "2024-02-19", "2024-03-29", "2024-05-27", "2024-06-19", "2024-07-04",
        "2024-09-02", "2024-11-28", "2024-12-25",
    ])
    func holidays2024(date: String) {
        #expect(calendar.isHoliday(CivilDate(iso: date)!))
        #expect(!calendar.isTradingDay(CivilDate(iso: date)!))
    }

    @Test("observed holidays move off weekends; New Year on a Saturday is not moved")
    func observed() {
        #expect(calendar.isHoliday(CivilDate(iso: "2021-07-05")!))   // July 4 was a Sunday
        #expect(calendar.isHoliday(CivilDate(iso: "2026-07-03")!))   // July 4 is a Saturday
        #expect(calendar.isHoliday(CivilDate(iso: "2022-12-26")!))   // Christmas was a Sunday
        #expect(calendar.isTradingDay(CivilDate(iso: "2021-12-31")!))  // New Year 2022 was a Saturday
        #expect(calendar.isHoliday(CivilDate(iso: "2023-01-02")!))   // New Year 2023 was a Sunday
        #expect(calendar.isHoliday(CivilDate(iso: "2018-12-05")!))   // national day of mourning
        #expect(!calendar.isHoliday(CivilDate(iso: "2021-06-18")!))  // before Juneteenth was a market holiday
    }

    @Test("early closes at 13:00")
    func earlyCloses() {
        for date in ["2015-12-24", "2024-07-03", "2024-11-29", "2024-12-24", "2013-07-03"] {
            #expect(calendar.isEarlyClose(CivilDate(iso: date)!), "\(date)")
        }
        #expect(!calendar.isEarlyClose(CivilDate(iso: "2024-07-05")!))
        let session = calendar.regularSession(on: CivilDate(iso: "2015-12-24")!)!
        #expect(session.close.iso8601 == "2015-12-24T18:00:00Z")
    }

    @Test("before 2013 a Thursday Independence Day put the early close on Friday July 5, not Wednesday July 3")
    func independenceDayEveBefore2013() {
        // July 4 2002 and 2019 were Thursdays; NYSE moved the half day to the eve in 2013.
        #expect(calendar.isEarlyClose(CivilDate(iso: "2002-07-05")!))
        #expect(!calendar.isEarlyClose(CivilDate(iso: "2002-07-03")!))
        #expect(calendar.isEarlyClose(CivilDate(iso: "2019-07-03")!))
        #expect(!calendar.isEarlyClose(CivilDate(iso: "2019-07-05")!))
        #expect(calendar.regularSession(on: CivilDate(iso: "2002-07-05")!)!.close.iso8601 == "2002-07-05T17:00:00Z")
        #expect(calendar.regularSession(on: CivilDate(iso: "2002-07-03")!)!.close.iso8601 == "2002-07-03T20:00:00Z")
    }

    @Test("the one-off early closes 1999-12-31 and 2003-12-26; other Fridays after a Thursday Christmas are full days")
    func oneOffEarlyCloses() {
        #expect(calendar.isEarlyClose(CivilDate(iso: "1999-12-31")!))
        #expect(calendar.isEarlyClose(CivilDate(iso: "2003-12-26")!))
        for date in ["2008-12-26", "2014-12-26", "2025-12-26", "2004-12-31", "2010-12-31"] {
            #expect(!calendar.isEarlyClose(CivilDate(iso: date)!), "\(date)")
        }
    }

    @Test("regular hours are [09:30, close) local")
    func regularHours() {
        let open = EasternTime.instant(CivilDate(iso: "2024-03-11")!, hour: 9, minute: 30)
        #expect(calendar.isRegularHours(open))
        #expect(!calendar.isRegularHours(open.adding(minutes: -1)))
        #expect(calendar.isRegularHours(open.adding(minutes: 389)))   // 15:59
        #expect(!calendar.isRegularHours(open.adding(minutes: 390)))  // 16:00
        let christmasEve = EasternTime.instant(CivilDate(iso: "2015-12-24")!, hour: 13, minute: 0)
        #expect(!calendar.isRegularHours(christmasEve))
        #expect(!calendar.isRegularHours(EasternTime.instant(CivilDate(iso: "2024-03-09")!, hour: 10, minute: 0)))  // Saturday
    }

    @Test("trading days skip weekends and holidays")
    func tradingDays() {
        let days = calendar.tradingDays(from: CivilDate(iso: "2024-03-27")!, count: 4)
        #expect(days.map(\.description) == ["2024-03-27", "2024-03-28", "2024-04-01", "2024-04-02"])
    }
}

@Suite struct CalendarCoverageTests {
    let calendar = ExchangeCalendar.nyse

    @Test("NYSE holidays of 2025 and 2026, as the exchange published them", arguments: [
        "2025-01-01", "2025-01-09", "2025-01-20", "2025-02-17", "2025-04-18", "2025-05-26", "2025-06-19", "2025-07-04",
        "2025-09-01", "2025-11-27", "2025-12-25",
        "2026-01-01", "2026-01-19", "2026-02-16", "2026-04-03", "2026-05-25", "2026-06-19", "2026-07-03", "2026-09-07",
        "2026-11-26", "2026-12-25",
    ])
    func published(date: String) {
        #expect(calendar.isHoliday(CivilDate(iso: date)!))
    }

    @Test("early closes of 2025 and 2026")
    func earlyCloses() {
        for date in ["2025-07-03", "2025-11-28", "2025-12-24", "2026-11-27", "2026-12-24"] {
            #expect(calendar.isEarlyClose(CivilDate(iso: date)!), "\(date)")
        }
        #expect(!calendar.isEarlyClose(CivilDate(iso: "2026-07-02")!))
    }

    @Test("every year 2015–2030 has 9 or 10 rule holidays on weekdays and about 252 trading days")
    func years() {
        for year in 2015...2030 {
            let days = (0..<366).map { CivilDate(year: year, month: 1, day: 1).adding(days: Int64($0)) }.filter { $0.year == year }
            let trading = days.filter(calendar.isTradingDay).count
            #expect((250...253).contains(trading), "\(year): \(trading) trading days")
        }
    }

    @Test("dates in file names")
    func fileNameDates() {
        #expect(FileNameDate.find("20140605_aapl_minute_trade.csv") == CivilDate(iso: "2014-06-05"))
        #expect(FileNameDate.find("data/SPY_2013-10-07.csv") == CivilDate(iso: "2013-10-07"))
        #expect(FileNameDate.find("T00001.csv") == nil)
    }
}
