using System.Text.Json;
using ThingLedger.Client;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Telemetry;

namespace ThingLedger.Cli.Tests;

/// <summary>docs/TELEMETRY.md's JSON upload example is a real signed reading.</summary>
public class TelemetryDocTests
{
    private static readonly string Doc = File.ReadAllText(Path.Combine(Repository.Root(), "docs", "TELEMETRY.md"));

    [Fact]
    public void The_worked_json_upload_decodes_to_the_reading_described_and_its_signature_verifies()
    {
        var section = Doc[Doc.IndexOf("### A JSON upload, worked", StringComparison.Ordinal)..];
        var start = section.IndexOf("```json\n", StringComparison.Ordinal) + "```json\n".Length;
        var body = section[start..section.IndexOf("\n```", start, StringComparison.Ordinal)];
        var upload = JsonSerializer.Deserialize(body, TelemetryJson.Default.ReadingUploadJson)!;
        var json = Assert.Single(upload.Readings!);
        Assert.True(ReadingJsonMapper.TryFromJson(json, (id, version) => BuiltInSchemas.Find(id) is { } s && s.Version == version ? s : null, out var reading, out var code, out var message), $"{code}: {message}");
        Assert.Equal([1250L, 0L, 555L], reading!.Values);
        Assert.Equal(DateTimeOffset.Parse("2025-12-04T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), (long)reading.Timestamp);
        Assert.True(PublicKey.TryParseHex(System.Text.RegularExpressions.Regex.Match(section, "`(04[0-9a-f]{128})`").Groups[1].Value, out var key));
        Assert.Equal(key!.ToAddress(), reading.Device);
        Assert.True(SignatureVerifier.Verify(key, reading.SigningDigest("thingledger-dev"), Convert.FromHexString(json.Signature!)));
    }
}
