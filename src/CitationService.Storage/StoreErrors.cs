using System.Data.Common;
using Microsoft.Data.Sqlite;
using static SQLitePCL.raw;

namespace CitationService.Storage;

/// <summary>What a store failure means to a caller, whatever the engine behind the store.</summary>
public static class StoreErrors
{
    /// <summary>
    /// True when <paramref name="exception"/> says the database is busy, locked, or cannot be opened, read or
    /// written for now: the call may succeed later. Engines that report this through
    /// <see cref="DbException.IsTransient"/> (Npgsql does) need nothing here; Microsoft.Data.Sqlite leaves it
    /// false, so SQLite's primary result codes are read.
    /// </summary>
    public static bool IsUnavailable(Exception exception) =>
        exception is DbException { IsTransient: true }
            or SqliteException { SqliteErrorCode: SQLITE_BUSY or SQLITE_LOCKED or SQLITE_CANTOPEN or SQLITE_IOERR or SQLITE_FULL };
}
