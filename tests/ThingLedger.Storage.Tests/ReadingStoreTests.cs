using Microsoft.Data.Sqlite;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;

namespace ThingLedger.Storage.Tests;

public sealed class ReadingStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tl-readings-").FullName;
    private readonly KeyPair _device = KeyPair.Generate();

    public void Dispose()
    {
        _device.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private Reading At(ulong sequence, long value = 1) => new(_device.Address, sequence, 1_700_000_000_000 + sequence, "meter", 1, [value, -value]);

    private AppendItem Single(Reading reading) => new([reading], reading.Sign(_device, "c"), false);

    [Fact]
    public void Readings_continue_their_sequence_and_a_resend_is_a_duplicate_not_a_second_copy()
    {
        using var store = ReadingStore.Open(_directory, "c");
        var batch = new AppendItem([At(1), At(2), At(3)], DeviceBatch.Sign(_device, "c", [At(1), At(2), At(3)]), true);
        Assert.Equal([AppendStatus.Accepted, AppendStatus.Accepted], store.Append([batch, Single(At(5))]));
        Assert.Equal([AppendStatus.Duplicate, AppendStatus.Duplicate], store.Append([batch, Single(At(5))]));
        Assert.Equal([AppendStatus.Replayed, AppendStatus.Replayed], store.Append([Single(At(5, value: 9)), Single(At(4))]));
        Assert.Equal(4ul, store.LastIngest);
        Assert.Equal(5ul, store.LastSequence(_device.Address));
        var stored = store.Find(_device.Address, 2)!;
        Assert.Equal(At(2).Encoded.ToArray(), stored.Reading.Encoded.ToArray());
        Assert.NotNull(stored.Batch);
        Assert.Equal(3, store.GetBatch(stored.Batch!.Value)!.Value.Readings.Count);
    }

    [Fact]
    public void Who_authorised_a_historic_import_is_kept_with_its_readings_across_a_restart()
    {
        using var operatorKey = KeyPair.Generate();
        var batch = new AppendItem([At(2), At(3)], DeviceBatch.Sign(_device, "c", [At(2), At(3)]), true) { HistoricBy = operatorKey.Address };
        using (var store = ReadingStore.Open(_directory, "c"))
        {
            store.Append([Single(At(1)), batch, Single(At(4))]);
            Assert.Equal([null, operatorKey.Address, operatorKey.Address, null], store.Unanchored(1, 10).Select(r => r.HistoricBy));
        }
        using var reopened = ReadingStore.Open(_directory, "c");
        Assert.Equal([null, operatorKey.Address, operatorKey.Address, null], reopened.Unanchored(1, 10).Select(r => r.HistoricBy));
        Assert.Equal(operatorKey.Address, reopened.Find(_device.Address, 3)!.HistoricBy);
        Assert.Null(reopened.Find(_device.Address, 4)!.HistoricBy);
    }

    [Fact]
    public void Unanchored_readings_come_the_same_from_memory_and_after_a_restart_from_disk()
    {
        IReadOnlyList<StoredReading> fromMemory;
        using (var store = ReadingStore.Open(_directory, "c"))
        {
            store.Append([Single(At(1)), Single(At(2)), Single(At(3)), Single(At(4))]);
            store.RecordAnchor(new AnchorRecord(1, 2, Hash.Sha256([1]), 7));
            fromMemory = store.Unanchored(3, 10);
            Assert.Throws<InvalidOperationException>(() => store.RecordAnchor(new AnchorRecord(4, 4, Hash.Sha256([2]), 8)));
        }
        using var reopened = ReadingStore.Open(_directory, "c");
        var fromDisk = reopened.Unanchored(3, 10);
        Assert.Equal(fromMemory.Select(r => (r.Ingest, Convert.ToHexString(r.Reading.Encoded.Span))), fromDisk.Select(r => (r.Ingest, Convert.ToHexString(r.Reading.Encoded.Span))));
        Assert.Equal((2ul, 4ul, 4ul), (reopened.LastAnchoredIngest, reopened.LastIngest, reopened.LastSequence(_device.Address)!.Value));
        Assert.Equal(7ul, reopened.FindAnchor(2)!.Height);
        Assert.Null(reopened.FindAnchor(3));

        // New readings after the restart are served from memory once the disk backlog is anchored.
        reopened.Append([Single(At(5))]);
        Assert.Equal([3ul, 4ul, 5ul], reopened.Unanchored(3, 10).Select(r => r.Ingest).Concat(reopened.Unanchored(5, 10).Select(r => r.Ingest)).Distinct());
    }

    [Fact]
    public async Task Uploads_queued_behind_a_write_are_stored_in_one_transaction_each_answered_as_if_alone()
    {
        using var store = ReadingStore.Open(_directory, "c");
        Reading[] batch = [At(1), At(2), At(3)];
        var first = new AppendItem(batch, DeviceBatch.Sign(_device, "c", batch), true);
        var screened = new List<ulong>();
        ReadingScreen[]? Screen(Reading[] readings)
        {
            screened.AddRange(readings.Select(r => r.Sequence));
            return null;
        }

        Task<AppendStatus[]> a, b, c;
        lock (store.WriteLockForTests)
        {
            a = Task.Run(() => store.Append([first, Single(At(4))], Screen));
            Assert.True(SpinWait.SpinUntil(() => store.QueuedUploads == 1, TimeSpan.FromSeconds(10)));
            // A resend of the batch, one of its readings alone, an altered copy and a new reading,
            // queued behind the first upload before anything of it is on disk.
            b = Task.Run(() => store.Append([first, Single(At(2)), Single(At(3, value: 9)), Single(At(5))], Screen));
            Assert.True(SpinWait.SpinUntil(() => store.QueuedUploads == 2, TimeSpan.FromSeconds(10)));
            c = Task.Run(() => store.Append([Single(At(4))], Screen));
            Assert.True(SpinWait.SpinUntil(() => store.QueuedUploads == 3, TimeSpan.FromSeconds(10)));
        }
        Assert.Equal([AppendStatus.Accepted, AppendStatus.Accepted], await a);
        Assert.Equal([AppendStatus.Duplicate, AppendStatus.Duplicate, AppendStatus.Replayed, AppendStatus.Accepted], await b);
        Assert.Equal([AppendStatus.Duplicate], await c);
        Assert.Equal(1, store.GroupsWritten);
        Assert.Equal([1ul, 2ul, 3ul, 4ul, 5ul], screened);
        Assert.Equal([1ul, 2ul, 3ul, 4ul, 5ul], store.Unanchored(1, 10).Select(r => r.Reading.Sequence));
        Assert.Equal((5ul, 5ul), (store.LastIngest, store.LastSequence(_device.Address)!.Value));
    }

    [Fact]
    public void A_failed_write_stores_nothing_and_the_store_goes_on_from_what_is_on_disk()
    {
        using var store = ReadingStore.Open(_directory, "c");
        Reading[] batch = [At(1), At(2), At(3)];
        var first = new AppendItem(batch, DeviceBatch.Sign(_device, "c", batch), true);
        store.BeforeCommitForTests = () => throw new IOException("disk full");

        // The failed transaction had added the device itself: that is rolled back too.
        var error = Assert.Throws<StorageException>(() => store.Append([first, Single(At(4))]));

        Assert.Contains("disk full", error.Message, StringComparison.Ordinal);
        Assert.Equal((0ul, (ulong?)null), (store.LastIngest, store.LastSequence(_device.Address)));
        Assert.Empty(store.Unanchored(1, 10));
        store.BeforeCommitForTests = null;
        Assert.Equal([AppendStatus.Accepted, AppendStatus.Accepted], store.Append([first, Single(At(4))]));
        Assert.Equal([1ul, 2ul, 3ul, 4ul], store.History(_device.Address, null, null, null, 10).Select(r => r.Reading.Sequence).Order());
        Assert.Equal((4ul, 4ul), (store.LastIngest, store.LastSequence(_device.Address)!.Value));
    }

    [Fact]
    public void An_upload_of_interleaved_devices_is_numbered_device_by_device_and_screened_in_that_order()
    {
        using var other = KeyPair.Generate();
        Reading Other(ulong sequence) => new(other.Address, sequence, 1_700_000_000_000 + sequence, "meter", 1, [1, -1]);
        AppendItem OtherSingle(Reading reading) => new([reading], reading.Sign(other, "c"), false);
        using var store = ReadingStore.Open(_directory, "c");
        var screened = new List<(Address, ulong)>();
        var statuses = store.Append([Single(At(1)), OtherSingle(Other(1)), Single(At(2)), OtherSingle(Other(2)), Single(At(1)), Single(At(3))], readings =>
        {
            screened.AddRange(readings.Select(r => (r.Device, r.Sequence)));
            return null;
        });

        // The answer is per item in upload order; the resent reading At(1) in the same upload is refused as a replay of its own device.
        Assert.Equal([AppendStatus.Accepted, AppendStatus.Accepted, AppendStatus.Accepted, AppendStatus.Accepted, AppendStatus.Replayed, AppendStatus.Accepted], statuses);
        var order = store.Unanchored(1, 10).Select(r => (r.Reading.Device, r.Reading.Sequence)).ToArray();
        Assert.Equal([(_device.Address, 1ul), (_device.Address, 2ul), (_device.Address, 3ul), (other.Address, 1ul), (other.Address, 2ul)], order);
        Assert.Equal(order, screened);
        Assert.Equal([1ul, 2ul, 3ul, 4ul, 5ul], store.Unanchored(1, 10).Select(r => r.Ingest));
    }

    [Fact]
    public void Anchors_are_recorded_together_or_not_at_all()
    {
        using var store = ReadingStore.Open(_directory, "c");
        store.Append([Single(At(1)), Single(At(2)), Single(At(3)), Single(At(4))]);
        Assert.Throws<InvalidOperationException>(() => store.RecordAnchors([new AnchorRecord(1, 2, Hash.Sha256([1]), 7), new AnchorRecord(4, 4, Hash.Sha256([2]), 7)]));
        Assert.Equal(0ul, store.LastAnchoredIngest);
        Assert.Null(store.FindAnchor(1));

        store.RecordAnchors([new AnchorRecord(1, 2, Hash.Sha256([1]), 7), new AnchorRecord(3, 4, Hash.Sha256([2]), 7)]);
        Assert.Equal(4ul, store.LastAnchoredIngest);
        Assert.Equal(Hash.Sha256([2]), store.FindAnchor(3)!.TxId);
        Assert.Empty(store.Unanchored(5, 10));
    }

    [Fact]
    public void History_pages_newest_first_across_device_batches_and_single_readings_within_a_time_range()
    {
        using var store = ReadingStore.Open(_directory, "c");
        Reading[] first = [At(1), At(2), At(3), At(4)];
        Reading[] second = [At(6), At(7), At(9)];
        store.Append([
            new AppendItem(first, DeviceBatch.Sign(_device, "c", first), true),
            Single(At(5)),
            new AppendItem(second, DeviceBatch.Sign(_device, "c", second), true),
        ]);

        ulong[] Sequences(IEnumerable<StoredReading> readings) => [.. readings.Select(r => r.Reading.Sequence)];
        Assert.Equal([9ul, 7ul, 6ul], Sequences(store.History(_device.Address, null, null, null, 3)));
        Assert.Equal([5ul, 4ul, 3ul], Sequences(store.History(_device.Address, null, null, 6, 3)));
        Assert.Equal([2ul, 1ul], Sequences(store.History(_device.Address, null, null, 3, 3)));
        // Timestamps are 1_700_000_000_000 + sequence: [3, 6] by time is readings 3 to 6.
        Assert.Equal([6ul, 5ul, 4ul, 3ul], Sequences(store.History(_device.Address, 1_700_000_000_003, 1_700_000_000_006, null, 10)));
        Assert.Equal(9ul, store.Latest(_device.Address)!.Reading.Sequence);
        Assert.Null(store.Find(_device.Address, 8));
        Assert.Equal([3ul, 4ul, 5ul, 6ul], Sequences(store.ReadIngestRange(3, 6, 10)));
        Assert.Equal([4ul, 5ul], store.ReadIngestRange(4, 8, 2).Select(r => r.Ingest));

        var batch = store.GetBatch(store.Find(_device.Address, 7)!.Batch!.Value)!.Value;
        Assert.Equal((6ul, 9ul, 3, 6L), (batch.Batch.FirstSequence, batch.Batch.LastSequence, batch.Batch.Count, batch.Batch.Ref));
        Assert.Equal(second.Select(r => Convert.ToHexString(r.Encoded.Span)), batch.Readings.Select(r => Convert.ToHexString(r.Reading.Encoded.Span)));
        Assert.Null(store.GetBatch(5));

        // A resent batch is a duplicate; the same sequences with other values are a replay.
        Assert.Equal([AppendStatus.Duplicate], store.Append([new AppendItem(second, DeviceBatch.Sign(_device, "c", second), true)]));
        Reading[] altered = [At(6), At(7, value: 5), At(9)];
        Assert.Equal([AppendStatus.Replayed], store.Append([new AppendItem(altered, DeviceBatch.Sign(_device, "c", altered), true)]));
    }

    [Fact]
    public void Screening_results_are_kept_with_each_reading_of_an_item()
    {
        var flagged = new ReadingScreen("meter-screen@1", [new ReadingFlag(FlagCode.Outlier, 900)]);
        var clean = new ReadingScreen("meter-screen@1", []);
        using (var store = ReadingStore.Open(_directory, "c"))
        {
            Reading[] readings = [At(1), At(2), At(3)];
            store.Append([new AppendItem(readings, DeviceBatch.Sign(_device, "c", readings), true)], _ => [clean, flagged, ReadingScreen.None]);
        }
        using var reopened = ReadingStore.Open(_directory, "c");
        var screens = reopened.ReadIngestRange(1, 3, 10).Select(r => r.Screen).ToArray();
        Assert.Equal(["meter-screen@1", "meter-screen@1", ""], screens.Select(s => s.Model));
        Assert.Equal([[], [new ReadingFlag(FlagCode.Outlier, 900)], []], screens.Select(s => s.Flags));
    }

    [Fact]
    public void A_store_of_format_2_is_converted_on_open_with_the_same_readings_numbers_and_screening()
    {
        Reading[] batch = [At(1), At(2), At(3)];
        var batchSignature = DeviceBatch.Sign(_device, "c", batch);
        var single = Single(At(4));
        using (var old = new SqliteConnection($"Data Source={Path.Combine(_directory, ReadingStore.DatabaseFileName)}"))
        {
            old.Open();
            using var cmd = old.CreateCommand();
            cmd.CommandText = """
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
                CREATE TABLE devices (ref INTEGER PRIMARY KEY, id BLOB NOT NULL UNIQUE);
                CREATE TABLE schemas (ref INTEGER PRIMARY KEY, id TEXT NOT NULL, version INTEGER NOT NULL, UNIQUE (id, version));
                CREATE TABLE models (ref INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
                CREATE TABLE batches (ref INTEGER PRIMARY KEY, device INTEGER NOT NULL, first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL,
                    count INTEGER NOT NULL, sig BLOB NOT NULL);
                CREATE TABLE readings (ingest INTEGER PRIMARY KEY, device INTEGER NOT NULL, seq INTEGER NOT NULL, ts INTEGER NOT NULL,
                    schema INTEGER NOT NULL, vals BLOB NOT NULL, sig BLOB, batch INTEGER, model INTEGER, flags BLOB);
                CREATE UNIQUE INDEX readings_by_device ON readings (device, seq);
                CREATE TABLE anchors (first INTEGER PRIMARY KEY, last INTEGER NOT NULL, tx BLOB NOT NULL, height INTEGER NOT NULL);
                INSERT INTO meta VALUES ('format', 'thingledger-readings/2'), ('chain_id', 'c');
                INSERT INTO devices VALUES (1, $device);
                INSERT INTO schemas VALUES (1, 'meter', 1);
                INSERT INTO models VALUES (1, 'meter-screen@1');
                INSERT INTO batches VALUES (1, 1, 1, 3, 3, $batchSig);
                INSERT INTO readings VALUES (1, 1, 1, 1700000000001, 1, $vals1, NULL, 1, 1, NULL);
                INSERT INTO readings VALUES (2, 1, 2, 1700000000002, 1, $vals2, NULL, 1, 1, X'01000103E8');
                INSERT INTO readings VALUES (3, 1, 3, 1700000000003, 1, $vals3, NULL, 1, NULL, NULL);
                INSERT INTO readings VALUES (4, 1, 4, 1700000000004, 1, $vals4, $sig4, NULL, NULL, NULL);
                INSERT INTO anchors VALUES (1, 2, $tx, 9);
                """;
            cmd.Parameters.AddWithValue("$device", _device.Address.ToArray());
            cmd.Parameters.AddWithValue("$batchSig", batchSignature);
            for (var s = 1; s <= 4; s++)
            {
                var reading = At((ulong)s);
                cmd.Parameters.AddWithValue($"$vals{s}", reading.Encoded.Span[^Core.Codec.CanonicalSizes.VarInts(reading.Values)..].ToArray());
            }
            cmd.Parameters.AddWithValue("$sig4", single.Signature);
            cmd.Parameters.AddWithValue("$tx", Hash.Sha256([7]).ToArray());
            cmd.ExecuteNonQuery();
        }
        SqliteConnection.ClearAllPools();

        // Another chain's store is refused before anything is converted.
        Assert.Contains("refusing to mix", Assert.Throws<StorageException>(() => ReadingStore.Open(_directory, "other")).Message, StringComparison.Ordinal);
        var heard = new List<string>();
        using (var store = ReadingStore.Open(_directory, "c", heard.Add))
        {
            Assert.Equal(["converting 4 readings of readings.db from format 2 to format 3"], heard);
            var all = store.ReadIngestRange(1, 4, 10);
            Assert.Equal([1ul, 2ul, 3ul, 4ul], all.Select(r => r.Ingest));
            Assert.Equal([.. batch, At(4)], all.Select(r => r.Reading), new EncodedEquality());
            Assert.Equal([1L, 1L, 1L, null], all.Select(r => r.Batch));
            Assert.Equal(batchSignature, store.GetBatch(1)!.Value.Batch.Signature);
            Assert.Equal(single.Signature, all[3].Signature);
            Assert.Equal(["meter-screen@1", "meter-screen@1", "", ""], all.Select(r => r.Screen.Model));
            Assert.Equal(new ReadingFlag(FlagCode.OdometerDecrease, 1000), Assert.Single(all[1].Screen.Flags));
            Assert.Equal((4ul, 4ul, 2ul), (store.LastIngest, store.LastSequence(_device.Address)!.Value, store.LastAnchoredIngest));
            Assert.Equal([AppendStatus.Duplicate, AppendStatus.Accepted], store.Append([new AppendItem(batch, batchSignature, true), Single(At(5))]));
        }
        using var reopened = ReadingStore.Open(_directory, "c");
        Assert.Equal(5ul, reopened.LastIngest);
    }

    [Fact]
    public void A_damaged_item_is_reported_as_damaged_not_served()
    {
        using var store = ReadingStore.Open(_directory, "c");
        Reading[] readings = [At(1), At(2)];
        store.Append([new AppendItem(readings, DeviceBatch.Sign(_device, "c", readings), true)]);
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, ReadingStore.DatabaseFileName)}"))
        {
            connection.Open();
            using var cmd = connection.CreateCommand();
            // The body loses its last byte: the last reading's values are cut short.
            cmd.CommandText = "UPDATE items SET body = substr(body, 1, length(body) - 1)";
            cmd.ExecuteNonQuery();
        }
        var error = Assert.Throws<StorageException>(() => store.Find(_device.Address, 2));
        Assert.Contains("damaged", error.Message, StringComparison.Ordinal);
    }

    private sealed class EncodedEquality : IEqualityComparer<Reading>
    {
        public bool Equals(Reading? x, Reading? y) => x!.Encoded.Span.SequenceEqual(y!.Encoded.Span);

        public int GetHashCode(Reading obj) => obj.Encoded.Length;
    }

    [Fact]
    public void A_reading_store_of_another_chain_is_refused()
    {
        using (ReadingStore.Open(_directory, "c"))
        {
        }
        var error = Assert.Throws<StorageException>(() => ReadingStore.Open(_directory, "other"));
        Assert.Contains("refusing to mix", error.Message, StringComparison.Ordinal);
    }
}
