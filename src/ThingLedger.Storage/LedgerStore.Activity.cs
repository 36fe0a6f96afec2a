using System.Buffers;
using Microsoft.Data.Sqlite;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Ledger;

namespace ThingLedger.Storage;

/// <summary>The activity index: writing a block's rows, indexing older blocks, and paging a topic's txs.</summary>
public sealed partial class LedgerStore
{
    /// <summary>
    /// Writes block <paramref name="height"/>'s activity rows (one per topic its receipts' events
    /// name, with the positions of those txs), replacing any the block already had.
    /// </summary>
    private void WriteActivity(ulong height, IReadOnlyList<Receipt> receipts)
    {
        var byTopic = new Dictionary<byte[], List<int>>(TopicComparer.Instance);
        var topics = new List<byte[]>(4);
        for (var n = 0; n < receipts.Count; n++)
        {
            ActivityTopics.Collect(receipts[n], _events, topics);
            foreach (var topic in topics)
            {
                if (!byTopic.TryGetValue(topic, out var positions))
                {
                    byTopic[topic] = positions = [];
                }
                positions.Add(n);
            }
        }
        if (byTopic.Count == 0)
        {
            return;
        }
        // In key order, so the rows go into the index's pages in order.
        var ordered = new byte[byTopic.Count][];
        byTopic.Keys.CopyTo(ordered, 0);
        Array.Sort(ordered, static (a, b) => a.AsSpan().SequenceCompareTo(b));
        var buffer = ArrayPool<byte>.Shared.Rent(ActivityPositions.MaxSize(receipts.Count));
        try
        {
            using var insert = new SqliteStatement(_writer, "INSERT OR REPLACE INTO activity (topic, height, positions) VALUES (?1, ?2, ?3)");
            insert.Bind(2, (long)height);
            foreach (var topic in ordered)
            {
                var length = ActivityPositions.Write(byTopic[topic], buffer);
                insert.Bind(1, topic).Bind(3, buffer.AsSpan(0, length)).Execute();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Indexes the activity of blocks stored before the index existed (or before its format
    /// changed), whole blocks at a time in transactions of about 5,000 txs, then marks the
    /// database as indexed. A block's rows replace what it had, so an interrupted run starts over.
    /// </summary>
    private void IndexActivityOfOlderBlocks(Action<string>? progress)
    {
        if (SqliteFile.ReadMeta(_writer).ContainsKey(Schema.ActivityIndexed))
        {
            return;
        }
        const int Chunk = 5_000;
        var total = SqliteFile.Scalar(_writer, "SELECT COUNT(*) FROM txs");
        var done = 0L;
        var lastHeight = -1L;
        progress?.Invoke($"indexing the activity of {total} stored txs");
        while (true)
        {
            var upTo = LastHeightOfNextChunk(lastHeight, Chunk);
            if (upTo is null)
            {
                break;
            }
            var blocks = new List<(long Height, List<Receipt> Receipts)>();
            using (var cmd = _writer.CreateCommand())
            {
                cmd.CommandText = "SELECT height, idx, receipt FROM txs WHERE height > $from AND height <= $to ORDER BY height, idx";
                cmd.Parameters.AddWithValue("$from", lastHeight);
                cmd.Parameters.AddWithValue("$to", upTo.Value);
                using var reader = cmd.ExecuteReader();
                while (reader.Read())
                {
                    var (height, index) = (reader.GetInt64(0), reader.GetInt32(1));
                    if (Receipt.TryDecode((byte[])reader.GetValue(2), out var receipt) != CodecError.None)
                    {
                        throw Damaged($"the receipt at block {height} index {index}");
                    }
                    if (blocks.Count == 0 || blocks[^1].Height != height)
                    {
                        blocks.Add((height, []));
                    }
                    if (blocks[^1].Receipts.Count != index)
                    {
                        throw Damaged($"the txs of block {height} (index {index} out of place)");
                    }
                    blocks[^1].Receipts.Add(receipt!);
                }
            }
            using (var transaction = _writer.BeginTransaction())
            {
                foreach (var (height, receipts) in blocks)
                {
                    WriteActivity((ulong)height, receipts);
                    done += receipts.Count;
                }
                transaction.Commit();
            }
            lastHeight = upTo.Value;
            progress?.Invoke($"indexed the activity of {done} of {total} txs (blocks up to {lastHeight})");
        }
        SqliteFile.WriteMeta(_writer, (Schema.ActivityIndexed, "1"));
    }

    /// <summary>The height that ends the next run of whole blocks after <paramref name="after"/> holding at least <paramref name="txs"/> txs (or the last block); null when none has txs.</summary>
    private long? LastHeightOfNextChunk(long after, int txs)
    {
        using var cmd = _writer.CreateCommand();
        cmd.CommandText = "SELECT height, tx_count FROM blocks WHERE height > $after AND tx_count > 0 ORDER BY height";
        cmd.Parameters.AddWithValue("$after", after);
        using var reader = cmd.ExecuteReader();
        long? last = null;
        var count = 0L;
        while (count < txs && reader.Read())
        {
            last = reader.GetInt64(0);
            count += reader.GetInt64(1);
        }
        return last;
    }

    /// <summary>
    /// Converts a format-2 database, whose activity index kept a row per (topic, tx): the old
    /// index is dropped and the format advanced in one transaction, and the index is then rebuilt
    /// from the stored receipts (<see cref="IndexActivityOfOlderBlocks"/>).
    /// </summary>
    private void ConvertFromFormat2()
    {
        using var transaction = _writer.BeginTransaction();
        using var cmd = _writer.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = $"DROP TABLE activity; {Schema.CreateActivity} " +
            $"DELETE FROM meta WHERE key = '{Schema.ActivityIndexed}'; UPDATE meta SET value = '{Schema.Format}' WHERE key = 'format';";
        cmd.ExecuteNonQuery();
        transaction.Commit();
    }

    /// <summary>
    /// Committed txs whose events name <paramref name="topic"/> (see <see cref="ActivityTopics"/>), newest first,
    /// before <paramref name="before"/>: an index range, however long the chain.
    /// </summary>
    public IReadOnlyList<StoredTx> Activity(byte[] topic, TxPosition? before, int limit)
    {
        using var connection = OpenReader();
        var found = new List<(long Height, int Index)>(Math.Min(limit, 1_000));
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT height, positions FROM activity WHERE topic = $topic AND height <= $h ORDER BY height DESC";
            cmd.Parameters.AddWithValue("$topic", topic);
            cmd.Parameters.AddWithValue("$h", before is { } b ? (long)b.Height : long.MaxValue);
            using var reader = cmd.ExecuteReader();
            var positions = new List<int>();
            while (found.Count < limit && reader.Read())
            {
                var height = reader.GetInt64(0);
                if (!ActivityPositions.TryRead((byte[])reader.GetValue(1), positions))
                {
                    throw Damaged($"the activity index at block {height}");
                }
                for (var i = positions.Count - 1; i >= 0 && found.Count < limit; i--)
                {
                    if (before is not { } cursor || (ulong)height < cursor.Height || positions[i] < cursor.Index)
                    {
                        found.Add((height, positions[i]));
                    }
                }
            }
        }
        return ReadTxsAt(connection, found);
    }

    private static List<StoredTx> ReadTxsAt(SqliteConnection connection, List<(long Height, int Index)> positions)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT raw, receipt FROM txs WHERE height = $h AND idx = $i";
        var height = cmd.Parameters.Add("$h", SqliteType.Integer);
        var index = cmd.Parameters.Add("$i", SqliteType.Integer);
        var result = new List<StoredTx>(positions.Count);
        foreach (var (h, i) in positions)
        {
            (height.Value, index.Value) = (h, i);
            using var reader = cmd.ExecuteReader();
            if (!reader.Read())
            {
                throw Damaged($"the activity index names tx {h}-{i}, which is not stored");
            }
            var (tx, receipt) = DecodeTx(reader, 0);
            result.Add(new StoredTx(tx, receipt, (ulong)h, i));
        }
        return result;
    }

    /// <summary>Topics compared by their bytes.</summary>
    private sealed class TopicComparer : IEqualityComparer<byte[]>
    {
        public static readonly TopicComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] topic)
        {
            var hash = new HashCode();
            hash.AddBytes(topic);
            return hash.ToHashCode();
        }
    }
}
