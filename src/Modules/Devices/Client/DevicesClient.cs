using System.Globalization;
using System.Text.Json.Serialization;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;

[assembly: ThingLedger.Client.ModuleJson(typeof(ThingLedger.Client.DevicesJson))]

namespace ThingLedger.Client;

/// <summary>The devices module's queries.</summary>
public sealed partial class ThingLedgerClient
{
    public Task<DeviceView?> GetDeviceAsync(Address id, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"v1/devices/{id}", DevicesJson.Default.DeviceView, cancellationToken);

    public Task<Page<DeviceView>> ListDevicesAsync(Address? owner = null, string? org = null, string? after = null, int limit = 50, CancellationToken cancellationToken = default)
    {
        var query = $"v1/devices?limit={limit.ToString(CultureInfo.InvariantCulture)}";
        query += owner is { } o ? $"&owner={o}" : string.Empty;
        query += org is not null ? $"&org={Uri.EscapeDataString(org)}" : string.Empty;
        query += after is not null ? $"&after={Uri.EscapeDataString(after)}" : string.Empty;
        return GetAsync(query, DevicesJson.Default.PageDeviceView, cancellationToken);
    }
}

/// <summary>The devices module's API shapes, serialised as the node's other views are (camelCase, nulls omitted, duplicate keys refused).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(DeviceView))]
[JsonSerializable(typeof(Page<DeviceView>))]
public sealed partial class DevicesJson : JsonSerializerContext;
