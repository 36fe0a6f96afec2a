using Microsoft.Extensions.DependencyInjection;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Verification;
using ThingLedger.Execution.Modules.Telemetry;

namespace ThingLedger.Node.Tests;

public sealed class TelemetryTests : IClassFixture<TelemetryFixture>
{
    private static readonly TimeSpan AnchorWait = TimeSpan.FromSeconds(20);
    private readonly TelemetryFixture _fixture;

    public TelemetryTests(TelemetryFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task A_device_with_one_reading_shows_it_on_its_page_as_a_point()
    {
        var (key, signer) = await _fixture.NewDeviceAsync();
        using var client = _fixture.Node.Client();
        var response = await client.UploadReadingsAsync([signer.Sign(_fixture.EvReading(signer))], []);
        Assert.Equal(1, response.Accepted);
        var html = await _fixture.Node.CreateClient().GetStringAsync($"/devices/{key.Address}");
        Assert.Contains("1 readings", html, StringComparison.Ordinal);
        Assert.Equal(_fixture.Ev.Fields.Length, html.Split("data-single-point").Length - 1);
    }

    [Fact]
    public async Task A_device_page_says_when_readings_were_recorded_long_after_they_were_measured()
    {
        using var client = _fixture.Node.Client();
        var (live, liveSigner) = await _fixture.NewDeviceAsync();
        var (buffered, bufferedSigner) = await _fixture.NewDeviceAsync();
        var now = TelemetryFixture.Now;
        var fresh = _fixture.EvReading(liveSigner, now);
        var old = _fixture.EvReading(bufferedSigner, now - (3 * 3_600_000));
        Assert.Equal(2, (await client.UploadReadingsAsync([liveSigner.Sign(fresh), bufferedSigner.Sign(old)], [])).Accepted);
        await client.GetVerifiedReceiptAsync(live.Address, fresh.Sequence, _fixture.Node.Genesis, AnchorWait);
        await client.GetVerifiedReceiptAsync(buffered.Address, old.Sequence, _fixture.Node.Genesis, AnchorWait);

        var page = await _fixture.Node.CreateClient().GetStringAsync($"/devices/{buffered.Address}");
        Assert.Contains("data-buffered", page, StringComparison.Ordinal);
        Assert.Contains("reached the ledger hours or days later", page, StringComparison.Ordinal);
        var livePage = await _fixture.Node.CreateClient().GetStringAsync($"/devices/{live.Address}");
        Assert.DoesNotContain("data-buffered", livePage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reading_signed_alone_is_stored_anchored_and_its_receipt_verifies_offline()
    {
        var (_, signer) = await _fixture.NewDeviceAsync();
        using var client = _fixture.Node.Client();
        var reading = _fixture.EvReading(signer);
        var response = await client.UploadReadingsAsync([signer.Sign(reading)], []);
        Assert.Equal((1, 0, 0), (response.Accepted, response.Duplicates, response.Rejected));

        var receipt = await client.GetVerifiedReceiptAsync(signer.Device, reading.Sequence, _fixture.Node.Genesis, AnchorWait);
        var trace = new LinkTrace();
        var result = ProofDocument.Parse(receipt.ToJson()).Verify(_fixture.Node.Genesis, trace);
        Assert.True(result.Ok, result.Message);
        Assert.Equal(ProofDocument.ReadingKind, receipt.Kind);
        Assert.Equal(
            ["genesis", "header", "reading", "device-key", "signature", "anchor-tx", "certificate", "transaction", "tx-inclusion", "receipt-inclusion", "anchor-path", "anchor-summary"],
            trace.Checks.Select(c => c.Link));
        Assert.All(trace.Checks, c => Assert.True(c.Ok, c.Message));

        // A tampered signature: the links before it held, it broke, nothing after it was checked.
        var tampered = ProofDocument.Parse(receipt.ToJson());
        tampered.Signature = Flip(tampered.Signature!, 10);
        var brokenTrace = new LinkTrace();
        Assert.False(tampered.Verify(_fixture.Node.Genesis, brokenTrace).Ok);
        Assert.Equal(["genesis:True", "header:True", "reading:True", "device-key:True", "signature:False"], brokenTrace.Checks.Select(c => $"{c.Link}:{c.Ok}"));

        var latest = await client.GetLatestReadingAsync(signer.Device);
        Assert.Equal(reading.Sequence, latest!.Seq);
        Assert.Equal("52.3", latest.Values["speed_kmh"]);
        Assert.NotNull(latest.AnchorTx);
    }

    [Fact]
    public async Task Every_reading_of_a_device_batch_has_its_own_receipt()
    {
        var (_, signer) = await _fixture.NewDeviceAsync();
        using var client = _fixture.Node.Client();
        var readings = Enumerable.Range(0, 60).Select(i => _fixture.EvReading(signer, TelemetryFixture.Now - 60_000 + ((ulong)i * 1_000))).ToList();
        var response = await client.UploadReadingsAsync([], [signer.SignBatch(readings)]);
        Assert.Equal(60, response.Accepted);
        foreach (var reading in new[] { readings[0], readings[37], readings[59] })
        {
            var receipt = await client.GetVerifiedReceiptAsync(signer.Device, reading.Sequence, _fixture.Node.Genesis, AnchorWait);
            Assert.NotNull(receipt.BatchProof);
            Assert.Null(receipt.Signature);
        }
    }

    [Fact]
    public async Task A_tampered_byte_anywhere_breaks_the_receipt_at_the_link_it_is_in()
    {
        var (_, signer) = await _fixture.NewDeviceAsync();
        using var client = _fixture.Node.Client();
        var readings = Enumerable.Range(0, 3).Select(_ => _fixture.EvReading(signer)).ToList();
        await client.UploadReadingsAsync([signer.Sign(readings[0])], [signer.SignBatch(readings[1..])]);
        var single = await client.GetVerifiedReceiptAsync(signer.Device, readings[0].Sequence, _fixture.Node.Genesis, AnchorWait);
        var batched = await client.GetVerifiedReceiptAsync(signer.Device, readings[2].Sequence, _fixture.Node.Genesis, AnchorWait);

        Assert.Equal("signature", Broken(single, d => d.Reading = Flip(d.Reading!, d.Reading!.Length - 1)));
        Assert.Equal("device-key", Broken(single, d => d.Reading = Flip(d.Reading!, 30)));
        Assert.Equal("reading", Broken(single, d => d.Reading = d.Reading![..^2]));
        Assert.Equal("device-key", Broken(single, d => d.DeviceKey = Flip(d.DeviceKey!, 40)));
        Assert.Equal("signature", Broken(single, d => d.Signature = Flip(d.Signature!, 10)));
        Assert.Equal("anchor-path", Broken(single, d => d.AnchorProof = Flip(d.AnchorProof!, d.AnchorProof!.Length - 4)));
        Assert.Equal("anchor-tx", Broken(single, d => d.Tx = Flip(d.Tx!, 120)));
        Assert.Equal("certificate", Broken(single, d => d.Header = Flip(d.Header!, 50)));
        Assert.Equal("certificate", Broken(single, d => d.Certificate = Flip(d.Certificate!, d.Certificate!.Length - 3)));
        Assert.Equal("signature", Broken(batched, d => d.BatchSignature = Flip(d.BatchSignature!, 6)));
        Assert.Equal("signature", Broken(batched, d => d.BatchProof = Flip(d.BatchProof!, d.BatchProof!.Length - 4)));
        // A batch receipt carrying a reading signature too (which would go unchecked) is refused whole.
        Assert.Equal("signature", Broken(batched, d => d.Signature = single.Signature));
    }

    [Fact]
    public async Task Resending_a_batch_reports_duplicates_and_the_chain_counts_it_once()
    {
        var (_, signer) = await _fixture.NewDeviceAsync();
        using var client = _fixture.Node.Client();
        var batch = signer.SignBatch([.. Enumerable.Range(0, 10).Select(_ => _fixture.EvReading(signer))]);
        Assert.Equal(10, (await client.UploadReadingsAsync([], [batch])).Accepted);
        var again = await client.UploadReadingsAsync([], [batch]);
        Assert.Equal((0, 10, 0), (again.Accepted, again.Duplicates, again.Rejected));
        Assert.All(again.Results, r => Assert.Equal(ReadingUploadStatus.Duplicate, r.Status));
        await client.GetVerifiedReceiptAsync(signer.Device, batch.Readings[^1].Sequence, _fixture.Node.Genesis, AnchorWait);

        var node = _fixture.Node.Services.GetRequiredService<Chain.LedgerNode>();
        var onChain = TelemetryModule.ReadDevice(node.Store, signer.Device)!;
        Assert.Equal(10ul, onChain.Count);
        var totals = TelemetryModule.ReadTotals(node.Store, signer.Device, "ev@1")!;
        Assert.Equal(10 * 7_500L, totals.Sums[BuiltInSchemas.Ev.AdditiveFields().ToList().IndexOf(BuiltInSchemas.Ev.IndexOf("distance_km"))]);
    }

    [Fact]
    public async Task The_json_form_maps_one_to_one_onto_the_signed_bytes()
    {
        var (_, signer) = await _fixture.NewDeviceAsync();
        using var client = _fixture.Node.Client();
        var single = _fixture.EvReading(signer);
        var batch = new[] { _fixture.EvReading(signer), _fixture.EvReading(signer) };
        var signedSingle = signer.Sign(single);
        var signedBatch = signer.SignBatch(batch);
        var upload = new ReadingUploadJson(
            [ReadingJsonMapper.ToJson(single, _fixture.Ev, signedSingle.Signature)],
            [new DeviceBatchJson(signer.Device.ToString(), [.. batch.Select(r => ReadingJsonMapper.ToJson(r, _fixture.Ev, null))], Convert.ToHexStringLower(signedBatch.Signature))]);
        var response = await client.UploadReadingsJsonAsync(upload);
        Assert.Equal(3, response.Accepted);
        var stored = await client.GetReadingHistoryAsync(signer.Device);
        Assert.Equal(Convert.ToHexStringLower(single.Encoded.Span), stored.Items.Single(r => r.Seq == single.Sequence).Bytes);
    }

    [Fact]
    public async Task History_pages_newest_first_and_filters_by_time()
    {
        var (_, signer) = await _fixture.NewDeviceAsync();
        using var client = _fixture.Node.Client();
        var start = TelemetryFixture.Now - 100_000;
        var readings = Enumerable.Range(0, 25).Select(i => _fixture.EvReading(signer, start + ((ulong)i * 1_000))).ToList();
        await client.UploadReadingsAsync([], [signer.SignBatch(readings)]);
        var first = await client.GetReadingHistoryAsync(signer.Device, limit: 10);
        var second = await client.GetReadingHistoryAsync(signer.Device, before: first.Next, limit: 10);
        Assert.Equal(readings[^1].Sequence, first.Items[0].Seq);
        Assert.Equal(readings[^11].Sequence, second.Items[0].Seq);
        var window = await client.GetReadingHistoryAsync(signer.Device, from: start + 5_000, to: start + 7_000);
        Assert.Equal([readings[7].Sequence, readings[6].Sequence, readings[5].Sequence], window.Items.Select(r => r.Seq));
    }

    private string Broken(ProofDocument receipt, Action<ProofDocument> tamper)
    {
        var copy = ProofDocument.Parse(receipt.ToJson());
        tamper(copy);
        var result = copy.Verify(_fixture.Node.Genesis);
        Assert.False(result.Ok);
        return result.Link;
    }

    private static string Flip(string hex, int at) => hex[..at] + (hex[at] == '0' ? '1' : '0') + hex[(at + 1)..];
}
