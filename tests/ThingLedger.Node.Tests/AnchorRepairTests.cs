using Microsoft.Extensions.DependencyInjection;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Node.Chain;
using ThingLedger.Node.Telemetry;

namespace ThingLedger.Node.Tests;

public sealed class AnchorRepairTests
{
    [Fact]
    public async Task An_anchor_committed_but_not_recorded_is_recovered_from_the_chain_not_sent_again()
    {
        // The background anchorer waits an hour: this test plays its part by hand.
        using var node = new TestNode { AnchorIntervalMs = 3_600_000 };
        using var client = node.Client();
        using var device = KeyPair.Generate();
        await UploadWasherReadingsAsync(node, client, device, 5);

        // The node anchors, the block commits, and the node stops before writing it down.
        var ledger = node.Services.GetRequiredService<LedgerNode>();
        var payload = AnchorBuilder.Build(ledger.Readings.Unanchored(1, 100), (id, v) => TelemetryModule.ReadSchema(ledger.Store, id, v)?.Schema).Single();
        var anchor = Transaction.Create(ledger.Genesis.ChainId, TelemetryModule.ModuleName, TelemetryModule.Anchor, Canonical.Encode(payload),
            ledger.ValidatorKey, StateMachine.LastNonce(ledger.Store, ledger.ValidatorKey.Address) + 1, ulong.MaxValue);
        Assert.Equal(TxState.Committed, (await client.SubmitAsync(anchor, wait: true)).Status);
        Assert.Equal(0ul, ledger.Readings.LastAnchoredIngest);

        var anchorer = node.Services.GetRequiredService<Anchorer>();
        Assert.Equal(0, await anchorer.AnchorRoundAsync(CancellationToken.None));
        Assert.Equal(5ul, ledger.Readings.LastAnchoredIngest);
        Assert.Equal(1ul, TelemetryModule.ReadCustodian(ledger.Store, ledger.ValidatorKey.Address)!.Anchors);
        var receipt = await client.GetReadingReceiptAsync(device.Address, 3);
        Assert.True(receipt.Verify(node.Genesis).Ok);
        Assert.Equal(anchor.Id.ToString(), (await client.GetLatestReadingAsync(device.Address))!.AnchorTx);
    }

    [Fact]
    public async Task A_backlog_larger_than_a_round_is_anchored_in_consecutive_rounds_without_waiting_for_the_timer()
    {
        using var node = new TestNode { AnchorIntervalMs = 3_600_000 };
        using var client = node.Client();
        using var device = KeyPair.Generate();
        await UploadWasherReadingsAsync(node, client, device, 25);

        var ledger = node.Services.GetRequiredService<LedgerNode>();
        var anchorer = node.Services.GetRequiredService<Anchorer>();
        Assert.Equal(25, await anchorer.AnchorBacklogAsync(CancellationToken.None, roundLimit: 10));

        Assert.Equal(25ul, ledger.Readings.LastAnchoredIngest);
        Assert.Equal(3ul, TelemetryModule.ReadCustodian(ledger.Store, ledger.ValidatorKey.Address)!.Anchors);
        Assert.Equal(0, await anchorer.AnchorBacklogAsync(CancellationToken.None, roundLimit: 10));
        var receipt = await client.GetReadingReceiptAsync(device.Address, 25);
        Assert.True(receipt.Verify(node.Genesis).Ok);
    }

    /// <summary>Registers the washer schema and <paramref name="device"/>, then uploads one device batch of <paramref name="count"/> readings.</summary>
    private static async Task UploadWasherReadingsAsync(TestNode node, ThingLedgerClient client, KeyPair device, int count)
    {
        var admin = await node.AccountAsync(node.Admin("voltmotors"));
        var setup = await client.SubmitAsync(
            [admin.Sign(Operations.RegisterSchema(BuiltInSchemas.Washer)), admin.Sign(Operations.RegisterDevice(device, admin.ChainId, "voltmotors", "wm", "WM-1", admin.Address))], wait: true);
        Assert.All(setup.Results, r => Assert.Equal(TxState.Committed, r.Status));
        var signer = new DeviceSigner(device, node.Genesis.ChainId);
        var now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.Equal(count, (await client.UploadReadingsAsync([], [signer.SignBatch([.. Enumerable.Range(0, count).Select(_ => signer.Measure(BuiltInSchemas.Washer, now, 500, 1))])])).Accepted);
    }
}
