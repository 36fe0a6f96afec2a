using Microsoft.Data.Sqlite;

namespace ThingLedger.Tests.Shared;

/// <summary>Damages a SQLite file as a bad sector would, for the tests of what a node does with it.</summary>
internal static class DamagedFile
{
    /// <summary>Overwrites part of the root page of a table or index with garbage (after a checkpoint, so the page is in the main file).</summary>
    public static void DamagePage(string path, string tableOrIndex)
    {
        long root;
        long pageSize;
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using (var checkpoint = connection.CreateCommand())
            {
                checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
                checkpoint.ExecuteNonQuery();
            }
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT rootpage FROM sqlite_master WHERE name = $n";
            cmd.Parameters.AddWithValue("$n", tableOrIndex);
            root = (long)cmd.ExecuteScalar()!;
            cmd.CommandText = "PRAGMA page_size";
            pageSize = (long)cmd.ExecuteScalar()!;
        }
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        file.Seek((root - 1) * pageSize, SeekOrigin.Begin);
        file.Write(Enumerable.Repeat(new byte[] { 0xde, 0xad, 0xbe, 0xef }, 64).SelectMany(b => b).ToArray());
        file.Flush(flushToDisk: true);
    }
}
