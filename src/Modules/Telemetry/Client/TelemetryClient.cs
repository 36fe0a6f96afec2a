using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Telemetry;
using ThingLedger.Core.Verification;
using ThingLedger.Execution.Modules.Telemetry;

[assembly: ThingLedger.Client.ModuleJson(typeof(ThingLedger.Client.TelemetryJson))]

namespace ThingLedger.Client;

public sealed partial class ThingLedgerClient
{
    public const string ReadingsContentType = "application/vnd.thingledger.readings";

    /// <summary>
    /// Uploads signed readings and device batches in the binary form. Per-reading rejections are in
    /// the response. Transport failures and 5xx answers are retried with the same bytes (up to
    /// <paramref name="attempts"/> times): the node answers "duplicate" for what it already has,
    /// so a retry never counts a reading twice.
    /// </summary>
    public async Task<ReadingUploadResponse> UploadReadingsAsync(
        IReadOnlyList<SignedReading> singles, IReadOnlyList<SignedBatch> batches, bool onlyRejected = false, int attempts = 3,
        CancellationToken cancellationToken = default, (KeyPair Operator, string ChainId)? historicImport = null)
    {
        var body = Canonical.Encode(new ReadingUpload(singles, batches));
        var path = onlyRejected ? "v1/readings?results=rejected" : "v1/readings";
        // A historic import names this very body, so the same grant serves the retries below.
        var grant = historicImport is { } h
            ? HistoricImportGrant.Create(h.Operator, h.ChainId, body, (ulong)DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeMilliseconds())
            : null;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue(ReadingsContentType);
                if (grant is not null)
                {
                    content.Headers.Add(HistoricImportGrant.Header, grant);
                }
                using var response = await _http.PostAsync(path, content, cancellationToken).ConfigureAwait(false);
                if ((int)response.StatusCode < 500 || attempt >= attempts)
                {
                    return await ReadAsync(response, TelemetryJson.Default.ReadingUploadResponse, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (HttpRequestException) when (attempt < attempts)
            {
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Uploads readings in the JSON form (one item per reading signed alone, then device batches).</summary>
    public async Task<ReadingUploadResponse> UploadReadingsJsonAsync(ReadingUploadJson upload, CancellationToken cancellationToken = default)
    {
        using var response = await _http.PostAsJsonAsync("v1/readings", upload, TelemetryJson.Default.ReadingUploadJson, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, TelemetryJson.Default.ReadingUploadResponse, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Where the node's MQTT broker listens, and its limits.</summary>
    public Task<MqttEndpointView> GetMqttEndpointAsync(CancellationToken cancellationToken = default) =>
        GetAsync("v1/mqtt", TelemetryJson.Default.MqttEndpointView, cancellationToken);

    public Task<TelemetryStatusView> GetTelemetryStatusAsync(CancellationToken cancellationToken = default) =>
        GetAsync("v1/readings/status", TelemetryJson.Default.TelemetryStatusView, cancellationToken);

    /// <summary>A device's readings, newest first; <paramref name="before"/> is the previous page's cursor.</summary>
    public Task<Page<ReadingView>> GetReadingHistoryAsync(Address device, ulong? from = null, ulong? to = null, string? before = null, int limit = 50,
        CancellationToken cancellationToken = default)
    {
        var query = new List<string> { $"limit={limit.ToString(CultureInfo.InvariantCulture)}" };
        if (from is { } f)
        {
            query.Add($"from={f.ToString(CultureInfo.InvariantCulture)}");
        }
        if (to is { } t)
        {
            query.Add($"to={t.ToString(CultureInfo.InvariantCulture)}");
        }
        if (before is not null)
        {
            query.Add($"before={Uri.EscapeDataString(before)}");
        }
        return GetAsync($"v1/devices/{device}/readings?{string.Join('&', query)}", TelemetryJson.Default.PageReadingView, cancellationToken);
    }

    public Task<ReadingView?> GetLatestReadingAsync(Address device, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"v1/devices/{device}/readings/latest", TelemetryJson.Default.ReadingView, cancellationToken);

    public Task<ProofDocument> GetReadingReceiptAsync(Address device, ulong sequence, CancellationToken cancellationToken = default) =>
        GetAsync($"v1/devices/{device}/readings/{sequence.ToString(CultureInfo.InvariantCulture)}/receipt", Json.ProofDocument, cancellationToken);

    /// <summary>
    /// Waits (polling) until the reading is anchored in a final block, then returns its receipt
    /// after checking it against <paramref name="trustedGenesis"/>; throws <see cref="ProofException"/> when it does not verify.
    /// </summary>
    public async Task<ProofDocument> GetVerifiedReceiptAsync(Address device, ulong sequence, Genesis trustedGenesis, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                var receipt = await GetReadingReceiptAsync(device, sequence, cancellationToken).ConfigureAwait(false);
                var result = receipt.Verify(trustedGenesis);
                return result.Ok ? receipt : throw new ProofException(result);
            }
            catch (ThingLedgerException e) when (e.Code == TelemetryErrors.ReadingNotAnchored && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public Task<List<SchemaView>> GetSchemasAsync(CancellationToken cancellationToken = default) =>
        GetAsync("v1/schemas", TelemetryJson.Default.ListSchemaView, cancellationToken);

    /// <summary>The screening models registered on chain.</summary>
    public Task<List<ScreeningModelView>> GetScreeningModelsAsync(CancellationToken cancellationToken = default) =>
        GetAsync("v1/screening/models", TelemetryJson.Default.ListScreeningModelView, cancellationToken);

    public Task<SchemaView?> GetSchemaAsync(string id, ushort version, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"v1/schemas/{Uri.EscapeDataString(id)}/{version.ToString(CultureInfo.InvariantCulture)}", TelemetryJson.Default.SchemaView, cancellationToken);

}

/// <summary>The telemetry module's API shapes, serialised as the node's other views are (camelCase, nulls omitted, duplicate keys refused).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(ReadingUploadJson))]
[JsonSerializable(typeof(ReadingUploadResponse))]
[JsonSerializable(typeof(ReadingView))]
[JsonSerializable(typeof(Page<ReadingView>))]
[JsonSerializable(typeof(SchemaView))]
[JsonSerializable(typeof(List<SchemaView>))]
[JsonSerializable(typeof(List<ScreeningModelView>))]
[JsonSerializable(typeof(TelemetryStatusView))]
[JsonSerializable(typeof(MqttRefusal))]
[JsonSerializable(typeof(MqttDeviceConfig))]
[JsonSerializable(typeof(MqttEndpointView))]
public sealed partial class TelemetryJson : JsonSerializerContext;
