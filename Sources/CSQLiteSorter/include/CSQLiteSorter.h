// Tapebench — how much memory SQLite's sorter may hold (see TapebenchStore/SQLiteSorter.swift).
#ifndef C_SQLITE_SORTER_H
#define C_SQLITE_SORTER_H

/// The pages of data SQLite's sorter (CREATE INDEX, ORDER BY) keeps in memory before it writes a sorted run
/// to a temporary file, as set when this library was loaded: `sqlite3_config(SQLITE_CONFIG_PMASZ, …)`.
unsigned int tapebench_sqlite_sorter_pages(void);

/// SQLite's answer to that `sqlite3_config` call: 0 (SQLITE_OK) when it took effect; SQLITE_MISUSE (21) when
/// SQLite had been initialized before this library was loaded, and its default (250 pages) stands.
int tapebench_sqlite_sorter_status(void);

#endif
