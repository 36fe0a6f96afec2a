using Microsoft.Data.Sqlite;

namespace ThingLedger.Storage;

/// <summary>
/// How both stores open and label their SQLite files: WAL with synchronous=FULL (a commit is on
/// disk when it returns), a 64 MiB page cache that keeps index pages of busy tables in memory,
/// and checkpoints every ~40 MiB of WAL instead of every 4 MiB, which keeps their fsyncs out of
/// most commits. A meta table names the format and the chain so no file is mistaken for another.
/// </summary>
internal static class SqliteFile
{
    static SqliteFile() => SQLitePCL.Batteries_V2.Init();

    /// <summary>Opens (creating when absent) the writer connection and applies <paramref name="schema"/>.</summary>
    public static (SqliteConnection Writer, string ConnectionString) Open(string directory, string fileName, string schema, string what)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, fileName);
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true };
        var writer = new SqliteConnection(builder.ToString());
        try
        {
            writer.Open();
            Execute(writer, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000; " +
                "PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=10000; PRAGMA temp_store=MEMORY;");
            Execute(writer, schema);
        }
        catch (SqliteException e)
        {
            writer.Dispose();
            throw new StorageException($"{path} is not a usable {what}: {e.Message}", e);
        }
        return (writer, builder.ToString());
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
