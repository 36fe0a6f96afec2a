using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution;

namespace ThingLedger.Node.Tests;

/// <summary>
/// Inputs that once got past the edge: duplicate JSON names (the node took the last, another
/// reader may take the first), null list entries (500s), uploads whose declared size makes the
/// node do unbounded work before refusing them, wrong media types and negative heights.
/// </summary>
public sealed class StrictInputTests : IClassFixture<TelemetryFixture>
{
    private readonly TelemetryFixture _fixture;

    public StrictInputTests(TelemetryFixture fixture) => _fixture = fixture;

    private TestNode Node => _fixture.Node;

    private static async Task<(HttpStatusCode Status, string Code, string Body)> PostAsync(HttpClient http, string path, string body, string type = "application/json")
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        using var response = await http.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        var code = text.StartsWith('{') && JsonDocument.Parse(text).RootElement.TryGetProperty("code", out var c) ? c.GetString()! : string.Empty;
        return (response.StatusCode, code, text);
    }

    [Fact]
    public async Task A_submission_with_a_repeated_or_case_variant_tx_member_is_refused_and_neither_tx_commits()
    {
        var admin = await Node.AccountAsync(Node.Admin("gridco"));
        var a = admin.Sign(Operations.AddMember("gridco", KeyPair.Generate().Address, Roles.Auditor));
        var b = Operations.AddMember("gridco", KeyPair.Generate().Address, Roles.Auditor).Sign(Node.Genesis.ChainId, admin.Key, a.Nonce);
        var hexA = Convert.ToHexStringLower(a.Encode());
        var hexB = Convert.ToHexStringLower(b.Encode());
        var http = Node.CreateClient();
        foreach (var body in new[] { $"{{\"tx\":\"{hexA}\",\"tx\":\"{hexB}\"}}", $"{{\"TX\":\"{hexA}\",\"tx\":\"{hexB}\"}}", $"{{\"tx\":\"{hexA}\",\"t\\u0078\":\"{hexB}\"}}" })
        {
            var (status, code, text) = await PostAsync(http, "/v1/txs", body);
            Assert.True(status == HttpStatusCode.BadRequest && code == ErrorCodes.JsonDuplicateKey, text);
        }
        using var client = Node.Client();
        Assert.Null(await client.GetTxAsync(a.Id));
        Assert.Null(await client.GetTxAsync(b.Id));
        Assert.Equal(TxState.Committed, (await client.SubmitAsync(a, wait: true)).Status);
    }

    [Fact]
    public async Task A_submission_that_is_not_JSON_gets_415_and_JSON_of_the_wrong_shape_400()
    {
        var http = Node.CreateClient();
        var (status, code, _) = await PostAsync(http, "/v1/txs", "{\"tx\":\"00\"}", "text/plain");
        Assert.Equal((HttpStatusCode.UnsupportedMediaType, ErrorCodes.UnsupportedMediaType), (status, code));
        Assert.Equal((HttpStatusCode.UnsupportedMediaType, ErrorCodes.UnsupportedMediaType), (await PostAsync(http, "/v1/readings", "{}", "text/csv")) is var r ? (r.Status, r.Code) : default);
        Assert.Equal((HttpStatusCode.BadRequest, ErrorCodes.BadRequest), (await PostAsync(http, "/v1/txs", "{\"tx\":1}")) is var s ? (s.Status, s.Code) : default);
        Assert.Equal((HttpStatusCode.BadRequest, ErrorCodes.BadRequest), (await PostAsync(http, "/v1/txs", "null")) is var n ? (n.Status, n.Code) : default);
        Assert.Equal((HttpStatusCode.BadRequest, ErrorCodes.BadRequest), (await PostAsync(http, "/v1/txs", "{\"tx\":")) is var t ? (t.Status, t.Code) : default);
    }

    [Theory]
    [InlineData("{\"readings\":[null]}", "$.readings[0]")]
    [InlineData("{\"batches\":[null]}", "$.batches[0]")]
    [InlineData("{\"batches\":[{\"device\":\"x\",\"readings\":[null],\"signature\":\"\"}]}", "$.batches[0].readings[0]")]
    [InlineData("{\"readings\":[1]}", "$.readings[0]")]
    [InlineData("{\"readings\":{}}", "$.readings")]
    [InlineData("{\"readings\":[],\"extra\":1}", "$.extra")]
    [InlineData("[]", "$")]
    public async Task Null_and_misshapen_upload_entries_are_READINGS_MALFORMED_not_500(string body, string path)
    {
        var (status, code, text) = await PostAsync(Node.CreateClient(), "/v1/readings", body);
        Assert.True(status == HttpStatusCode.BadRequest && code == ErrorCodes.ReadingsMalformed, text);
        Assert.Contains(path, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reading_with_a_repeated_value_or_sequence_is_refused_whole()
    {
        var (_, signer) = await _fixture.NewDeviceAsync();
        var reading = _fixture.EvReading(signer);
        var json = ReadingJsonMapper.ToJson(reading, _fixture.Ev, signer.Sign(reading).Signature);
        var text = JsonSerializer.Serialize(new ReadingUploadJson([json], null), TelemetryJson.Default.ReadingUploadJson);
        var field = _fixture.Ev.Fields[0].Name;
        var twiceValue = text.Replace($"\"{field}\":", $"\"{field}\":0,\"{field}\":", StringComparison.Ordinal);
        var twiceSeq = text.Replace("\"seq\":", "\"seq\":999,\"seq\":", StringComparison.Ordinal);
        var http = Node.CreateClient();
        foreach (var body in new[] { twiceValue, twiceSeq })
        {
            Assert.NotEqual(text, body);
            var (status, code, answer) = await PostAsync(http, "/v1/readings", body);
            Assert.True(status == HttpStatusCode.BadRequest && code == ErrorCodes.JsonDuplicateKey, answer);
        }
        using var client = Node.Client();
        Assert.Null((await client.GetReadingHistoryAsync(reading.Device)).Items.FirstOrDefault());
        var (okStatus, _, okText) = await PostAsync(http, "/v1/readings", text);
        Assert.True(okStatus == HttpStatusCode.OK && okText.Contains("\"accepted\":1", StringComparison.Ordinal), okText);
    }

    [Fact]
    public async Task Uploads_claiming_more_readings_than_the_limit_are_refused_before_they_are_decoded()
    {
        // The test node allows 500 readings per upload.
        var http = Node.CreateClient();
        var json = "{\"readings\":[" + string.Join(',', Enumerable.Repeat("{}", 100_000)) + "]}";
        var (status, code, text) = await PostAsync(http, "/v1/readings", json);
        Assert.True(status == HttpStatusCode.RequestEntityTooLarge && code == ErrorCodes.BatchTooLarge, text);
        Assert.Contains("$.readings[500]", text, StringComparison.Ordinal);

        // A device batch whose count says 1,024 zero-length readings, repeated: the frame is refused at the first count past the limit.
        var frame = new List<byte> { ReadingUpload.CurrentVersion, 0x80, 0x20 };   // 4,096 items
        using var content = new ByteArrayContent([.. frame, .. Enumerable.Repeat(new byte[] { ReadingUpload.BatchKind }.Concat(new byte[Address.Size]).Concat(new byte[] { 0x80, 0x08 }).Concat(new byte[1024]).Concat(new byte[Signature.Size]), 4).SelectMany(b => b)]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.thingledger.readings");
        var binary = await http.PostAsync("/v1/readings", content);
        var binaryText = await binary.Content.ReadAsStringAsync();
        Assert.True(binary.StatusCode == HttpStatusCode.RequestEntityTooLarge && binaryText.Contains(ErrorCodes.BatchTooLarge, StringComparison.Ordinal), binaryText);

        // An item count above the limit alone is enough.
        using var claim = new ByteArrayContent([ReadingUpload.CurrentVersion, 0x80, 0x20]);
        claim.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.thingledger.readings");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await http.PostAsync("/v1/readings", claim)).StatusCode);
    }

    [Fact]
    public async Task A_negative_block_height_is_a_bad_request_not_a_missing_block()
    {
        var response = await Node.CreateClient().GetAsync("/v1/blocks/-1");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(ErrorCodes.BadRequest, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
