using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Node.Telemetry;

namespace ThingLedger.Node.Api;

/// <summary>
/// Turns the body of <c>POST /v1/readings</c> (binary or JSON) into ingest items. Both forms
/// count readings while they decode and stop at <c>Node:MaxUploadReadings</c> with
/// <c>BATCH_TOO_LARGE</c>: an upload never costs more work or memory than the limit allows,
/// whatever it claims. The JSON form is read element by element (a reading is materialised only
/// once it is known to be within the limit) after <see cref="StrictJson"/> refused duplicate names.
/// </summary>
internal static class ReadingUploadDecoder
{
    public static IngestItem[]? FromBinary(ReadOnlySpan<byte> body, int maxReadings, out ProblemHttpResult? problem)
    {
        var error = ReadingUploadFrame.TryDecode(body, DeviceBatch.MaxReadings, maxReadings, out var frame, out var count);
        if (error == CodecError.OverLimit)
        {
            problem = TooMany(maxReadings, count);
            return null;
        }
        if (error != CodecError.None)
        {
            problem = Problems.Of(ErrorCodes.ReadingsMalformed, $"the upload does not decode: {error}");
            return null;
        }
        problem = null;
        var items = new IngestItem[frame.Length];
        for (var i = 0; i < frame.Length; i++)
        {
            var slots = new ReadingSlot[frame[i].Readings.Length];
            for (var j = 0; j < slots.Length; j++)
            {
                var readingError = Reading.TryDecode(frame[i].Readings[j], out var reading);
                slots[j] = readingError == CodecError.None
                    ? ReadingSlot.Of(reading!)
                    : ReadingSlot.Failed(TelemetryErrors.ReadingMalformed, $"the reading does not decode: {readingError}");
            }
            items[i] = new IngestItem(frame[i].BatchDevice, slots, frame[i].Signature);
        }
        return items;
    }

    public static IngestItem[]? FromJson(ReadOnlySpan<byte> body, SchemaCache schemas, int maxReadings, out ProblemHttpResult? problem)
    {
        if (StrictJson.Check(body) is { } broken)
        {
            problem = Problems.Of(broken.Code == ErrorCodes.BadRequest ? ErrorCodes.ReadingsMalformed : broken.Code, broken.ToString());
            return null;
        }
        var parser = new JsonUpload(schemas, maxReadings);
        try
        {
            var reader = new Utf8JsonReader(body);
            parser.ReadUpload(ref reader);
        }
        catch (UploadRefused refused)
        {
            problem = refused.Problem;
            return null;
        }
        catch (JsonException e)
        {
            problem = Problems.Of(ErrorCodes.ReadingsMalformed, $"the upload does not have the documented shape: {e.Message}");
            return null;
        }
        problem = null;
        return [.. parser.Items];
    }

    private static ProblemHttpResult TooMany(int maxReadings, int count) =>
        Problems.Of(ErrorCodes.BatchTooLarge, $"an upload holds at most {maxReadings} readings (Node:MaxUploadReadings); this one holds more ({count} counted before decoding stopped)");

    private sealed class UploadRefused(ProblemHttpResult problem) : Exception(problem.ProblemDetails.Detail)
    {
        public ProblemHttpResult Problem { get; } = problem;
    }

    /// <summary>
    /// The JSON form, read with the reader: <c>{"readings":[reading…], "batches":[{"device","readings","signature"}…]}</c>.
    /// Each reading object is deserialised strictly (an unknown or missing member makes that reading malformed).
    /// </summary>
    private sealed class JsonUpload(SchemaCache schemas, int maxReadings)
    {
        public List<IngestItem> Items { get; } = [];

        private readonly List<IngestItem> _batches = [];
        private int _count;

        public void ReadUpload(ref Utf8JsonReader reader)
        {
            Expect(ref reader, JsonTokenType.StartObject, "$", "an object");
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                switch (name)
                {
                    case "readings":
                        ReadArray(ref reader, "$.readings", (ref Utf8JsonReader r, int i) =>
                        {
                            var entry = ReadReading(ref r, $"$.readings[{i}]");
                            Items.Add(new IngestItem(null, [Slot(entry)], SignatureBytes(entry.Json?.Signature)));
                        }, countEach: true);
                        break;
                    case "batches":
                        ReadArray(ref reader, "$.batches", (ref Utf8JsonReader r, int i) => _batches.Add(ReadBatch(ref r, $"$.batches[{i}]")));
                        break;
                    default:
                        throw Malformed($"$.{name}", "an upload has only \"readings\" and \"batches\"");
                }
            }
            Items.AddRange(_batches);
        }

