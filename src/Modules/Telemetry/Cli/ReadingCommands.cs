using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Telemetry;

namespace ThingLedger.Cli.Commands;

/// <summary>device send|import: a person's own readings in, signed with the device's key, without code.</summary>
internal static class ReadingCommands
{
    public static Command Send()
    {
        var device = new Option<string>("--device") { Description = "The device's private key: a key name in <data>/keys or a PEM file", Required = true };
        var schema = new Option<string>("--schema") { Description = "The schema, id@version (e.g. ev@1)", Required = true };
        var values = new Argument<string[]>("values") { Description = "field=value for every field of the schema (exact decimals)", Arity = ArgumentArity.OneOrMore };
        var time = new Option<string>("--time") { Description = "When it was measured: ISO-8601 UTC (2026-12-04T10:00:00Z) or ms since the Unix epoch (default: now)" };
        var seq = new Option<ulong?>("--seq") { Description = "Its sequence number (default: one above the newest this node holds of the device)" };
        return new Command("send", "Sign one reading with a device's key and send it to the node.\n" +
                "Example: thingledger device send --device car1 --schema ev@1 speed_kmh=42.5 battery_pct=80 distance_km=1.2 energy_kwh=0.18 lat=59.33 lon=18.06")
            .With(device, schema, values, time, seq)
            .Runs(async (parse, cli, ct) =>
            {
                using var key = DeviceKey(cli, parse.GetValue(device)!);
                var view = await SchemaAsync(cli, parse.GetValue(schema)!, ct).ConfigureAwait(false);
                var given = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var pair in parse.GetValue(values) ?? [])
                {
                    var at = pair.IndexOf('=', StringComparison.Ordinal);
                    if (at <= 0 || !given.TryAdd(pair[..at], pair[(at + 1)..]))
                    {
                        throw new FormatException($"'{pair}' is not field=value, or names its field twice");
                    }
                }
                var scaled = ReadingCsv.Scale(ReadingCsv.ToSchema(view), name => given.Remove(name, out var text) ? text : null, "the command line");
                if (given.Count > 0)
                {
                    throw new FormatException($"schema {view.Ref} has no field {string.Join(", ", given.Keys)}");
                }
                var sequence = parse.GetValue(seq) ?? ((await cli.Client.GetLatestReadingAsync(key.Address, ct).ConfigureAwait(false))?.Seq ?? 0) + 1;
                var measured = parse.GetValue(time) is { } t ? CliArguments.Time(t) : (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                var signer = new DeviceSigner(key, await cli.ChainIdAsync(ct).ConfigureAwait(false), sequence);
                var reading = signer.Sign(signer.Measure(ReadingCsv.ToSchema(view), measured, scaled));
                var response = await cli.Client.UploadReadingsAsync([reading], [], cancellationToken: ct).ConfigureAwait(false);
                if (cli.Json)
                {
                    Output.Json(response);
                }
                var result = response.Results.Single();
                if (result.Status == ReadingUploadStatus.Rejected)
                {
                    throw new ThingLedgerException(result.Code ?? "REJECTED", result.Message ?? "the node refused the reading", 422);
                }
                if (!cli.Json)
                {
                    CliRunner.Success($"reading {sequence} of {key.Address} {result.Status.Text()}; its receipt, once anchored: thingledger device receipt {key.Address} {sequence}");
                }
                return 0;
            });
    }

