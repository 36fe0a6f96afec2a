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
/// schema and version, the reading's UTC day (and period of the day, for a schema with one), and
/// a sequence range holding it. The anchors here are written by hand with the node's own key
/// (nothing is uploaded, so its anchorer is idle).
/// </summary>
public sealed class ReadingReceiptSummaryTests
{
    /// <summary>Yesterday at <paramref name="msIntoDay"/>, so that the day before and after are both days execution accepts.</summary>
    private static ulong Yesterday(ulong msIntoDay) => ((TelemetryFixture.Now / DeviceSummary.DayMs) - 1) * DeviceSummary.DayMs + msIntoDay;

    [Theory]
    [InlineData(0, "")]
    [InlineData(-1, "anchor-summary")]
    [InlineData(1, "anchor-summary")]
    public async Task A_summary_of_another_day_does_not_cover_the_reading(int dayOffset, string brokenLink)
    {
        var time = Yesterday(DeviceSummary.DayMs / 2);
        var result = await VerifyAsync("voltmotors", BuiltInSchemas.Ev, time, [1_000, 523, 1_250, 800, 95, 7_500, 0, 0], reading =>
            new DeviceSummary(reading.Device, "ev", 1, 1, reading.Sequence, reading.Sequence, new long[BuiltInSchemas.Ev.AdditiveCount()])
            {
                Day = (uint)(DeviceSummary.DayOf(time) + dayOffset),
            });
        Assert.True(result.Ok == (brokenLink.Length == 0), result.Message);
        Assert.Equal(brokenLink, result.Ok ? string.Empty : result.Link);
    }

    [Theory]
    [InlineData(0, "")]
    [InlineData(-15, "anchor-summary")]
    [InlineData(15, "anchor-summary")]
    public async Task A_summary_of_another_period_of_the_day_does_not_cover_the_reading(int minutesOffset, string brokenLink)
    {
        // 12:05: in the 12:00 quarter-hour; the summary names that one, the one before or the one after.
        var time = Yesterday((12 * 3_600_000UL) + 300_000);
        var result = await VerifyAsync("gridco", BuiltInSchemas.SmartMeter2, time, [0, 400, 550], reading =>
            new DeviceSummary(reading.Device, "smart-meter", 2, 1, reading.Sequence, reading.Sequence, [0, 400])
            {
                Day = DeviceSummary.DayOf(time),
                Period = new SummaryPeriod((ushort)(720 + minutesOffset), 15),
            });
        Assert.True(result.Ok == (brokenLink.Length == 0), result.Message);
        Assert.Equal(brokenLink, result.Ok ? string.Empty : result.Link);
    }

    /// <summary>One reading of a device of <paramref name="org"/>, anchored under the summary given, and its receipt verified.</summary>
    private static async Task<VerificationResult> VerifyAsync(string org, TelemetrySchema schema, ulong time, long[] values, Func<Reading, DeviceSummary> summaryOf)
    {
        using var node = new TestNode();
        using var client = node.Client();
        var admin = await node.AccountAsync(node.Admin(org));
        using var deviceKey = KeyPair.Generate();
        var setup = await client.SubmitAsync(
            [admin.Sign(Operations.RegisterSchema(schema)),
             admin.Sign(Operations.RegisterDevice(deviceKey, admin.ChainId, org, "model-x1", "SN-SUMMARY", admin.Address))], wait: true);
        Assert.All(setup.Results, r => Assert.Equal(TxState.Committed, r.Status));

        var signer = new DeviceSigner(deviceKey, node.Genesis.ChainId);
        var signed = signer.Sign(signer.Measure(schema, time, values));
        var reading = signed.Reading;
        var anchor = new AnchorPayload(MerkleTree.Root([reading.LeafHash]), 1, time, time, 1, 1, [summaryOf(reading)]);
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
        return ProofDocument.Parse(receipt.ToJson()).Verify(node.Genesis);
    }
}
