using System.Globalization;
using System.Text.Json.Serialization;
using ThingLedger.Client.Contracts;

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
}

/// <summary>The epcis module's API shapes, serialised as the node's other views are (camelCase, nulls omitted, duplicate keys refused).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(Gs1IdView))]
public sealed partial class EpcisJson : JsonSerializerContext;
