using ThingLedger.Core;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Devices;
using ThingLedger.Storage;

namespace ThingLedger.Node.Modules.Devices;

/// <summary>What the devices page filters on; every part is optional.</summary>
public sealed record DeviceFilter(string? Org, string? Model, string? Status, string? Text)
{
    public bool Matches(DeviceRecord device) =>
        (string.IsNullOrEmpty(Model) || device.Model.Contains(Model, StringComparison.OrdinalIgnoreCase)) &&
        (string.IsNullOrEmpty(Status) || Status == device.Status.Text()) &&
        (string.IsNullOrEmpty(Text) ||
            device.Id.ToString().Contains(Text, StringComparison.OrdinalIgnoreCase) ||
            device.Serial.Contains(Text, StringComparison.OrdinalIgnoreCase) ||
            device.Owner.ToString().Equals(Text, StringComparison.OrdinalIgnoreCase));
}

/// <summary>A page of devices: the matches, the cursor to continue from, and how many devices were looked at.</summary>
public sealed record DevicePage(List<DeviceRecord> Items, string? Next, int Examined);

/// <summary>
/// Lists devices in id order through the devices module's key ranges (all devices, or one org's),
/// filtering as it goes. One request looks at no more than <see cref="MaxExamined"/> devices, so a
/// rare filter on a million devices answers quickly with a partial page and a cursor to continue.
/// </summary>
public static class DeviceSearch
{
    public const int MaxExamined = 5_000;
    private const int Chunk = 500;

    public static DevicePage Find(LedgerStore store, DeviceFilter filter, string? after, int limit)
    {
        var prefix = string.IsNullOrEmpty(filter.Org) ? DevicesModule.DevicesPrefix : DevicesModule.ByOrgPrefix(filter.Org);
        var items = new List<DeviceRecord>();
        var cursor = after;
        var examined = 0;
        while (examined < MaxExamined)
        {
            var chunk = store.Scan(prefix, cursor is null ? null : prefix + cursor, Math.Min(Chunk, MaxExamined - examined));
            foreach (var (key, _) in chunk)
            {
                examined++;
                cursor = key[prefix.Length..];
                if (Address.TryParse(cursor, out var id) && DevicesModule.ReadDevice(store, id) is { } device && filter.Matches(device))
                {
                    items.Add(device);
                    if (items.Count == limit)
                    {
                        return new DevicePage(items, cursor, examined);
                    }
                }
            }
            if (chunk.Count < Chunk)
            {
                return new DevicePage(items, null, examined);
            }
        }
        return new DevicePage(items, cursor, examined);
    }
}