    public static Command MqttPassword()
    {
        var device = new Option<string>("--device") { Description = "The device's private key: a key name in <data>/keys or a PEM file", Required = true };
        return new Command("mqtt-password", "Print a fresh MQTT password for a device: a proof, made now, that it holds its key (good once, for 5 minutes).\n" +
                "Connect with client id and user name = the device id (docs/TELEMETRY.md, \"MQTT\").\n" +
                "Example: mosquitto_pub -V mqttv5 -p 1883 -i tl1… -u tl1… -P \"$(thingledger device mqtt-password --device meter7)\" -q 1 -t tl/CHAIN/d/tl1…/readings -f upload.bin")
            .With(device)
            .Runs(async (parse, cli, ct) =>
            {
                using var key = DeviceKey(cli, parse.GetValue(device)!);
                var chainId = await cli.ChainIdAsync(ct).ConfigureAwait(false);
                var endpoint = await cli.Client.GetMqttEndpointAsync(ct).ConfigureAwait(false);
                var password = MqttConnectProof.Create(key, chainId, DateTimeOffset.UtcNow);
                var topics = new MqttTopics(chainId, key.Address);
                if (cli.Json)
                {
                    Output.Json(new Dictionary<string, string>
                    {
                        ["clientId"] = key.Address.ToString(),
                        ["username"] = key.Address.ToString(),
                        ["password"] = password,
                        ["host"] = endpoint.Address,
                        ["port"] = endpoint.Port.ToString(CultureInfo.InvariantCulture),
                        ["tlsPort"] = endpoint.TlsPort.ToString(CultureInfo.InvariantCulture),
                        ["readings"] = topics.Readings,
                        ["results"] = topics.Results,
                        ["receipts"] = topics.Receipts,
                        ["config"] = topics.Config,
                    });
                    return 0;
                }
                // The password alone on stdout, so that -P "$(thingledger device mqtt-password …)" works; the rest is for the person reading.
                Console.WriteLine(password);
                if (!Console.IsErrorRedirected)
                {
                    Console.Error.WriteLine($"client id and user name {key.Address}; broker {endpoint.Address}:{endpoint.Port}; publish readings at QoS 1 to {topics.Readings}, results on {topics.Results}");
                }
                return 0;
            });
    }

