using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Devices;
using ThingLedger.Storage;

namespace ThingLedger.Node.Modules.Devices;

/// <summary>The device registry read from committed state: the one place the module's API and explorer pages read from.</summary>
public sealed class DeviceQueries(LedgerStore store)
{
    public DeviceRecord? Device(Address id) => DevicesModule.ReadDevice(store, id);

    /// <summary>Devices in id order after the cursor: all of them, or one owner's, or one organisation's.</summary>
    public Page<DeviceRecord> Devices(Address? owner, string? org, string? after, int limit)
    {
        var prefix = owner is { } o ? DevicesModule.ByOwnerPrefix(o) : org is not null ? DevicesModule.ByOrgPrefix(org) : DevicesModule.DevicesPrefix;
        var page = store.Scan(prefix, after is null ? null : prefix + after, limit);
        var items = new List<DeviceRecord>();
        foreach (var kv in page)
        {
            if (Address.TryParse(kv.Key[prefix.Length..], out var id) && DevicesModule.ReadDevice(store, id) is { } device)
            {
                items.Add(device);
            }
        }
        return new Page<DeviceRecord>(items, page.Count == limit ? page[^1].Key[prefix.Length..] : null);
    }

    /// <summary>Devices matching <paramref name="filter"/>, looking at no more than <see cref="DeviceSearch.MaxExamined"/> per call.</summary>
    public DevicePage Search(DeviceFilter filter, string? after, int limit) => DeviceSearch.Find(store, filter, after, limit);
}
