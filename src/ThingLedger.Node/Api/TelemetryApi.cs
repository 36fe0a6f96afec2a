using Microsoft.AspNetCore.Http.HttpResults;
using ThingLedger.Client.Contracts;
using ThingLedger.Core;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;
using ThingLedger.Core.Verification;
using ThingLedger.Execution;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Node.Chain;
using ThingLedger.Node.Json;
using ThingLedger.Node.Telemetry;
using ThingLedger.Storage;

namespace ThingLedger.Node.Api;

/// <summary>Uploading signed readings, reading a device's history, receipts, and the registered schemas.</summary>
internal static class TelemetryApi
{
    public const string BinaryContentType = "application/vnd.thingledger.readings";

    public static RouteGroupBuilder MapTelemetryApi(this RouteGroupBuilder api)
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
        api.MapGet("/screening/models", Models).WithTags("Telemetry").WithName("ListScreeningModels")
            .WithSummary("Screening models registered on chain: name, schema, parameters hash, owner org.");
        return api;
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
        // Decoding copies what it keeps (reading bytes, signatures), so the body goes back to the pool at once.
        using (var body = await PooledBody.ReadAsync(request, request.HttpContext.RequestAborted).ConfigureAwait(false))
        {
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
            outcomes = await ingest.IngestAsync(items).ConfigureAwait(false);
        }
        catch (StorageException e)
        {
            // Nothing of the upload was stored (one transaction): the client may send it again.
            node.ReportStorageFailure(e, disk);
            return Problems.Of(ErrorCodes.NodeUnavailable, $"{e.Message}; nothing of this upload was stored, send it again later");
        }
        int accepted = 0, duplicates = 0, rejected = 0;
        var onlyRejected = results == "rejected";
        var views = new List<ReadingResultView>(onlyRejected ? 16 : outcomes.Length);
        foreach (var o in outcomes)
        {
            switch (o.Status)
            {
                case ReadingOutcome.AcceptedStatus: accepted++; break;
                case ReadingOutcome.DuplicateStatus: duplicates++; break;
                default: rejected++; break;
            }
            if (!onlyRejected || o.Status == ReadingOutcome.RejectedStatus)
            {
                views.Add(new ReadingResultView(o.Item, o.Index, o.Reading?.Device.ToString(), o.Reading?.Sequence, o.Status, o.Code, o.Message));
            }
        }
        node.Metrics.CountReadings(accepted, duplicates, rejected);
        return TypedResults.Ok(new ReadingUploadResponse(accepted, duplicates, rejected, views));
    }

    private static Ok<TelemetryStatusView> Status(LedgerNode node)
    {
        var (readings, devices) = node.Readings.Counts();
        var anchored = node.Readings.LastAnchoredIngest;
        return TypedResults.Ok(new TelemetryStatusView((ulong)readings, devices, anchored, (ulong)readings - anchored));
    }

    private static Results<Ok<Page<ReadingView>>, ProblemHttpResult> History(string id, LedgerNode node, ulong? from, ulong? to, ulong? before, int? limit)
    {
        if (!Address.TryParse(id, out var device))
        {
            return Problems.BadRequest($"'{id}' is not a device id");
        }
        var size = Math.Clamp(limit ?? 50, 1, ChainApi.MaxPage);
        var rows = node.Readings.History(device, from, to, before, size);
        AnchorRecord? anchor = null;
        var items = new List<ReadingView>(rows.Count);
        foreach (var row in rows)
        {
            // Neighbouring readings mostly share an anchor: look it up again only when this one is outside it.
            if (anchor is null || row.Ingest < anchor.FirstIngest || row.Ingest > anchor.LastIngest)
            {
                anchor = node.Readings.FindAnchor(row.Ingest);
            }
            items.Add(View(row, node.Schemas, anchor));
        }
        return TypedResults.Ok(new Page<ReadingView>(items, rows.Count == size ? rows[^1].Reading.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture) : null));
    }

    private static Results<Ok<ReadingView>, ProblemHttpResult> Latest(string id, LedgerNode node)
    {
        if (!Address.TryParse(id, out var device))
        {
            return Problems.BadRequest($"'{id}' is not a device id");
        }
        var latest = node.Readings.Latest(device);
        return latest is null
            ? Problems.NotFound($"this node holds no reading of device {id}")
            : TypedResults.Ok(View(latest, node.Schemas, node.Readings.FindAnchor(latest.Ingest)));
    }

    private static Results<Ok<ReadingView>, ProblemHttpResult> Reading(string id, ulong seq, LedgerNode node)
    {
        if (!Address.TryParse(id, out var device))
        {
            return Problems.BadRequest($"'{id}' is not a device id");
        }
        var stored = node.Readings.Find(device, seq);
        return stored is null
            ? Problems.NotFound($"this node holds no reading {seq} of device {id}")
            : TypedResults.Ok(View(stored, node.Schemas, node.Readings.FindAnchor(stored.Ingest)));
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

    private static Ok<List<SchemaView>> Schemas(LedgerNode node) =>
        TypedResults.Ok(node.Store.Scan(TelemetryModule.SchemasPrefix, null, 10_000)
            .Select(kv => Payload.TryDecode(kv.Value, SchemaRecord.Read, out var record) ? ViewMapper.Schema(record) : null)
            .OfType<SchemaView>().ToList());

    private static Ok<List<ScreeningModelView>> Models(LedgerNode node) =>
        TypedResults.Ok(node.Store.Scan(TelemetryModule.ModelsPrefix, null, 10_000)
            .Select(kv => Payload.TryDecode(kv.Value, ModelRecord.Read, out var r)
                ? new ScreeningModelView(r.Model.Name, $"{r.Model.Schema}@{r.Model.SchemaVersion}", r.Model.ParametersHash.ToString(), r.Org, r.Height)
                : null)
            .OfType<ScreeningModelView>().ToList());

    private static Results<Ok<SchemaView>, ProblemHttpResult> Schema(string id, ushort version, LedgerNode node)
    {
        var record = TelemetryModule.ReadSchema(node.Store, id, version);
        return record is null ? Problems.NotFound($"no schema {id}@{version} is registered") : TypedResults.Ok(ViewMapper.Schema(record));
    }

    private static ReadingView View(StoredReading stored, SchemaCache schemas, AnchorRecord? anchor)
    {
        var r = stored.Reading;
        var schema = schemas.Find(r.Schema, r.SchemaVersion);
        var values = new Dictionary<string, string>();
        for (var i = 0; i < r.Values.Length; i++)
        {
            var field = schema?.Fields[i];
            values[field?.Name ?? $"v{i}"] = TelemetrySchema.FormatValue(r.Values[i], field?.Decimals ?? 0);
        }
        return new ReadingView(r.Device.ToString(), r.Sequence, r.Timestamp, r.SchemaRef, values, stored.Ingest, Convert.ToHexStringLower(r.Encoded.Span),
            stored.Signature is null ? null : Convert.ToHexStringLower(stored.Signature), stored.Batch, anchor?.TxId.ToString(), anchor?.Height)
        {
            Model = stored.Screen.Model.Length == 0 ? null : stored.Screen.Model,
            Flags = [.. stored.Screen.Flags.Select(f => $"{FlagCodes.Text(f.Code)}:{f.Score}")],
        };
    }
}