    public static Command Import()
    {
        var file = new Argument<string>("file") { Description = "A CSV file: a header row `time,<field>,<field>…`, then one reading per row" };
        var device = new Option<string>("--device") { Description = "The device's private key: a key name in <data>/keys or a PEM file", Required = true };
        var schema = new Option<string>("--schema") { Description = "The schema, id@version (e.g. smart-meter@1)", Required = true };
        var batch = new Option<int>("--batch") { Description = "Readings per device batch (one signature each)", DefaultValueFactory = _ => 100 };
        var rebase = new Option<bool>("--rebase-time") { Description = "Shift every time so the last row is now, keeping the intervals (the node takes readings at most 7 days old)" };
        var historic = new Option<string>("--historic")
        {
            Description = "Import history older than the node's freshness window, authorised by this operator's (or admin's) key of the node's org: " +
                "a key name in <data>/keys or a PEM file. The anchor records who authorised it.",
        };
        return new Command("import", "Sign a CSV of readings with a device's key and upload them in device batches.\n" +
                "Times are ISO-8601 UTC or ms since the Unix epoch; values exact decimals. Rows the node refuses are listed with the reason.\n" +
                "Run it again after a failure: it continues with the same sequence numbers (kept in FILE.import.json), and what the node already has comes back as a duplicate, never twice.\n" +
                "Example: thingledger device import meter-7.csv --device meter7 --schema smart-meter@1\n" +
                "Example: thingledger device import boiler-2019.csv --device boiler7 --schema boiler@1 --historic gridco-operator")
            .With(file, device, schema, batch, rebase, historic)
            .Runs(async (parse, cli, ct) =>
            {
                var path = parse.GetValue(file)!;
                var size = parse.GetValue(batch);
                if (size is < 1 or > DeviceBatch.MaxReadings)
                {
                    throw new FormatException($"--batch {size}: a device batch holds 1 to {DeviceBatch.MaxReadings} readings (the node's own limit, Node:MaxDeviceBatchReadings, is 256 unless raised)");
                }
                using var key = DeviceKey(cli, parse.GetValue(device)!);
                if (parse.GetValue(historic) is not null && parse.GetValue(rebase))
                {
                    throw new FormatException("--historic imports the times as they are; --rebase-time moves them: give one or the other");
                }
                using var operatorKey = parse.GetValue(historic) is { } operatorName
                    ? cli.ResolveKeyPair(operatorName) ?? throw new FormatException($"--historic '{operatorName}' is neither a key name in {cli.Keys.Directory} nor a PEM file with a private key")
                    : null;
                var view = await SchemaAsync(cli, parse.GetValue(schema)!, ct).ConfigureAwait(false);
                var rows = ReadingCsv.Read(path, ReadingCsv.ToSchema(view));
                if (rows.Count == 0)
                {
                    throw new FormatException($"{path} holds no readings below its header");
                }
                var progressPath = path + ".import.json";
                var progress = await ProgressAsync(cli, progressPath, key.Address, view.Ref, rows, parse.GetValue(rebase), ct).ConfigureAwait(false);
                var schemaOf = ReadingCsv.ToSchema(view);
                var chainId = await cli.ChainIdAsync(ct).ConfigureAwait(false);
                var problems = new List<(int Row, string Code, string Message)>();
                problems.AddRange(rows.Where(r => r.Problem is not null).Select(r => (r.Line, r.Code!, r.Problem!)));
                int accepted = 0, duplicates = 0;
                var good = rows.Where(r => r.Problem is null).ToList();

                async Task UploadAsync(IReadOnlyList<ReadingCsv.Row> chunk, Action<int> advance)
                {
                    var readings = chunk.Select(r => new Reading(key.Address, progress.FirstSeq + (ulong)r.Index, (ulong)((long)r.Time + progress.ShiftMs), schemaOf.Id, schemaOf.Version, r.Values!)).ToList();
                    while (readings.Count > 0)
                    {
                        var signed = new SignedBatch(key.Address, [.. readings], DeviceBatch.Sign(key, chainId, readings));
                        var response = await cli.Client.UploadReadingsAsync([], [signed], cancellationToken: ct,
                            historicImport: operatorKey is null ? null : (operatorKey, chainId)).ConfigureAwait(false);
                        var refused = response.Results.Where(r => r.Index >= 0 && r.Status == ReadingUploadStatus.Rejected && r.Code != TelemetryErrors.DeviceBatchRejected).Select(r => r.Index).ToHashSet();
                        if (refused.Count == 0 && response.Results.Any(r => r.Status == ReadingUploadStatus.Rejected))
                        {
                            var whole = response.Results.First(r => r.Status == ReadingUploadStatus.Rejected);
                            throw new ThingLedgerException(whole.Code ?? "REJECTED", $"the node refused a device batch whole: {whole.Message}", 422);
                        }
                        if (refused.Count == 0)
                        {
                            accepted += response.Accepted;
                            duplicates += response.Duplicates;
                            advance(readings.Count);
                            return;
                        }
                        // A device batch is stored whole or not at all: name the refused rows, send the others again.
                        foreach (var r in response.Results.Where(r => refused.Contains(r.Index)))
                        {
                            var row = chunk.First(c => progress.FirstSeq + (ulong)c.Index == readings[r.Index].Sequence);
                            problems.Add((row.Line, r.Code!, r.Message ?? r.Code!));
                        }
                        advance(refused.Count);
                        readings = [.. readings.Where((_, i) => !refused.Contains(i))];
                    }
                }

                if (!cli.Json && !Console.IsOutputRedirected)
                {
                    await AnsiConsole.Progress().StartAsync(async context =>
                    {
                        var task = context.AddTask($"importing {Path.GetFileName(path)}", maxValue: good.Count);
                        foreach (var chunk in good.Chunk(size))
                        {
                            await UploadAsync(chunk, n => task.Increment(n)).ConfigureAwait(false);
                        }
                    }).ConfigureAwait(false);
                }
                else
                {
                    var done = 0;
                    var nextReport = good.Count / 10;
                    foreach (var chunk in good.Chunk(size))
                    {
                        await UploadAsync(chunk, n => done += n).ConfigureAwait(false);
                        if (!cli.Json && done >= nextReport && done < good.Count)
                        {
                            Console.WriteLine($"… {done} of {good.Count} rows");
                            nextReport = done + (good.Count / 10);
                        }
                    }
                }
                problems.Sort((a, b) => a.Row.CompareTo(b.Row));
                if (cli.Json)
                {
                    Console.WriteLine(JsonSerializer.Serialize(new ImportReport(rows.Count, accepted, duplicates, [.. problems.Select(p => new ImportProblem(p.Row, p.Code, p.Message))], progress.FirstSeq, progress.ShiftMs),
                        CliJsonContext.Default.ImportReport));
                }
                else
                {
                    CliRunner.Success($"{rows.Count} rows of {path}: {accepted} stored, {duplicates} already stored, {problems.Count} refused (device {key.Address}, sequences from {progress.FirstSeq})");
                    if (problems.Count > 0)
                    {
                        Output.Rows("refused rows", ["line", "code", "why"], problems.Take(50).Select(p => new[] { p.Row.ToString(CultureInfo.InvariantCulture), p.Code, p.Message }));
                        if (problems.Count > 50)
                        {
                            Console.WriteLine($"… and {problems.Count - 50} more (--json lists them all)");
                        }
                        if (problems.Any(p => p.Code == TelemetryErrors.ReadingTimeSkew))
                        {
                            Console.WriteLine("READING_TIME_SKEW: the node takes readings measured at most its freshness window (node run --max-reading-age, 7 days) ago and at most Node:MaxClockSkewMs (5 min) ahead; " +
                                "import older history with --historic OPERATOR-KEY (an operator of the node's org authorises it), or shift it to now with --rebase-time");
                        }
                    }
                }
                return problems.Count == 0 ? 0 : CliRunner.Refused;
            });
    }

