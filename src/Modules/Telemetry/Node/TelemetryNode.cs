using Microsoft.AspNetCore.Http.HttpResults;
using ThingLedger.Client.Contracts;
using ThingLedger.Core;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;
using ThingLedger.Core.Verification;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Node.Api;
using ThingLedger.Node.Chain;
using ThingLedger.Node.Telemetry;
using ThingLedger.Node.Telemetry.Mqtt;
using ThingLedger.Storage;

namespace ThingLedger.Node.Modules.Telemetry;

/// <summary>The telemetry module's node part: uploading signed readings, a device's history, receipts, and the registered schemas and models.</summary>
internal sealed class TelemetryNode : NodeModule
{
    public const string BinaryContentType = "application/vnd.thingledger.readings";

    public override string Module => TelemetryNames.ModuleName;

    /// <summary>Its queries, the reading ingest (checks, screens and stores uploads) and the anchorer (a background service).</summary>
    public override void AddServices(IServiceCollection services)
    {
        services.AddSingleton<TelemetryQueries>();
        services.AddSingleton<ReadingIngest>();
        services.AddSingleton<Anchorer>();
        services.AddHostedService(provider => provider.GetRequiredService<Anchorer>());
        // The MQTT broker for devices (Node:Mqtt), and what it reports to /metrics and the explorer.
        services.AddOptions<MqttOptions>().BindConfiguration(MqttOptions.Section)
            .Configure<IConfiguration>((o, configuration) => o.PortIsExplicit = configuration[$"{MqttOptions.Section}:{nameof(MqttOptions.Port)}"] is not null);
        services.AddSingleton<MqttPresence>();
        services.AddSingleton<IMetricsSource>(provider => provider.GetRequiredService<MqttPresence>());
        services.AddSingleton<MqttBroker>();
        services.AddHostedService(provider => provider.GetRequiredService<MqttBroker>());
    }

    public override void MapApi(RouteGroupBuilder api)
    {
        var readings = api.MapGroup("/readings").WithTags("Telemetry");
        readings.MapPost("/", Upload).WithName("UploadReadings")
            .Accepts<ReadingUploadJson>("application/json", BinaryContentType)
            .WithSummary("Signed readings and device batches, binary (" + BinaryContentType + ") or JSON. Each reading gets a status; accepted ones are durable before the answer. results=rejected lists only the others.");
        readings.MapGet("/status", Status).WithName("TelemetryStatus").WithSummary("Readings stored at this node, and how many are anchored.");
        var device = api.MapGroup("/devices/{id}/readings").WithTags("Telemetry");
        device.MapGet("/", History).WithName("ReadingHistory").WithSummary("A device's readings, newest first, optionally within [from, to] (ms); page with before=seq.");
        device.MapGet("/latest", Latest).WithName("LatestReading").WithSummary("A device's newest reading.");
        device.MapGet("/{seq}", Reading).WithName("GetReading").WithSummary("One reading by sequence number.");
        device.MapGet("/{seq}/receipt", Receipt).WithName("GetReadingReceipt")
            .WithSummary("The reading's receipt: signature, paths to its device batch and anchor, the anchor tx's inclusion and finality. Verifiable offline with the genesis file.");
        var schemas = api.MapGroup("/schemas").WithTags("Telemetry");
        schemas.MapGet("/", Schemas).WithName("ListSchemas").WithSummary("Registered telemetry schemas.");
        schemas.MapGet("/{id}/{version}", Schema).WithName("GetSchema").WithSummary("One schema version.");
        api.MapGet("/mqtt", Mqtt).WithTags("Telemetry").WithName("MqttEndpoint")
            .WithSummary("Where the node's MQTT broker for devices listens, the chain id its topics use, and its limits (docs/TELEMETRY.md, \"MQTT\").");
        api.MapGet("/screening/models", Models).WithTags("Telemetry").WithName("ListScreeningModels")
            .WithSummary("Screening models registered on chain: name, schema, parameters hash, owner org.");
    }

