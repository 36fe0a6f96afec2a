using Microsoft.Data.Sqlite;

namespace ThingLedger.Storage.Tests;

public sealed class SqliteStatementTests : IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public SqliteStatementTests()
    {
        SQLitePCL.Batteries_V2.Init();
        _connection.Open();
        using var create = _connection.CreateCommand();
        create.CommandText = "CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER, b BLOB NOT NULL)";
        create.ExecuteNonQuery();
    }

    public void Dispose() => _connection.Dispose();

    [Fact]
    public void Values_bound_by_position_are_stored_as_given_and_an_empty_blob_stays_empty()
    {
        using (var insert = new SqliteStatement(_connection, "INSERT INTO t (k, n, b) VALUES (?1, ?2, ?3)"))
        {
            insert.Bind(1, "a").Bind(2, long.MinValue).Bind(3, new byte[] { 1, 2, 3 }).Execute();
            insert.Bind(1, "b").BindNull(2).Bind(3, ReadOnlySpan<byte>.Empty).Execute();
        }
        using var read = _connection.CreateCommand();
        read.CommandText = "SELECT k, n, b, typeof(b) FROM t ORDER BY k";
        using var reader = read.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(("a", long.MinValue, "010203"), (reader.GetString(0), reader.GetInt64(1), Convert.ToHexString((byte[])reader.GetValue(2))));
        Assert.True(reader.Read());
        Assert.True(reader.IsDBNull(1));
        Assert.Equal(("blob", 0), (reader.GetString(3), ((byte[])reader.GetValue(2)).Length));
    }

    [Fact]
    public void A_failing_statement_throws_with_SQLites_message_and_leaves_the_statement_usable()
    {
        using var insert = new SqliteStatement(_connection, "INSERT INTO t (k, n, b) VALUES (?1, ?2, ?3)");
        insert.Bind(1, "a").Bind(2, 1).Bind(3, new byte[] { 1 }).Execute();
        var error = Assert.Throws<SqliteException>(insert.Execute);
        Assert.Contains("UNIQUE constraint failed: t.k", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, insert.Bind(1, "b").ExecuteInsert());
        Assert.Throws<SqliteException>(() => new SqliteStatement(_connection, "INSERT INTO missing VALUES (1)"));
    }
}
