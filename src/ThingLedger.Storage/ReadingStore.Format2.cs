using ThingLedger.Core.Codec;
using ThingLedger.Core.Telemetry;

namespace ThingLedger.Storage;

/// <summary>Converting a reading store of format 2 (a row per reading) when it is opened.</summary>
public sealed partial class ReadingStore
{
    /// <summary>
    /// Rewrites a store of format 2 (a row per reading, device batches in a table of their own) as
    /// one row per upload item, in one transaction: the same readings under the same ingest numbers,
    /// signatures and screening. Interrupted, it leaves format 2 in place and runs again on the
    /// next open. A former batch number becomes the batch's first ingest number.
    /// </summary>
    private void MigrateFromFormat2(Action<string>? progress)
    {
        const int ProgressEvery = 100_000;
        LoadRefs();
        var total = SqliteFile.Scalar(_writer, "SELECT COUNT(*) FROM readings");
        progress?.Invoke($"converting {total} readings of {DatabaseFileName} from format 2 to format 3");
        var converted = 0L;
        SqliteFile.InTransaction(_writer, () =>
        {
            using (var insert = InsertItemStatement())
            using (var cmd = _writer.CreateCommand())
            {
                cmd.CommandText = "SELECT r.ingest, r.device, r.seq, r.ts, r.schema, r.vals, r.sig, r.batch, r.model, r.flags, b.sig " +
                    "FROM readings r LEFT JOIN batches b ON b.ref = r.batch ORDER BY r.ingest";
                using var reader = cmd.ExecuteReader();
                var group = new List<(Reading Reading, ReadingScreen Screen)>();
                (long First, long? Batch, byte[] Signature) current = (0, null, []);
                void Flush()
                {
                    if (group.Count > 0)
                    {
                        var item = new AppendItem([.. group.Select(g => g.Reading)], current.Signature, current.Batch is not null, [.. group.Select(g => g.Screen)]);
                        InsertItem(insert, current.First, item);
                        group.Clear();
                    }
                }
                while (reader.Read())
                {
                    var ingest = reader.GetInt64(0);
                    long? batch = reader.IsDBNull(7) ? null : reader.GetInt64(7);
                    if (group.Count == 0 || batch is null || batch != current.Batch)
                    {
                        Flush();
                        var signature = reader.IsDBNull(batch is null ? 6 : 10) ? null : (byte[])reader.GetValue(batch is null ? 6 : 10);
                        current = (ingest, batch, signature ?? throw Damaged2(ingest));
                    }
                    if (ingest != current.First + group.Count)
                    {
                        throw Damaged2(ingest);
                    }
                    var values = new SpanReader((byte[])reader.GetValue(5));
                    var decoded = values.ReadVarInts(TelemetrySchema.MaxFields);
                    if (!values.Ok || values.Remaining != 0 || !_devices.TryGetValue(reader.GetInt64(1), out var device) ||
                        !_schemas.TryGetValue(reader.GetInt64(4), out var schema))
                    {
                        throw Damaged2(ingest);
                    }
                    var screen = ReadingScreen.None;
                    if (!reader.IsDBNull(8))
                    {
                        var flags = reader.IsDBNull(9) ? [] : ReadingScreen.DecodeFlags((byte[])reader.GetValue(9)) ?? throw Damaged2(ingest);
                        screen = new ReadingScreen(_models.TryGetValue(reader.GetInt64(8), out var model) ? model : throw Damaged2(ingest), flags);
                    }
                    if (++converted % ProgressEvery == 0)
                    {
                        progress?.Invoke($"converted {converted} of {total} readings");
                    }
                    group.Add((new Reading(device, unchecked((ulong)reader.GetInt64(2)), unchecked((ulong)reader.GetInt64(3)), schema.Id, schema.Version, decoded), screen));
                }
                Flush();
            }
            using (var cmd = _writer.CreateCommand())
            {
                cmd.CommandText = $"DROP TABLE readings; DROP TABLE batches; UPDATE meta SET value = '{Format}' WHERE key = 'format';";
                cmd.ExecuteNonQuery();
            }
        });
    }

    private static StorageException Damaged2(long ingest) =>
        new($"{DatabaseFileName} (format 2) cannot be converted: reading {ingest} or its device batch is damaged; nothing was changed");
}