    private static KeyPair DeviceKey(CliContext cli, string value) =>
        cli.ResolveKeyPair(value) ?? throw new FormatException($"--device '{value}' is neither a key name in {cli.Keys.Directory} nor a PEM file with a private key: the device's key signs its readings");

    internal static async Task<SchemaView> SchemaAsync(CliContext cli, string reference, CancellationToken ct)
    {
        if (!ReadingJsonMapper.TryParseSchemaRef(reference, out var id, out var version))
        {
            throw new FormatException($"--schema '{reference}' is not id@version (e.g. ev@1)");
        }
        return await cli.Client.GetSchemaAsync(id, version, ct).ConfigureAwait(false)
            ?? throw new ThingLedgerException("SCHEMA_NOT_FOUND", $"the node has no schema {reference} (thingledger schema list)", 404);
    }

    /// <summary>What an import keeps beside its file so that running it again sends the very same readings.</summary>
    internal sealed record ImportProgress(
        [property: JsonPropertyName("device")] string Device, [property: JsonPropertyName("schema")] string Schema,
        [property: JsonPropertyName("firstSeq")] ulong FirstSeq, [property: JsonPropertyName("shiftMs")] long ShiftMs, [property: JsonPropertyName("rows")] int Rows);

    private static async Task<ImportProgress> ProgressAsync(CliContext cli, string path, Address device, string schema, List<ReadingCsv.Row> rows, bool rebase, CancellationToken ct)
    {
        if (File.Exists(path))
        {
            var kept = JsonSerializer.Deserialize(File.ReadAllText(path), CliJsonContext.Default.ImportProgress)
                ?? throw new FormatException($"{path} does not hold an import's progress");
            if (kept.Device != device.ToString() || kept.Schema != schema)
            {
                throw new InvalidOperationException($"{path} belongs to an import for device {kept.Device} and schema {kept.Schema}; delete it to import this file as another device's");
            }
            Console.Error.WriteLine($"note: continuing the import in {path} (sequences from {kept.FirstSeq}); readings the node already has come back as duplicates");
            return kept;
        }
        var first = ((await cli.Client.GetLatestReadingAsync(device, ct).ConfigureAwait(false))?.Seq ?? 0) + 1;
        var shift = 0L;
        if (rebase && rows.Where(r => r.Problem is null).Select(r => (long)r.Time).DefaultIfEmpty(0).Max() is var last and > 0)
        {
            shift = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 1_000 - last;
        }
        var progress = new ImportProgress(device.ToString(), schema, first, shift, rows.Count);
        File.WriteAllText(path, JsonSerializer.Serialize(progress, CliJsonContext.Default.ImportProgress));
        return progress;
    }

    internal sealed record ImportProblem([property: JsonPropertyName("line")] int Line, [property: JsonPropertyName("code")] string Code, [property: JsonPropertyName("message")] string Message);

    /// <summary>`device import --json`: rows read, stored now, stored before (a resumed import), the refused rows, and the sequence and time shift used.</summary>
    internal sealed record ImportReport(
        [property: JsonPropertyName("rows")] int Rows, [property: JsonPropertyName("stored")] int Stored, [property: JsonPropertyName("alreadyStored")] int AlreadyStored,
        [property: JsonPropertyName("refused")] List<ImportProblem> Refused, [property: JsonPropertyName("firstSeq")] ulong FirstSeq, [property: JsonPropertyName("shiftMs")] long ShiftMs);
}
