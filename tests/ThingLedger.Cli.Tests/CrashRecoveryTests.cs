using System.Collections.Concurrent;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution;
using ThingLedger.Node;

namespace ThingLedger.Cli.Tests;

public sealed class CrashRecoveryTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tl-crash-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Kill_9_under_load_loses_no_acknowledged_tx_and_restart_resumes_at_the_same_roots()
    {
        var genesis = DevChain.Initialize(_directory, "crash-test", DevChain.SampleOrgs, 1_700_000_000_000);
        var port = CliProcess.FreePort();
        var acknowledged = new ConcurrentBag<Hash>();
        Client.Contracts.BlockView lastSeen;

        using (var node = await NodeProcess.StartAsync(_directory, port))
        {
            using var client = new ThingLedgerClient(node.Url);
            var admin = await Account.OpenAsync(client, DevChain.Keys(_directory).Load(DevChain.AdminKeyName("voltmotors")), genesis.ChainId);
            var senders = Enumerable.Range(0, 4).Select(_ => new Account(KeyPair.Generate(), genesis.ChainId, 1)).ToArray();
            var setup = new List<Core.Ledger.Transaction> { admin.Sign(Operations.CreateToken("CRASH", "Crash test", 0, Roles.Admin, 0)) };
            setup.AddRange(senders.Select(s => admin.Sign(Operations.Mint("CRASH", s.Address, 1_000_000))));
            Assert.All((await client.SubmitAsync(setup, wait: true)).Results, r => Assert.Equal(TxState.Committed, r.Status));
            foreach (var tx in setup)
            {
                acknowledged.Add(tx.Id);
            }

            using var stopLoad = new CancellationTokenSource();
            var load = senders.Select(sender => Task.Run(async () =>
            {
                using var loadClient = new ThingLedgerClient(node.Url);
                var peer = KeyPair.Generate().Address;
                try
                {
                    // Bounded: at most 200 batches per sender, and it stops when the node dies.
                    for (var round = 0; round < 200 && !stopLoad.IsCancellationRequested; round++)
                    {
                        var batch = Enumerable.Range(0, 25).Select(_ => sender.Sign(Operations.Transfer("CRASH", peer, 1))).ToList();
                        var response = await loadClient.SubmitAsync(batch, wait: true, timeoutMs: 10_000);
                        for (var i = 0; i < batch.Count; i++)
                        {
                            if (response.Results[i].Status is TxState.Committed or TxState.Failed)
                            {
                                acknowledged.Add(batch[i].Id);
                            }
                        }
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or ThingLedgerException)
                {
                    // The node was killed mid-request: nothing from this request was acknowledged.
                }
            })).ToArray();

            // Let load run until a good number of txs is acknowledged, then kill the node mid-flight.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (acknowledged.Count < 800 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
            lastSeen = await client.GetHeadAsync();
            node.KillHard();
            await stopLoad.CancelAsync();
            await Task.WhenAll(load);
        }
        Assert.True(acknowledged.Count >= 800, $"only {acknowledged.Count} txs were acknowledged before the kill");

        using (var restarted = await NodeProcess.StartAsync(_directory, port))
        {
            using var client = new ThingLedgerClient(restarted.Url);
            foreach (var id in acknowledged)
            {
                var tx = await client.GetTxAsync(id);
                Assert.True(tx is not null && tx.Status is TxState.Committed or TxState.Failed, $"acknowledged tx {id} is missing after restart");
            }
            var head = await client.GetHeadAsync();
            Assert.True(head.Height >= lastSeen.Height);
            var same = await client.GetBlockAsync(lastSeen.Height);
            Assert.Equal((lastSeen.Hash, lastSeen.StateRoot), (same!.Hash, same.StateRoot));

            // And it carries on: a new tx commits on top of the recovered chain.
            var admin = await Account.OpenAsync(client, DevChain.Keys(_directory).Load(DevChain.AdminKeyName("gridco")), genesis.ChainId);
            var after = await client.SubmitAsync(admin.Sign(Operations.AddMember("gridco", KeyPair.Generate().Address, Roles.Auditor)), wait: true);
            Assert.Equal(TxState.Committed, after.Status);
            Assert.True((await client.VerifyTxAsync(acknowledged.First(), genesis)).Ok);
        }
    }

    [Fact]
    public async Task Kill_9_during_ingest_loses_no_accepted_reading_and_all_are_anchored_after_restart()
    {
        var genesis = DevChain.Initialize(_directory, "crash-ingest", DevChain.SampleOrgs, 1_700_000_000_000);
        var port = CliProcess.FreePort();
        var accepted = new ConcurrentBag<(Address Device, ulong Seq)>();
        var devices = Enumerable.Range(0, 20).Select(_ => KeyPair.Generate()).ToArray();

        using (var node = await NodeProcess.StartAsync(_directory, port))
        {
            using var client = new ThingLedgerClient(node.Url);
            var admin = await Account.OpenAsync(client, DevChain.Keys(_directory).Load(DevChain.AdminKeyName("voltmotors")), genesis.ChainId);
            var setup = new List<Core.Ledger.Transaction> { admin.Sign(Operations.RegisterSchema(Execution.Modules.Telemetry.BuiltInSchemas.SmartMeter)) };
            setup.AddRange(devices.Select((d, i) => admin.Sign(Operations.RegisterDevice(d, admin.ChainId, "voltmotors", "meter", $"M-{i}", admin.Address))));
            Assert.All((await client.SubmitAsync(setup, wait: true)).Results, r => Assert.Equal(TxState.Committed, r.Status));

            using var stopLoad = new CancellationTokenSource();
            var load = devices.Chunk(5).Select(mine => Task.Run(async () =>
            {
                using var loadClient = new ThingLedgerClient(node.Url);
                var signers = mine.Select(d => new DeviceSigner(d, genesis.ChainId)).ToArray();
                try
                {
                    // Bounded: at most 300 uploads per sender, and it stops when the node dies.
                    for (var round = 0; round < 300 && !stopLoad.IsCancellationRequested; round++)
                    {
                        var now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                        var batches = signers.Select(s => s.SignBatch([.. Enumerable.Range(0, 10).Select(_ => s.Measure(Execution.Modules.Telemetry.BuiltInSchemas.SmartMeter, now, 10, 20, 500))])).ToList();
                        var response = await loadClient.UploadReadingsAsync([], batches, attempts: 1);
                        Assert.Equal(0, response.Rejected);
                        foreach (var b in batches)
                        {
                            foreach (var r in b.Readings)
                            {
                                accepted.Add((r.Device, r.Sequence));
                            }
                        }
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or ThingLedgerException)
                {
                    // The node was killed mid-request: nothing from this upload was acknowledged.
                }
            })).ToArray();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (accepted.Count < 3_000 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
            node.KillHard();
            await stopLoad.CancelAsync();
            await Task.WhenAll(load);
        }
        Assert.True(accepted.Count >= 3_000, $"only {accepted.Count} readings were accepted before the kill");

        using var restarted = await NodeProcess.StartAsync(_directory, port);
        using var after = new ThingLedgerClient(restarted.Url);
        foreach (var device in devices)
        {
            var latest = await after.GetLatestReadingAsync(device.Address);
            var mine = accepted.Where(a => a.Device == device.Address).Select(a => a.Seq).DefaultIfEmpty(0ul).Max();
            Assert.True(latest is not null && latest.Seq >= mine, $"device {device.Address}: accepted up to {mine}, stored up to {latest?.Seq}");
        }
        var waitUntil = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var status = await after.GetTelemetryStatusAsync();
        while (status.PendingReadings > 0 && DateTime.UtcNow < waitUntil)
        {
            await Task.Delay(100);
            status = await after.GetTelemetryStatusAsync();
        }
        Assert.Equal(0ul, status.PendingReadings);
        Assert.True(status.AnchoredReadings >= (ulong)accepted.Count);
        var sample = accepted.First();
        var receipt = await after.GetReadingReceiptAsync(sample.Device, sample.Seq);
        Assert.True(receipt.Verify(genesis).Ok);
    }
}
