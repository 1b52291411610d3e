package sqlite

// SQLite's result codes that errors.go tells apart (https://sqlite.org/rescode.html).
// They are SQLite's, not a driver's: each driver's file (driver_*.go) only says how to
// read the extended code out of its error (errCode). TestCodes checks them.
const (
	sqliteAbort     = 4
	sqliteBusy      = 5
	sqliteLocked    = 6
	sqliteNoMem     = 7
	sqliteReadOnly  = 8
	sqliteInterrupt = 9
	sqliteIOErr     = 10
	sqliteCorrupt   = 11
	sqliteFull      = 13
	sqliteCantOpen  = 14
	sqliteProtocol  = 15
	sqliteNotADB    = 26

	sqliteIOErrNoMem           = sqliteIOErr | 12<<8
	sqliteIOErrShmSize         = sqliteIOErr | 19<<8
	sqliteConstraintPrimaryKey = 19 | 6<<8
	sqliteConstraintUnique     = 19 | 8<<8
)
