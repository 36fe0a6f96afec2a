using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Devices;
using ThingLedger.Execution.Modules.Telemetry;

namespace ThingLedger.Node.Tests;

/// <summary>
/// Every kind of bad reading gets its own code and is not stored; the good readings of the same
/// upload are; the node keeps serving.
/// </summary>
public sealed class TelemetryBadInputTests : IClassFixture<TelemetryFixture>
{
    private readonly TelemetryFixture _fixture;

    public TelemetryBadInputTests(TelemetryFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task Each_bad_reading_gets_its_code_and_the_good_ones_of_the_upload_are_stored()
    {
        var (key, signer) = await _fixture.NewDeviceAsync();
        var (other, otherSigner) = await _fixture.NewDeviceAsync();
        var (revokedKey, revokedSigner) = await _fixture.NewDeviceAsync();
        using var client = _fixture.Node.Client();
        var admin = await _fixture.Node.AccountAsync(_fixture.Node.Admin("voltmotors"));
        Assert.Equal(TxState.Committed, (await client.SubmitAsync(admin.Sign(Operations.RevokeDevice(revokedKey.Address, "stolen")), wait: true)).Status);
        using var unknown = KeyPair.Generate();
        var unknownSigner = new DeviceSigner(unknown, _fixture.Node.Genesis.ChainId);
        var chain = _fixture.Node.Genesis.ChainId;
        var now = TelemetryFixture.Now;

        var good = _fixture.EvReading(signer);
        var outOfRange = signer.Measure(_fixture.Ev, now, 1, 9_999, 0, 0, 0, 0, 0, 0);
        var future = _fixture.EvReading(signer, now + 3_600_000);
        var ancient = _fixture.EvReading(signer, now - (30L * 24 * 3_600_000));
        var unknownSchema = new Reading(signer.Device, signer.NextSequence + 100, now, "toaster", 1, [1]);
        var badSignature = _fixture.EvReading(signer);
        var highS = _fixture.EvReading(signer);
        var otherKey = _fixture.EvReading(signer);
        var good2 = _fixture.EvReading(signer);
        var duplicate = good2;
        var fromUnknown = _fixture.EvReading(unknownSigner);
        var fromRevoked = _fixture.EvReading(revokedSigner);
        var singles = new List<SignedReading>
        {
            signer.Sign(good),                                                                    // 0
            signer.Sign(outOfRange),                                                              // 1
            signer.Sign(future),                                                                  // 2
            signer.Sign(ancient),                                                                 // 3
            new(unknownSchema, unknownSchema.Sign(key, chain)),                                   // 4
            new(badSignature, Flip(signer.Sign(badSignature).Signature)),                         // 5
            new(highS, Signature.ToHighS(signer.Sign(highS).Signature)),                          // 6
            new(otherKey, otherKey.Sign(other, chain)),                                           // 7
            signer.Sign(good2),                                                                   // 8
            signer.Sign(duplicate),                                                               // 9
            unknownSigner.Sign(fromUnknown),                                                      // 10
            revokedSigner.Sign(fromRevoked),                                                      // 11
        };
        var batchReadings = new[] { _fixture.EvReading(otherSigner), _fixture.EvReading(otherSigner) };
        var repeated = otherSigner.SignBatch([batchReadings[0], batchReadings[0]]);
        var response = await client.UploadReadingsAsync(singles, [repeated]);

        string? CodeOf(int item, int index = 0) => response.Results.Single(r => r.Item == item && r.Index == index).Code;
        Assert.Null(CodeOf(0));
        Assert.Equal(TelemetryErrors.ReadingOutOfRange, CodeOf(1));
        Assert.Equal(TelemetryErrors.ReadingTimeSkew, CodeOf(2));
        Assert.Equal(TelemetryErrors.ReadingTimeSkew, CodeOf(3));
        Assert.Equal(TelemetryErrors.SchemaNotFound, CodeOf(4));
        Assert.Equal(ErrorCodes.SignatureInvalid, CodeOf(5));
        Assert.Equal(ErrorCodes.SignatureHighS, CodeOf(6));
        Assert.Equal(ErrorCodes.SignatureInvalid, CodeOf(7));
        Assert.Null(CodeOf(8));
        Assert.Equal(TelemetryErrors.ReadingDuplicateInBatch, CodeOf(9));
        Assert.Equal(DevicesErrors.DeviceNotFound, CodeOf(10));
        Assert.Equal(DevicesErrors.DeviceRevoked, CodeOf(11));
        Assert.Equal(TelemetryErrors.DeviceBatchRejected, CodeOf(12, 0));
        Assert.Equal(TelemetryErrors.ReadingDuplicateInBatch, CodeOf(12, 1));
        Assert.Equal((2, 0, 12), (response.Accepted, response.Duplicates, response.Rejected));

        var stored = (await client.GetReadingHistoryAsync(signer.Device, limit: 100)).Items.Select(r => r.Seq).ToList();
        Assert.Equal([good2.Sequence, good.Sequence], stored);
        Assert.Null(await client.GetLatestReadingAsync(otherSigner.Device));
        Assert.Null(await client.GetLatestReadingAsync(revokedSigner.Device));

        // Replayed (same sequence, other values) and decreasing sequence numbers.
        var replay = new Reading(signer.Device, good.Sequence, now, "ev", 1, [.. good.Values.Select(v => v + 1)]);
        var older = new Reading(signer.Device, good.Sequence - 1, now, "ev", 1, good.Values);
        var late = await client.UploadReadingsAsync([signer.Sign(replay), signer.Sign(older)], []);
        Assert.All(late.Results, r => Assert.Equal(TelemetryErrors.ReadingSequenceReplayed, r.Code));
        Assert.Equal(good.Values, (await client.GetReadingHistoryAsync(signer.Device)).Items.Single(r => r.Seq == good.Sequence).Values.Values
            .Zip(_fixture.Ev.Fields, (v, f) => TelemetrySchema.TryParseValue(v, f.Decimals, out var x) ? x : -1));
    }

    [Fact]
    public async Task Malformed_readings_and_frames_are_refused_precisely()
    {
        var (_, signer) = await _fixture.NewDeviceAsync();
        using var http = _fixture.Node.CreateClient();
        var good = signer.Sign(_fixture.EvReading(signer));
        var upload = Canonical.Encode(new ReadingUpload([good], []));

        // A reading whose own bytes are broken: that reading only.
        var brokenReading = SingleFrame(good.Reading.Encoded.Span[..^1].ToArray(), good.Signature);
        var response = await PostBinaryAsync(http, brokenReading);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(TelemetryErrors.ReadingMalformed, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A truncated or padded frame: the whole upload.
        foreach (var body in new[] { upload[..^5], [.. upload, 0], Array.Empty<byte>() })
        {
            var refused = await PostBinaryAsync(http, body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains(ErrorCodes.ReadingsMalformed, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        var json = await http.PostAsync("v1/readings", new StringContent("{\"readings\": [", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, json.StatusCode);
        Assert.Contains(ErrorCodes.ReadingsMalformed, await json.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await _fixture.Node.Client().GetLatestReadingAsync(signer.Device));
    }

    [Fact]
    public async Task Empty_and_oversized_uploads_and_device_batches_are_refused()
    {
        var (_, signer) = await _fixture.NewDeviceAsync();
        using var http = _fixture.Node.CreateClient();
        using var client = _fixture.Node.Client();

        var empty = await PostBinaryAsync(http, Canonical.Encode(new ReadingUpload([], [])));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains(ErrorCodes.BatchEmpty, await empty.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var emptyBatch = await client.UploadReadingsAsync([], [new SignedBatch(signer.Device, [], new byte[64])]);
        Assert.Equal(TelemetryErrors.DeviceBatchEmpty, emptyBatch.Results.Single().Code);

        var tooLong = Enumerable.Range(0, 65).Select(_ => _fixture.EvReading(signer)).ToList();
        var longBatch = await client.UploadReadingsAsync([], [signer.SignBatch(tooLong)]);
        Assert.All(longBatch.Results, r => Assert.Equal(TelemetryErrors.DeviceBatchTooLarge, r.Code));

        var many = Enumerable.Range(0, 8).Select(_ => signer.SignBatch([.. Enumerable.Range(0, 64).Select(_ => _fixture.EvReading(signer))])).ToList();
        var oversized = await PostBinaryAsync(http, Canonical.Encode(new ReadingUpload([], many)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversized.StatusCode);
        Assert.Contains(ErrorCodes.BatchTooLarge, await oversized.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(await client.GetLatestReadingAsync(signer.Device));

        var fine = await client.UploadReadingsAsync([signer.Sign(_fixture.EvReading(signer))], []);
        Assert.Equal(1, fine.Accepted);
    }

    private static Task<HttpResponseMessage> PostBinaryAsync(HttpClient http, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(ThingLedgerClient.ReadingsContentType);
        return http.PostAsync("v1/readings", content);
    }

    /// <summary>An upload of one signed item whose reading bytes are given as they are.</summary>
    private static byte[] SingleFrame(byte[] reading, byte[] signature)
    {
        var bytes = new byte[1 + 1 + 1 + CanonicalSizes.Bytes(reading.Length) + signature.Length];
        var writer = new SpanWriter(bytes);
        writer.WriteU8(ReadingUpload.CurrentVersion);
        writer.WriteVarUInt(1);
        writer.WriteU8(ReadingUpload.SingleKind);
        writer.WriteBytes(reading);
        writer.WriteFixed(signature);
        return bytes;
    }

    private static byte[] Flip(byte[] signature)
    {
        var copy = (byte[])signature.Clone();
        copy[5] ^= 0x01;
        return copy;
    }
}
