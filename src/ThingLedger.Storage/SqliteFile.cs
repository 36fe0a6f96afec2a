using Microsoft.Data.Sqlite;

namespace ThingLedger.Storage;

/// <summary>
/// How both stores open and label their SQLite files: WAL with synchronous=FULL (a commit is on
/// disk when it returns), a 64 MiB page cache that keeps index pages of busy tables in memory,
/// and checkpoints every ~40 MiB of WAL instead of every 4 MiB, which keeps their fsyncs out of
/// most commits. A meta table names the format and the chain so no file is mistaken for another.
/// </summary>
public static class SqliteFile
{
    static SqliteFile() => SQLitePCL.Batteries_V2.Init();

    /// <summary>
    /// Opens (creating when absent) the writer connection and applies <paramref name="schema"/>. A
    /// file that is not <paramref name="durable"/> holds only what can be rebuilt (an index of the
    /// blocks): it commits with synchronous=NORMAL, so a power cut may lose its last commits, never
    /// its consistency.
    /// </summary>
    public static (SqliteConnection Writer, string ConnectionString) Open(string directory, string fileName, string schema, string what, bool durable = true)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, fileName);
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true };
        var writer = new SqliteConnection(builder.ToString());
        try
        {
            writer.Open();
            Execute(writer, $"PRAGMA journal_mode=WAL; PRAGMA synchronous={(durable ? "FULL" : "NORMAL")}; PRAGMA busy_timeout=5000; " +
                "PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=10000; PRAGMA temp_store=MEMORY;");
            CheckIntegrity(writer, path, directory);
            Execute(writer, schema);
        }
        catch (SqliteException e)
        {
            writer.Dispose();
            // A file that is not SQLite at all (SQLITE_NOTADB) is not ours to repair; a damaged one is.
            throw e.SqliteErrorCode == SqliteCodes.Corrupt
                ? Damaged(path, directory, e.Message, e)
                : new StorageException($"{path} is not a usable {what}: {e.Message}", e);
        }
        catch
        {
            writer.Dispose();
            throw;
        }
        return (writer, builder.ToString());
    }

    /// <summary>
    /// SQLite's quick check (every page and index entry well formed, no cross-checking of index
    /// contents against tables): a damaged file is refused before anything is served from it or
    /// written into it, with the command that repairs it.
    /// </summary>
    private static void CheckIntegrity(SqliteConnection connection, string path, string directory)
    {
        var problems = new List<string>();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "PRAGMA quick_check(5)";
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                problems.Add(reader.GetString(0));
            }
        }
        if (problems is not ["ok"])
        {
            throw Damaged(path, directory, string.Join("; ", problems), null);
        }
    }

    private static StorageCorruptException Damaged(string path, string directory, string problem, Exception? inner) =>
        new($"{path} is damaged ({problem}); nothing was served or changed. Repair it with `thingledger node repair --data {directory}`", inner);

    /// <summary>
    /// Runs <paramref name="write"/> in one transaction opened and closed with SQL
    /// (<c>BEGIN IMMEDIATE</c> … <c>COMMIT</c>), all of it or none. On failure it rolls back
    /// without hiding why it failed: on some errors (SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM) SQLite
    /// has rolled the transaction back by itself, and the ROLLBACK then fails with "cannot rollback
    /// - no transaction is active"; that second error is not the story. The connection is usable
    /// again afterwards, so the same write can be tried again (transactions opened through the
    /// ADO.NET wrapper stay open in the wrapper when that rollback fails, and every later write is
    /// then refused as "nested").
    /// </summary>
    public static void InTransaction(SqliteConnection connection, Action write)
    {
        Execute(connection, "BEGIN IMMEDIATE");
        try
        {
            write();
            Execute(connection, "COMMIT");
        }
        catch
        {
            try
            {
                Execute(connection, "ROLLBACK");
            }
            catch (SqliteException)
            {
                // Already rolled back by SQLite.
            }
            throw;
        }
    }

    public static Dictionary<string, string> ReadMeta(SqliteConnection connection)
    {
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT key, value FROM meta";
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            meta[reader.GetString(0)] = reader.GetString(1);
        }
        return meta;
    }

    public static void WriteMeta(SqliteConnection connection, params (string Key, string Value)[] entries)
    {
        using var tx = connection.BeginTransaction();
        foreach (var (key, value) in entries)
        {
            using var insert = connection.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = "INSERT INTO meta (key, value) VALUES ($k, $v)";
            insert.Parameters.AddWithValue("$k", key);
            insert.Parameters.AddWithValue("$v", value);
            insert.ExecuteNonQuery();
        }
        tx.Commit();
    }

    /// <summary>Runs a read on its own pooled connection (readers never wait for the writer in WAL mode) and maps each row.</summary>
    public static List<T> Query<T>(string connectionString, string sql, Func<SqliteDataReader, T> read, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value);
        }
        using var reader = cmd.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }
        return rows;
    }

    public static long Scalar(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