    private static async Task<Results<Ok<ReadingUploadResponse>, ProblemHttpResult>> Upload(HttpRequest request, LedgerNode node, ReadingIngest ingest, DiskWatch disk, string? results)
    {
        if (node.Fault is { } fault)
        {
            return Problems.Of(ErrorCodes.NodeUnavailable, fault);
        }
        var binary = request.ContentType?.StartsWith(BinaryContentType, StringComparison.OrdinalIgnoreCase) == true;
        if (!binary && !JsonBody.IsJson(request))
        {
            return Problems.Of(ErrorCodes.UnsupportedMediaType, $"readings are uploaded as {BinaryContentType} or application/json, not '{request.ContentType ?? "(no Content-Type)"}'");
        }
        IngestItem[]? items;
        ProblemHttpResult? problem;
        Address? historicBy = null;
        // Decoding copies what it keeps (reading bytes, signatures), so the body goes back to the pool at once.
        using (var body = await PooledBody.ReadAsync(request, request.HttpContext.RequestAborted).ConfigureAwait(false))
        {
            if (request.Headers[Client.HistoricImportGrant.Header].FirstOrDefault() is { } grant)
            {
                var (operatorKey, why) = Client.HistoricImportGrant.Check(grant, node.Genesis.ChainId, body.Span, (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                if (operatorKey is null)
                {
                    return Problems.Of(TelemetryErrors.HistoricGrantInvalid, why!);
                }
                historicBy = operatorKey.ToAddress();
                if (HistoricRefusal(node, historicBy.Value) is { } refusal)
                {
                    return Problems.Of(TelemetryErrors.HistoricNotAuthorised, refusal);
                }
            }
            items = binary
                ? ReadingUploadDecoder.FromBinary(body.Span, node.Options.MaxUploadReadings, out problem)
                : ReadingUploadDecoder.FromJson(body.Span, node.Schemas, node.Options.MaxUploadReadings, out problem);
        }
        if (problem is not null)
        {
            return problem;
        }
        if (items!.Length == 0)
        {
            return Problems.Of(ErrorCodes.BatchEmpty, "the upload holds no readings");
        }
        ReadingOutcome[] outcomes;
        try
        {
            outcomes = await ingest.IngestAsync(items, historicBy).ConfigureAwait(false);
        }
        catch (StorageException e)
        {
            // Nothing of the upload was stored (one transaction): the client may send it again.
            node.ReportStorageFailure(e, disk);
            return Problems.Of(ErrorCodes.NodeUnavailable, $"{e.Message}; nothing of this upload was stored, send it again later");
        }
        var response = ReadingIngest.Response(outcomes, results == ReadingUploadStatus.Rejected.Text());
        node.Metrics.CountReadings(response.Accepted, response.Duplicates, response.Rejected);
        return TypedResults.Ok(response);
    }

    private static Ok<MqttEndpointView> Mqtt(MqttBroker broker, MqttPresence presence, LedgerNode node)
    {
        var o = broker.Options;
        return TypedResults.Ok(new MqttEndpointView(o.Enabled, o.Address, broker.Port, broker.TlsPort, node.Genesis.ChainId, $"tl/{node.Genesis.ChainId}/d/",
            o.MaxMessageBytes, o.MessagesPerSecond, o.MessageBurst, o.ProofMaxAgeMs, o.MaxKeepAliveSeconds, presence.DevicesConnected));
    }

    private static Ok<TelemetryStatusView> Status(TelemetryQueries telemetry)
    {
        var (readings, devices) = telemetry.Counts();
        var anchored = telemetry.LastAnchoredIngest;
        return TypedResults.Ok(new TelemetryStatusView((ulong)readings, devices, anchored, (ulong)readings - anchored));
    }

    private static Results<Ok<Page<ReadingView>>, ProblemHttpResult> History(string id, TelemetryQueries telemetry, ulong? from, ulong? to, ulong? before, int? limit)
    {
        if (!Address.TryParse(id, out var device))
        {
            return Problems.BadRequest($"'{id}' is not a device id");
        }
        var size = Problems.Limit(limit);
        var rows = telemetry.History(device, from, to, before, size);
        AnchorRecord? anchor = null;
        var items = new List<ReadingView>(rows.Count);
        foreach (var row in rows)
        {
            // Neighbouring readings mostly share an anchor: look it up again only when this one is outside it.
            if (anchor is null || row.Ingest < anchor.FirstIngest || row.Ingest > anchor.LastIngest)
            {
                anchor = telemetry.Anchor(row.Ingest);
            }
            items.Add(View(row, telemetry, anchor));
        }
        return TypedResults.Ok(new Page<ReadingView>(items, rows.Count == size ? rows[^1].Reading.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture) : null));
    }

    private static Results<Ok<ReadingView>, ProblemHttpResult> Latest(string id, TelemetryQueries telemetry)
    {
        if (!Address.TryParse(id, out var device))
        {
            return Problems.BadRequest($"'{id}' is not a device id");
        }
        var latest = telemetry.Latest(device);
        return latest is null
            ? Problems.NotFound($"this node holds no reading of device {id}")
            : TypedResults.Ok(View(latest, telemetry, telemetry.Anchor(latest.Ingest)));
    }

    private static Results<Ok<ReadingView>, ProblemHttpResult> Reading(string id, ulong seq, TelemetryQueries telemetry)
    {
        if (!Address.TryParse(id, out var device))
        {
            return Problems.BadRequest($"'{id}' is not a device id");
        }
        var stored = telemetry.Reading(device, seq);
        return stored is null
            ? Problems.NotFound($"this node holds no reading {seq} of device {id}")
            : TypedResults.Ok(View(stored, telemetry, telemetry.Anchor(stored.Ingest)));
    }

    /// <summary>Why <paramref name="by"/> may not authorise a historic import at this node, or null: it must be an operator or admin of the node's own org.</summary>
    private static string? HistoricRefusal(LedgerNode node, Address by)
    {
        var org = node.Validators.At(node.Head.Height).OrgOf(node.ValidatorKey.PublicKey);
        return Execution.Modules.Identity.IdentityModule.ReadMember(node.Store, by) is { } member && member.Org == org &&
            (member.Roles & (Execution.Roles.Operator | Execution.Roles.Admin)) != 0
            ? null
            : $"{by} is not an operator or admin of {org}, this node's org: only they authorise a historic import here";
    }

    private static Results<Ok<ProofDocument>, ProblemHttpResult> Receipt(string id, ulong seq, LedgerNode node)
    {
        if (!Address.TryParse(id, out var device))
        {
            return Problems.BadRequest($"'{id}' is not a device id");
        }
        var (receipt, code, message) = ReceiptBuilder.Build(node, device, seq);
        return receipt is null ? Problems.Of(code!, message!) : TypedResults.Ok(receipt);
    }

    private static Ok<List<SchemaView>> Schemas(TelemetryQueries telemetry) => TypedResults.Ok(telemetry.AllSchemas().Select(s => View(s, telemetry)).ToList());

    private static Ok<List<ScreeningModelView>> Models(TelemetryQueries telemetry) =>
        TypedResults.Ok(telemetry.Models()
            .Select(r =>
            {
                var schemaRef = $"{r.Model.Schema}@{r.Model.SchemaVersion}";
                var config = telemetry.ModelParameters(r.Model.Name);
                return new ScreeningModelView(r.Model.Name, schemaRef, r.Model.ParametersHash.ToString(), r.Org, r.Height)
                {
                    Active = telemetry.ScreenedBy(schemaRef) == r.Model.Name,
                    Rules = config is null ? null : [.. config.Rules.Select(rule => $"{FlagCodes.Text(rule.Code)}: {rule.Describe()}")],
                    Encoded = config is null ? null : Convert.ToHexStringLower(Core.Codec.Canonical.Encode(config)),
                };
            })
            .ToList());

    private static Results<Ok<SchemaView>, ProblemHttpResult> Schema(string id, ushort version, TelemetryQueries telemetry) =>
        telemetry.Schema(id, version) is { } record ? TypedResults.Ok(View(record, telemetry)) : Problems.NotFound($"no schema {id}@{version} is registered");

    internal static SchemaView View(SchemaRecord r, TelemetryQueries telemetry) => new(r.Schema.Id, r.Schema.Version, r.Schema.Ref, r.Org, r.Height,
        [.. r.Schema.Fields.Select(f => new SchemaFieldView(f.Name, f.Unit, f.Decimals,
            TelemetrySchema.FormatValue(f.Min, f.Decimals), TelemetrySchema.FormatValue(f.Max, f.Decimals), f.Additive))])
    {
        ScreenedBy = telemetry.ScreenedBy(r.Schema.Ref),
        SummaryMinutes = r.Schema.SummaryMinutes,
    };

    private static ReadingView View(StoredReading stored, TelemetryQueries telemetry, AnchorRecord? anchor)
    {
        var r = stored.Reading;
        var values = telemetry.Values(r).ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return new ReadingView(r.Device.ToString(), r.Sequence, r.Timestamp, r.SchemaRef, values, stored.Ingest, Convert.ToHexStringLower(r.Encoded.Span),
            stored.Signature is null ? null : Convert.ToHexStringLower(stored.Signature), stored.Batch, anchor?.TxId.ToString(), anchor?.Height)
        {
            Model = stored.Screen.Model.Length == 0 ? null : stored.Screen.Model,
            Flags = [.. stored.Screen.Flags.Select(f => $"{FlagCodes.Text(f.Code)}:{f.Score}")],
            HistoricImportBy = stored.HistoricBy?.ToString(),
        };
    }
}
