using System.Text.Json.Serialization;

namespace ThingLedger.Cli;

/// <summary>JSON for the CLI's own small outputs (key listings, verification results, benchmark figures).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNameCaseInsensitive = true, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(ThingLedger.Cli.Commands.TelemetrySchemaFile))]
[JsonSerializable(typeof(ThingLedger.Cli.Commands.VerifyOutput))]
[JsonSerializable(typeof(ThingLedger.Cli.Commands.ReadingCommands.ImportProgress))]
[JsonSerializable(typeof(ThingLedger.Cli.Commands.ReadingCommands.ImportReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
