/// Paper mode's own tables, beside the run database's (docs/paper-mode.md): the checkpoint (the last
/// committed minute) and every bar replayed (what a restart replays to rebuild the lanes). Prices are the
/// bars' fixed-point raw values (units of 1e-8), so a rebuilt lane sees exactly the bars the first run saw.
enum PaperSchema {
    static let tables = """
        CREATE TABLE paper_checkpoint (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            scenario_sha256 TEXT NOT NULL,
            source TEXT NOT NULL,
            minute TEXT,
            minute_ns INTEGER,
            minutes INTEGER NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('running', 'finished')),
            delayed INTEGER NOT NULL
        );
        CREATE TABLE paper_bars (
            ticker TEXT NOT NULL,
            start INTEGER NOT NULL,
            open INTEGER NOT NULL,
            high INTEGER NOT NULL,
            low INTEGER NOT NULL,
            close INTEGER NOT NULL,
            volume REAL NOT NULL,
            vwap INTEGER,
            transactions INTEGER,
            minute INTEGER NOT NULL
        );
        """
}
