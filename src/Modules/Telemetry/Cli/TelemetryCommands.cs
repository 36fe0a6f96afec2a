using System.CommandLine;
using System.Globalization;
using ThingLedger.Cli.Modules;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Telemetry;

namespace ThingLedger.Cli.Commands;

/// <summary>schema list|show|register; device history|latest|receipt.</summary>
internal static class TelemetryCommands
{
    public static Command Schema()
    {
        var list = new Command("list", "Registered telemetry schemas.\nExample: thingledger schema list")
            .Runs(async (_, cli, ct) =>
            {
                var schemas = await cli.Client.GetSchemasAsync(ct).ConfigureAwait(false);
                if (cli.Json)
                {
                    Output.Json(schemas);
                    return 0;
                }
                Output.Rows("schemas", ["schema", "org", "fields", "screened by"],
                    schemas.Select(s => new[] { s.Ref, s.Org, string.Join(", ", s.Fields.Select(f => f.Additive ? f.Name + " (+)" : f.Name)), s.ScreenedBy ?? "not screened" }));
                return 0;
            });
        var which = new Argument<string>("schema") { Description = "Schema as id@version, e.g. ev@1" };
        var show = new Command("show", "One schema's fields, units, decimals and ranges.\nExample: thingledger schema show ev@1").With(which)
            .Runs(async (parse, cli, ct) =>
            {
                if (!ReadingJsonMapper.TryParseSchemaRef(parse.GetValue(which), out var id, out var version))
                {
                    throw new FormatException($"'{parse.GetValue(which)}' is not of the form id@version");
                }
                var schema = await cli.Client.GetSchemaAsync(id, version, ct).ConfigureAwait(false)
                    ?? throw new ThingLedgerException("NOT_FOUND", $"no schema {id}@{version} is registered", 404);
                if (cli.Json)
                {
                    Output.Json(schema);
                    return 0;
                }
                Output.Rows($"schema {schema.Ref} (registered by {schema.Org} at block {schema.Height}; {(schema.ScreenedBy is { } model ? "screened by " + model : "not screened")}; summarised {(schema.SummaryMinutes == 0 ? "per day" : $"per {schema.SummaryMinutes} minutes")})", ["field", "unit", "decimals", "min", "max", "additive"],
                    schema.Fields.Select(f => new[] { f.Name, f.Unit, f.Decimals.ToString(CultureInfo.InvariantCulture), f.Min, f.Max, f.Additive ? "yes" : "no" }));
                return 0;
            });
        var builtin = new Option<string>("--builtin") { Description = "One of the shipped schemas, as id@version (an id alone is its first version): " + string.Join(", ", BuiltInSchemas.All.Select(s => s.Ref)) };
        var file = new Option<string>("--file") { Description = "A schema as JSON: {\"id\",\"version\",\"fields\":[{\"name\",\"unit\",\"decimals\",\"min\",\"max\",\"additive\"}],\"summaryMinutes\"} (min/max in the field's smallest unit; summaryMinutes optional: summarise per period of the day, e.g. 15)" };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        var register = new Command("register", "Register a schema for your organisation (admin or device-manager).\n" +
                "Example: thingledger schema register --builtin ev --as voltmotors-admin")
            .With(builtin, file, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var schema = parse.GetValue(builtin) is { } name
                    ? BuiltInSchemas.Find(name) ?? throw new FormatException($"no built-in schema '{name}' (there are {string.Join(", ", BuiltInSchemas.All.Select(s => s.Ref))}; an id alone is its first version)")
                    : parse.GetValue(file) is { } path
                        ? StrictJson.Deserialize(File.ReadAllText(path), CliJsonContext.Default.TelemetrySchemaFile, path).ToSchema()
                        : throw new ArgumentException("give --builtin NAME or --file schema.json");
                var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
                return (await cli.SubmitAsync(account, Operations.RegisterSchema(schema), parse.GetValue(noWait), ct).ConfigureAwait(false)).Exit;
            });
        return new Command("schema", "Telemetry schemas: what a device's reading values mean.").With(list, show, register);
    }

    public static Command History()
    {
        var id = new Argument<string>("id") { Description = "Device id" };
        var from = new Option<ulong?>("--from") { Description = "Measured at or after (ms since the Unix epoch)" };
        var to = new Option<ulong?>("--to") { Description = "Measured at or before (ms since the Unix epoch)" };
        var before = new Option<string>("--before") { Description = "Continue below this sequence (printed as 'next')" };
        var limit = new Option<int>("--limit") { Description = "At most this many", DefaultValueFactory = _ => 20 };
        return new Command("history", "A device's readings stored at this node, newest first.\nExample: thingledger device history tl… --limit 50")
            .With(id, from, to, before, limit)
            .Runs(async (parse, cli, ct) =>
            {
                var page = await cli.Client.GetReadingHistoryAsync(Address.Parse(parse.GetValue(id)!), parse.GetValue(from), parse.GetValue(to),
                    parse.GetValue(before), parse.GetValue(limit), ct).ConfigureAwait(false);
                if (cli.Json)
                {
                    Output.Json(page);
                    return 0;
                }
                Output.Rows("readings", ["seq", "measured", "schema", "values", "screening", "anchored in block"],
                    page.Items.Select(r => new[]
                    {
                        r.Seq.ToString(CultureInfo.InvariantCulture), Output.Time(r.Time), r.Schema, Values(r), r.Model is null ? "not screened" : r.Flags.Count == 0 ? "clean" : string.Join(", ", r.Flags),
                        r.AnchorHeight?.ToString(CultureInfo.InvariantCulture) ?? "pending",
                    }));
                if (page.Next is not null)
                {
                    Console.WriteLine($"next: --before {page.Next}");
                }
                return 0;
            });
    }

    public static Command Latest()
    {
        var id = new Argument<string>("id") { Description = "Device id" };
        return new Command("latest", "A device's newest reading.\nExample: thingledger device latest tl…").With(id)
            .Runs(async (parse, cli, ct) =>
            {
                var reading = await cli.Client.GetLatestReadingAsync(Address.Parse(parse.GetValue(id)!), ct).ConfigureAwait(false)
                    ?? throw new ThingLedgerException("NOT_FOUND", $"this node holds no reading of device {parse.GetValue(id)}", 404);
                if (cli.Json)
                {
                    Output.Json(reading);
                    return 0;
                }
                Output.Fields($"reading {reading.Seq} of {reading.Device}", ("measured", Output.Time(reading.Time)), ("schema", reading.Schema),
                    ("values", Values(reading)), ("screening", Screening(reading)), ("historic import", reading.HistoricImportBy is { } by ? "authorised by " + by : null),
                    ("signed", reading.Signature is null ? $"in device batch {reading.Batch}" : "alone"),
                    ("anchor tx", reading.AnchorTx ?? "pending"), ("anchored in block", reading.AnchorHeight?.ToString(CultureInfo.InvariantCulture)));
                return 0;
            });
    }

    public static Command Receipt()
    {
        var id = new Argument<string>("id") { Description = "Device id" };
        var seq = new Argument<ulong>("seq") { Description = "The reading's sequence number" };
        var output = new Option<string>("--out", "-o") { Description = "Write the receipt to this file (default: print it)" };
        return new Command("receipt", "Fetch a reading's receipt, check it against <data>/genesis.json, and print or save it for anyone to verify offline.\n" +
                "Example: thingledger device receipt tl… 42 --out receipt.json && thingledger verify receipt.json --genesis genesis.json")
            .With(id, seq, output)
            .Runs(async (parse, cli, ct) =>
            {
                var receipt = await cli.Client.GetReadingReceiptAsync(Address.Parse(parse.GetValue(id)!), parse.GetValue(seq), ct).ConfigureAwait(false);
                var result = receipt.Verify(Node.DataDirectory.LoadGenesis(cli.DataDirectory));
                if (!result.Ok)
                {
                    throw new ProofException(result);
                }
                return ChainCommands.Emit(receipt, parse.GetValue(output));
            });
    }

    private static string Values(ReadingView r) => string.Join(" ", r.Values.Select(v => $"{v.Key}={v.Value}"));

    /// <summary>"not screened" (no model looked), "clean (by m)" or the flags: never "clean" for a reading no model saw.</summary>
    internal static string Screening(ReadingView r) =>
        r.Model is null ? "not screened (no model registered for its schema)"
        : r.Flags.Count == 0 ? $"clean (by {r.Model})"
        : $"{string.Join(", ", r.Flags)} (by {r.Model})";
}

