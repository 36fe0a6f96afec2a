using System.Text.Json;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Telemetry;

namespace ThingLedger.Client;

/// <summary>
/// The 1:1 mapping between a reading's JSON form and its canonical binary form. Values are exact
/// decimals keyed by field name; the schema gives their order and scale, so the node rebuilds
/// the very bytes the device signed.
/// </summary>
public static class ReadingJsonMapper
{
    public static ReadingJson ToJson(Reading reading, TelemetrySchema schema, byte[]? signature)
    {
        var values = new Dictionary<string, JsonElement>(schema.Fields.Length);
        for (var i = 0; i < schema.Fields.Length; i++)
        {
            values[schema.Fields[i].Name] = JsonDocument.Parse(TelemetrySchema.FormatValue(reading.Values[i], schema.Fields[i].Decimals)).RootElement.Clone();
        }
        return new ReadingJson(reading.Device.ToString(), reading.Sequence, reading.Timestamp, reading.SchemaRef, values,
            signature is null ? null : Convert.ToHexStringLower(signature));
    }

    /// <summary>"ev@1" into ("ev", 1).</summary>
    public static bool TryParseSchemaRef(string? text, out string id, out ushort version)
    {
        id = string.Empty;
        version = 0;
        var at = text?.LastIndexOf('@') ?? -1;
        if (at <= 0 || !ushort.TryParse(text.AsSpan(at + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out version))
        {
            return false;
        }
        id = text![..at];
        return true;
    }

    /// <summary>The binary reading for a JSON one, or a READING_MALFORMED / SCHEMA_NOT_FOUND reason.</summary>
    public static bool TryFromJson(ReadingJson json, Func<string, ushort, TelemetrySchema?> schemas, out Reading? reading, out string code, out string message)
    {
        reading = null;
        code = TelemetryErrors.ReadingMalformed;
        if (!Address.TryParse(json.Device, out var device))
        {
            message = $"device '{json.Device}' is not an address";
            return false;
        }
        if (!TryParseSchemaRef(json.Schema, out var id, out var version))
        {
            message = $"schema '{json.Schema}' is not of the form id@version";
            return false;
        }
        var schema = schemas(id, version);
        if (schema is null)
        {
            code = TelemetryErrors.SchemaNotFound;
            message = $"no schema {json.Schema} is registered";
            return false;
        }
        var values = new long[schema.Fields.Length];
        var given = json.Values ?? [];
        foreach (var name in given.Keys)
        {
            if (schema.IndexOf(name) < 0)
            {
                message = $"schema {json.Schema} has no field '{name}'";
                return false;
            }
        }
        for (var i = 0; i < values.Length; i++)
        {
            var field = schema.Fields[i];
            if (!given.TryGetValue(field.Name, out var element))
            {
                message = $"field '{field.Name}' is missing";
                return false;
            }
            var text = element.ValueKind switch
            {
                JsonValueKind.Number => element.GetRawText(),
                JsonValueKind.String => element.GetString(),
                _ => null,
            };
            if (text is null || !TelemetrySchema.TryParseValue(text, field.Decimals, out values[i]))
            {
                message = $"field '{field.Name}' must be a decimal number with at most {field.Decimals} decimals";
                return false;
            }
        }
        reading = new Reading(device, json.Seq, json.Time, id, version, values);
        message = string.Empty;
        return true;
    }
}
