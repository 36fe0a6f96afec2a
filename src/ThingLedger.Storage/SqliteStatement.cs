using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ThingLedger.Storage;

/// <summary>
/// One prepared statement on the writer connection, bound by position and run many times: the
/// hot inserts of a block and of an upload. Microsoft.Data.Sqlite looks every named parameter up
/// again on each execution, which cost as much as the insert itself for rows of many columns.
/// Runs inside whatever transaction the connection has open. Parameters are numbered from 1.
/// </summary>
public sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public SqliteStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
    }

    public SqliteStatement Bind(int index, long value)
    {
        Check(raw.sqlite3_bind_int64(_statement, index, value));
        return this;
    }

    public SqliteStatement Bind(int index, ReadOnlySpan<byte> value)
    {
        // An empty span would bind NULL; a column of bytes keeps an empty value as an empty blob.
        Check(value.IsEmpty ? raw.sqlite3_bind_zeroblob(_statement, index, 0) : raw.sqlite3_bind_blob(_statement, index, value));
        return this;
    }

    public SqliteStatement Bind(int index, string value)
    {
        Check(raw.sqlite3_bind_text(_statement, index, value));
        return this;
    }

    public SqliteStatement BindNull(int index)
    {
        Check(raw.sqlite3_bind_null(_statement, index));
        return this;
    }

    /// <summary>Runs the statement with the values bound so far (they stay bound for the next run).</summary>
    public void Execute()
    {
        var result = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (result != raw.SQLITE_DONE)
        {
            throw Error(result);
        }
    }

    /// <summary>Runs an INSERT and returns the new row's rowid (its INTEGER PRIMARY KEY).</summary>
    public long ExecuteInsert()
    {
        Execute();
        return raw.sqlite3_last_insert_rowid(_db);
    }

    /// <summary>Runs an INSERT OR IGNORE: the new row's rowid, or null when a constraint ignored the row.</summary>
    public long? ExecuteInsertIfNew()
    {
        Execute();
        return raw.sqlite3_changes(_db) == 0 ? null : raw.sqlite3_last_insert_rowid(_db);
    }

    public void Dispose() => _statement.Dispose();

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            throw Error(result);
        }
    }

    private SqliteException Error(int result) => new($"SQLite Error {result}: '{raw.sqlite3_errmsg(_db).utf8_to_string()}'.", result);
}
