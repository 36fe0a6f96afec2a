using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Merkle;
using ThingLedger.Core.Telemetry;
using ThingLedger.Core.Verification;
using ThingLedger.Execution.Modules.Telemetry;

namespace ThingLedger.Node.Tests;

/// <summary>
/// A receipt counts a reading only when one of its anchor's summaries says so: same device,
/// schema and version, the reading's UTC day, and a sequence range holding it. The anchors here
/// are written by hand with the node's own key (nothing is uploaded, so its anchorer is idle).
/// </summary>
public sealed class ReadingReceiptSummaryTests
{
    [Theory]
    [InlineData(0, "")]
    [InlineData(-1, "anchor-summary")]
    [InlineData(1, "anchor-summary")]
    public async Task A_summary_of_another_day_does_not_cover_the_reading(int dayOffset, string brokenLink)
    {
        using var node = new TestNode();
        using var client = node.Client();
        var admin = await node.AccountAsync(node.Admin("voltmotors"));
        using var deviceKey = KeyPair.Generate();
        var setup = await client.SubmitAsync(
            [admin.Sign(Operations.RegisterSchema(BuiltInSchemas.Ev)),
             admin.Sign(Operations.RegisterDevice(deviceKey, admin.ChainId, "voltmotors", "ev-x1", "SN-SUMMARY", admin.Address))], wait: true);
        Assert.All(setup.Results, r => Assert.Equal(TxState.Committed, r.Status));

        var signer = new DeviceSigner(deviceKey, node.Genesis.ChainId);
        // Noon yesterday, so that the day before and after are both days execution accepts.
        var time = ((TelemetryFixture.Now / DeviceSummary.DayMs) - 1) * DeviceSummary.DayMs + (DeviceSummary.DayMs / 2);
        var signed = signer.Sign(signer.Measure(BuiltInSchemas.Ev, time, 1_000, 523, 1_250, 800, 95, 7_500, 0, 0));
        var reading = signed.Reading;
        var summary = new DeviceSummary(reading.Device, "ev", 1, 1, reading.Sequence, reading.Sequence, new long[BuiltInSchemas.Ev.AdditiveCount()])
        {
            Day = (uint)(DeviceSummary.DayOf(time) + dayOffset),
        };
        var anchor = new AnchorPayload(MerkleTree.Root([reading.LeafHash]), 1, time, time, 1, 1, [summary]);
        using var nodeKey = KeyPair.ImportPem(File.ReadAllText(DataDirectory.NodeKeyPath(node.Directory)));
        var custodian = await node.AccountAsync(nodeKey);
        var anchorTx = custodian.Sign(Operations.Anchor(anchor));
        Assert.Equal(TxState.Committed, (await client.SubmitAsync(anchorTx, wait: true)).Status);

        var receipt = await client.GetTxProofAsync(anchorTx.Id);
        receipt.Kind = ProofDocument.ReadingKind;
        receipt.Reading = Convert.ToHexStringLower(reading.Encoded.ToArray());
        receipt.DeviceKey = deviceKey.PublicKey.ToHex();
        receipt.Signature = Convert.ToHexStringLower(signed.Signature);
        receipt.AnchorProof = Convert.ToHexStringLower(Core.Codec.Canonical.Encode(MerkleTree.Prove([reading.LeafHash], 0)));
        var result = ProofDocument.Parse(receipt.ToJson()).Verify(node.Genesis);
        Assert.True(result.Ok == (brokenLink.Length == 0), result.Message);
        Assert.Equal(brokenLink, result.Ok ? string.Empty : result.Link);
    }
}
