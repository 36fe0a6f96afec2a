using System.Globalization;
using System.Text.Json.Serialization;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;

[assembly: ThingLedger.Client.ModuleJson(typeof(ThingLedger.Client.EpcisJson))]

namespace ThingLedger.Client;

/// <summary>Provenance: GS1 identifiers, checked by the node.</summary>
public sealed partial class ThingLedgerClient
{
    /// <summary>The identifier <paramref name="id"/> (Digital Link, EPC URN or element string) in each form; a malformed one is refused with its EPCIS_ code.</summary>
    public Task<Gs1IdView> GetGs1IdAsync(string id, int? prefixLength = null, string? resolver = null, CancellationToken cancellationToken = default)
    {
        var query = $"id={Uri.EscapeDataString(id)}" + (prefixLength is { } p ? $"&prefixLength={p.ToString(CultureInfo.InvariantCulture)}" : string.Empty) +
            (resolver is null ? string.Empty : $"&resolver={Uri.EscapeDataString(resolver)}");
        return GetAsync($"v1/epcis/identifiers?{query}", EpcisJson.Default.Gs1IdView, cancellationToken);
    }

    /// <summary>Header naming the capturer's public key (hex) on a capture.</summary>
    public const string CaptureKeyHeader = "ThingLedger-Capture-Key";

    /// <summary>Header carrying the capturer's signatures (hex r ‖ s, comma-separated), one per chunk of the document's events (docs/EPCIS.md "Capture").</summary>
    public const string CaptureSignatureHeader = "ThingLedger-Capture-Signature";

    /// <summary>
    /// Captures an EPCIS 2.0 document at the node of <paramref name="capturer"/>'s organisation: the
    /// events' records are computed here, each chunk of them signed, and the node checks and stores the
    /// capture before it answers. A refused capture throws with the code and every event's reason.
    /// </summary>
    /// <remarks>With <paramref name="report"/>, events breaking an item rule are stored and their items flagged publicly (a suspect seen and reported) instead of refusing the capture.</remarks>
    public Task<EpcisCaptureView> CaptureEpcisAsync(byte[] document, KeyPair capturer, string chainId, CancellationToken cancellationToken = default, bool report = false) =>
        PostEpcisCaptureAsync(document, capturer.PublicKey, SignEpcisCapture(document, capturer, chainId), cancellationToken, report);

    /// <summary>The capturer's signatures of a document, one per chunk of its events' records (hex); a document the reader refuses throws with the code and reasons.</summary>
    public static IReadOnlyList<string> SignEpcisCapture(byte[] document, KeyPair capturer, string chainId)
    {
        var read = Execution.Modules.Epcis.EpcisDocumentReader.Read(document, ulong.MaxValue / 2, 0);
        if (!read.Ok)
        {
            throw new ThingLedgerException(read.Errors[0].Code, string.Join("; ", read.Errors.Select(e => e.Message)), 400);
        }
        var records = read.Events.Select(e => e.Record).ToList();
        return [.. Execution.Modules.Epcis.EpcisCaptureSigning.Chunks(records)
            .Select(c => Convert.ToHexStringLower(capturer.Sign(Execution.Modules.Epcis.EpcisCaptureSigning.ChunkDigest(chainId, records, c.Start, c.Count))))];
    }

