using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Node.Chain;
using ThingLedger.Storage;

namespace ThingLedger.Node.Tests;

/// <summary>
/// A node refuses to start on a data directory whose stores contradict each other: a ledger
/// behind what its reading store anchored or its key signed would sign a second block at a
/// height it signed before (two final blocks at one height); a reading store behind what the
/// chain says it anchored has lost readings.
/// </summary>
public sealed class DataDirectoryTests : IAsyncLifetime
{
    private string _directory = string.Empty;
    private ulong _head;

    public async Task InitializeAsync()
    {
        using var node = new TestNode { KeepDirectory = true };
        _directory = node.Directory;
        using var client = node.Client();
        var admin = await node.AccountAsync(node.Admin("voltmotors"));
        Assert.Equal(TxState.Committed, (await client.SubmitAsync(admin.Sign(Operations.RegisterSchema(BuiltInSchemas.Ev)), wait: true)).Status);
        using var car = KeyPair.Generate();
        Assert.Equal(TxState.Committed, (await client.SubmitAsync(admin.Sign(Operations.RegisterDevice(car, admin.ChainId, "voltmotors", "ev-x1", "SN-DD-1", admin.Address)), wait: true)).Status);
        var signer = new DeviceSigner(car, node.Genesis.ChainId);
        var readings = Enumerable.Range(0, 10).Select(_ => signer.Measure(BuiltInSchemas.Ev, TelemetryFixture.Now, 1_000 + (long)signer.NextSequence, 523, 1_250, 800, 95, 7_500, 0, 0)).ToList();
        Assert.Equal(10, (await client.UploadReadingsAsync([], [signer.SignBatch(readings)])).Accepted);
        await client.GetVerifiedReceiptAsync(car.Address, readings[9].Sequence, node.Genesis, TimeSpan.FromSeconds(20));
        _head = (await client.GetHeadAsync()).Height;
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    private LedgerNode Open(bool consortium = false) => new(Options.Create(new NodeOptions
    {
        DataDirectory = _directory,
        Ordering = consortium ? "etcd" : "solo",
        EtcdEndpoints = consortium ? "http://127.0.0.1:1" : string.Empty,
    }), TimeProvider.System, NullLogger<LedgerNode>.Instance);

    private void Replace(string file, bool withEmpty)
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(Path.Combine(_directory, file + suffix));
        }
        if (withEmpty)
        {
            File.WriteAllBytes(Path.Combine(_directory, file), []);
        }
    }

    [Fact]
    public void The_directory_as_the_node_left_it_opens_at_its_head()
    {
        using var node = Open();
        Assert.Equal(_head, node.Head.Height);
        Assert.Equal(_head, node.Signer.Height);
        Assert.Null(node.Fault);
    }

    [Fact]
    public void An_empty_ledger_beside_a_full_reading_store_is_refused_and_nothing_is_signed()
    {
        Replace(LedgerStore.DatabaseFileName, withEmpty: true);
        var signed = File.ReadAllText(SignerState.PathIn(_directory));
        var refused = Assert.Throws<DataDirectoryException>(() => Open());
        Assert.Contains("anchors committed up to block", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"attested block {_head}", refused.Message, StringComparison.Ordinal);
        Assert.Equal(signed, File.ReadAllText(SignerState.PathIn(_directory)));

        // Without the reading store's evidence, the validator's own record still refuses it.
        Replace(ReadingStore.DatabaseFileName, withEmpty: false);
        Assert.Contains($"attested block {_head}", Assert.Throws<DataDirectoryException>(() => Open()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_ledger_is_refused_before_an_empty_one_is_created()
    {
        Replace(LedgerStore.DatabaseFileName, withEmpty: false);
        Assert.Contains("is missing", Assert.Throws<DataDirectoryException>(() => Open()).Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, LedgerStore.DatabaseFileName)));
    }

    [Fact]
    public void A_missing_reading_store_is_refused_when_the_chain_says_this_node_anchored_readings()
    {
        Replace(ReadingStore.DatabaseFileName, withEmpty: false);
        Assert.Contains("the reading store is missing", Assert.Throws<DataDirectoryException>(() => Open()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_consortium_peer_behind_its_own_record_starts_catching_up_and_takes_no_writes()
    {
        Replace(LedgerStore.DatabaseFileName, withEmpty: true);
        using var node = Open(consortium: true);
        Assert.Equal(0ul, node.Head.Height);
        Assert.Equal(_head, node.CatchingUpTo);
        Assert.Contains("catching up", node.Fault, StringComparison.Ordinal);
        // Block 0 is the same genesis block it signed before; nothing above it was signed again.
        Assert.Equal(_head, node.Signer.Height);
    }
}