        private IngestItem ReadBatch(ref Utf8JsonReader reader, string path)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw Malformed(path, $"a device batch must be an object, not {Describe(reader.TokenType)}");
            }
            string? device = null;
            string? signature = null;
            var readings = new List<ReadingEntry>();
            bool hasDevice = false, hasSignature = false, hasReadings = false;
            while (Next(ref reader) == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                switch (name)
                {
                    case "device":
                        device = ReadString(ref reader, $"{path}.device");
                        hasDevice = true;
                        break;
                    case "signature":
                        signature = ReadString(ref reader, $"{path}.signature");
                        hasSignature = true;
                        break;
                    case "readings":
                        hasReadings = true;
                        ReadArray(ref reader, $"{path}.readings", (ref Utf8JsonReader r, int i) => readings.Add(ReadReading(ref r, $"{path}.readings[{i}]")), countEach: true);
                        if (readings.Count == 0)
                        {
                            // An empty batch still counts once (it gets its own DEVICE_BATCH_EMPTY outcome).
                            Count(path);
                        }
                        break;
                    default:
                        throw Malformed($"{path}.{name}", "a device batch has only \"device\", \"readings\" and \"signature\"");
                }
            }
            if (!hasDevice || !hasSignature || !hasReadings)
            {
                throw Malformed(path, "a device batch needs \"device\", \"readings\" and \"signature\"");
            }
            var slots = new ReadingSlot[readings.Count];
            for (var j = 0; j < slots.Length; j++)
            {
                slots[j] = Slot(readings[j]);
            }
            if (!Address.TryParse(device, out var address))
            {
                for (var j = 0; j < slots.Length; j++)
                {
                    slots[j] = ReadingSlot.Failed(TelemetryErrors.ReadingMalformed, $"the batch's device '{device}' is not an address");
                }
            }
            return new IngestItem(address, slots, SignatureBytes(signature));
        }

        /// <summary>
        /// One reading object. One whose members do not fit the documented shape (missing, unknown,
        /// of the wrong type) becomes that reading's READING_MALFORMED; the upload goes on.
        /// </summary>
        private static ReadingEntry ReadReading(ref Utf8JsonReader reader, string path)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw Malformed(path, $"a reading must be an object, not {Describe(reader.TokenType)}");
            }
            var start = reader;
            try
            {
                return new ReadingEntry(JsonSerializer.Deserialize(ref reader, UploadJsonContext.Default.ReadingJson), null);
            }
            catch (JsonException e)
            {
                reader = start;
                reader.Skip();
                return new ReadingEntry(null, $"the reading does not have the documented shape: {e.Message}");
            }
        }

        private readonly record struct ReadingEntry(ReadingJson? Json, string? Problem);

        private delegate void ElementReader(ref Utf8JsonReader reader, int index);

        /// <summary>Reads an array of objects; with <paramref name="countEach"/>, each element counts as one reading towards the limit.</summary>
        private void ReadArray(ref Utf8JsonReader reader, string path, ElementReader read, bool countEach = false)
        {
            Expect(ref reader, JsonTokenType.StartArray, path, "an array");
            var index = 0;
            while (Next(ref reader) != JsonTokenType.EndArray)
            {
                if (reader.TokenType == JsonTokenType.Null)
                {
                    throw Malformed($"{path}[{index}]", "an element is null");
                }
                if (countEach)
                {
                    Count($"{path}[{index}]");
                }
                read(ref reader, index);
                index++;
            }
        }

        private void Count(string path)
        {
            if (++_count > maxReadings)
            {
                throw new UploadRefused(Problems.Of(ErrorCodes.BatchTooLarge,
                    $"an upload holds at most {maxReadings} readings (Node:MaxUploadReadings); decoding stopped at {path}"));
            }
        }

        private ReadingSlot Slot(ReadingEntry entry) =>
            entry.Json is null ? ReadingSlot.Failed(TelemetryErrors.ReadingMalformed, entry.Problem!)
            : ReadingJsonMapper.TryFromJson(entry.Json, schemas.Find, out var reading, out var code, out var message) ? ReadingSlot.Of(reading!)
            : ReadingSlot.Failed(code, message);

        private static string ReadString(ref Utf8JsonReader reader, string path)
        {
            Next(ref reader);
            return reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw Malformed(path, $"must be a string, not {Describe(reader.TokenType)}");
        }

        private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string path, string what)
        {
            if (Next(ref reader) != type)
            {
                throw Malformed(path, $"must be {what}, not {Describe(reader.TokenType)}");
            }
        }

        private static JsonTokenType Next(ref Utf8JsonReader reader) =>
            reader.Read() ? reader.TokenType : throw new JsonException("the JSON ends early");

        private static string Describe(JsonTokenType type) => type switch
        {
            JsonTokenType.Null => "null",
            JsonTokenType.StartArray => "an array",
            JsonTokenType.StartObject => "an object",
            JsonTokenType.String => "a string",
            JsonTokenType.Number => "a number",
            JsonTokenType.True or JsonTokenType.False => "a boolean",
            _ => type.ToString(),
        };

        private static UploadRefused Malformed(string path, string message) =>
            new(Problems.Of(ErrorCodes.ReadingsMalformed, $"{message} (at {path})"));
    }

    /// <summary>A missing or malformed signature becomes 64 zero bytes, which never verifies (and is not low-S).</summary>
    private static byte[] SignatureBytes(string? hex) =>
        Hex.TryDecode(hex, out var bytes) && bytes.Length == Signature.Size ? bytes : new byte[Signature.Size];
}

/// <summary>Uploaded readings are read strictly: an unknown member or a missing one is refused, not ignored.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, AllowDuplicateProperties = false,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(ReadingJson))]
internal sealed partial class UploadJsonContext : JsonSerializerContext;