    /// <summary>Posts a document with its capturer's key and signatures (<see cref="SignEpcisCapture"/>).</summary>
    public async Task<EpcisCaptureView> PostEpcisCaptureAsync(byte[] document, PublicKey capturer, IReadOnlyList<string> signatures, CancellationToken cancellationToken = default,
        bool report = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, report ? "v1/epcis/capture?report=true" : "v1/epcis/capture") { Content = new ByteArrayContent(document) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/ld+json");
        request.Headers.Add(CaptureKeyHeader, capturer.ToHex());
        request.Headers.Add(CaptureSignatureHeader, string.Join(',', signatures));
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, EpcisJson.Default.EpcisCaptureView, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An event's receipt (kind "epcis-event"), from the node that captured it; null while it waits for its anchor.</summary>
    public async Task<Core.Verification.ProofDocument?> GetEpcisReceiptAsync(string eventHash, CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync($"v1/epcis/receipts?hash={Uri.EscapeDataString(eventHash)}", cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            return null;
        }
        var json = await ReadAsync(response, EpcisJson.Default.JsonElement, cancellationToken).ConfigureAwait(false);
        return Core.Verification.ProofDocument.Parse(json.GetRawText());
    }

    /// <summary>An item's state on chain (given as a Digital Link, an EPC URN or its canonical path); null when the chain has never seen it.</summary>
    public Task<EpcisItemView?> GetEpcisItemAsync(string id, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"v1/epcis/items?id={Uri.EscapeDataString(id)}", EpcisJson.Default.EpcisItemView, cancellationToken);

    /// <summary>
    /// One page of an EPCIS query (GET /v1/epcis/events with the standard's parameters, e.g.
    /// MATCH_anyEPC, EQ_bizStep, GE_eventTime): the EPCISQueryDocument, and the token of the next
    /// page from the Link header (null on the last page).
    /// </summary>
    public async Task<(System.Text.Json.JsonElement Document, string? NextPageToken)> QueryEpcisEventsAsync(IReadOnlyDictionary<string, string> parameters,
        CancellationToken cancellationToken = default)
    {
        var query = string.Join('&', parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        using var response = await _http.GetAsync($"v1/epcis/events?{query}", cancellationToken).ConfigureAwait(false);
        var document = await ReadAsync(response, EpcisJson.Default.JsonElement, cancellationToken).ConfigureAwait(false);
        string? next = null;
        if (response.Headers.TryGetValues("Link", out var links))
        {
            foreach (var link in links.Where(l => l.Contains("rel=\"next\"", StringComparison.Ordinal)))
            {
                var target = link[(link.IndexOf('<', StringComparison.Ordinal) + 1)..link.IndexOf('>', StringComparison.Ordinal)];
                next = System.Web.HttpUtility.ParseQueryString(target[(target.IndexOf('?', StringComparison.Ordinal) + 1)..])["nextPageToken"];
            }
        }
        return (document, next);
    }

    /// <summary>An item's public journey: its state, what it travelled in and was made from, and each event with its receipt's verdict at the node.</summary>
    public Task<EpcisJourneyView> GetEpcisJourneyAsync(string id, CancellationToken cancellationToken = default) =>
        GetAsync($"v1/epcis/journey?id={Uri.EscapeDataString(id)}", EpcisJson.Default.EpcisJourneyView, cancellationToken);

    /// <summary>The receipts of every event of an item's journey, as one proof bundle to check offline (`thingledger verify`).</summary>
    public async Task<Core.Verification.ProofBundle> GetEpcisBundleAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync($"v1/epcis/bundle?id={Uri.EscapeDataString(id)}", cancellationToken).ConfigureAwait(false);
        var json = await ReadAsync(response, EpcisJson.Default.JsonElement, cancellationToken).ConfigureAwait(false);
        return Core.Verification.ProofBundle.Parse(json.GetRawText());
    }

    /// <summary>A fresh tap-to-verify challenge for an item (good once, for two minutes).</summary>
    public async Task<EpcisChallengeView> GetEpcisChallengeAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await _http.PostAsync($"v1/epcis/challenges?id={Uri.EscapeDataString(id)}", null, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, EpcisJson.Default.EpcisChallengeView, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Taps an item: its tag's signature over the node's challenge; a signature by any other key throws EPCIS_TAP_INVALID.</summary>
    public async Task<EpcisTapView> TapEpcisAsync(string id, string challenge, byte[] signature, CancellationToken cancellationToken = default)
    {
        var body = System.Text.Json.JsonSerializer.Serialize(new EpcisTapRequest(id, challenge, Convert.ToHexStringLower(signature)), EpcisJson.Default.EpcisTapRequest);
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync("v1/epcis/taps", content, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, EpcisJson.Default.EpcisTapView, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The trace from <paramref name="id"/>, "back" (where it came from) or "forward" (where it went), over every anchored event of the chain.</summary>
    public Task<EpcisTraceView> GetEpcisTraceAsync(string id, string direction = "back", CancellationToken cancellationToken = default) =>
        GetAsync($"v1/epcis/trace?id={Uri.EscapeDataString(id)}&direction={Uri.EscapeDataString(direction)}", EpcisJson.Default.EpcisTraceView, cancellationToken);
}

/// <summary>The epcis module's API shapes, serialised as the node's other views are (camelCase, nulls omitted, duplicate keys refused).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(Gs1IdView))]
[JsonSerializable(typeof(EpcisCaptureView))]
[JsonSerializable(typeof(EpcisSuspectView))]
[JsonSerializable(typeof(EpcisItemView))]
[JsonSerializable(typeof(EpcisTraceView))]
[JsonSerializable(typeof(EpcisJourneyView))]
[JsonSerializable(typeof(EpcisChallengeView))]
[JsonSerializable(typeof(EpcisTapView))]
[JsonSerializable(typeof(EpcisTapRequest))]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
public sealed partial class EpcisJson : JsonSerializerContext;
