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
    public void A_reading_store_of_another_chain_is_refused()
    {
        using (ReadingStore.Open(_directory, "c"))
        {
        }
        var error = Assert.Throws<StorageException>(() => ReadingStore.Open(_directory, "other"));
        Assert.Contains("refusing to mix", error.Message, StringComparison.Ordinal);
    }
}