/// <summary>A schema as written in a JSON file for `schema register --file`.</summary>
internal sealed record TelemetrySchemaFile(string Id, ushort Version, List<SchemaFieldFile> Fields)
{
    /// <summary>Summarise each device per period of this many minutes of the day (a divisor of 1440), or per day when 0 or absent.</summary>
    public ushort SummaryMinutes { get; init; }

    public TelemetrySchema ToSchema() => new(Id, Version, [.. Fields.Select(f => new SchemaField(f.Name, f.Unit, f.Decimals, f.Min, f.Max, f.Additive))])
    {
        SummaryMinutes = SummaryMinutes,
    };
}

internal sealed record SchemaFieldFile(string Name, string Unit, byte Decimals, long Min, long Max, bool Additive);

/// <summary>The telemetry module's commands.</summary>
internal sealed class TelemetryCli : CliModule
{
    public override string Module => TelemetryNames.ModuleName;

    public override IEnumerable<Command> Commands() => [TelemetryCommands.Schema(), ScreeningCommands.Create()];

    /// <summary>A device's readings are telemetry's: `device send|import|history|latest|receipt`.</summary>
    public override IEnumerable<(string Under, Command Command)> Extensions() => [("device", ReadingCommands.Send()), ("device", ReadingCommands.Import()), ("device", ReadingCommands.MqttPassword()), ("device", TelemetryCommands.History()), ("device", TelemetryCommands.Latest()), ("device", TelemetryCommands.Receipt())];
}
