import CSQLiteSorter

/// How much memory SQLite's sorter holds. It sorted each lane's rows for its indexes when the lane ended, until the
/// lanes made their indexes before their first row (`LaneStore`); it still sorts for a query or an index made over
/// rows already written: it keeps keys in memory up to a limit, then writes them out as a sorted run to a temporary
/// file and merges the runs. SQLite's default limit, 250 pages, is 4 MB at run.sqlite's 16 KB pages and was reached
/// only by large runs (500 tickers: 241 k signals against 15 k with 50), so a run's peak memory grew with its data:
/// 500 instead of 50 tickers added 2.3 MB at the very end of the run. `pages` caps it at 1 MB; a run's files are the
/// same bytes. Set by the CSQLiteSorter target when the program loads, before any connection opens (SQLite reads it
/// once, when it starts), for every connection of the process.
public enum SQLiteSorter {
    /// The pages of keys the sorter keeps in memory (`SQLITE_CONFIG_PMASZ`).
    public static var pages: Int { Int(tapebench_sqlite_sorter_pages()) }

    /// Whether the limit is in force: false only when SQLite had started before Tapebench's code was loaded
    /// (a program that opened a database in a library loaded earlier), which leaves SQLite's default.
    public static var isLimited: Bool { tapebench_sqlite_sorter_status() == 0 }
}
