// Tapebench — SQLite's sorter memory, set before SQLite starts. In C because `sqlite3_config` is a variadic
// function, which Swift does not import, and because it is read only when SQLite initializes (at the first
// connection): a constructor runs when the program loads, before any code opens a database.
#include "CSQLiteSorter.h"

#include <sqlite3.h>

/// 64 pages: 1 MB at run.sqlite's 16 KB pages (SQLite's default, 250 pages, is 4 MB there).
static const unsigned int sorter_pages = 64;
static int sorter_status = -1;

__attribute__((constructor)) static void tapebench_limit_sqlite_sorter(void) {
    sorter_status = sqlite3_config(SQLITE_CONFIG_PMASZ, sorter_pages);
}

unsigned int tapebench_sqlite_sorter_pages(void) { return sorter_pages; }

int tapebench_sqlite_sorter_status(void) { return sorter_status; }
