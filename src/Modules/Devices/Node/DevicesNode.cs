using Microsoft.AspNetCore.Http.HttpResults;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution.Modules.Devices;
using ThingLedger.Node.Api;

namespace ThingLedger.Node.Modules.Devices;

/// <summary>The device registry's node part: devices by id, owner or organisation, read through <see cref="DeviceQueries"/>.</summary>
internal sealed class DevicesNode : NodeModule
{
    public override string Module => DevicesNames.ModuleName;

    public override void AddServices(IServiceCollection services) => services.AddSingleton<DeviceQueries>();

    public override IReadOnlyList<ExplorerLink> Navigation => [new("/devices", "Devices")];

    public override string? Find(IServiceProvider services, string term) =>
        Address.TryParse(term, out var id) && services.GetRequiredService<DeviceQueries>().Device(id) is not null ? $"/devices/{id}" : null;

    public override string? FindLoosely(IServiceProvider services, string term) =>
        services.GetRequiredService<DeviceQueries>().Search(new DeviceFilter(null, null, null, term), null, 1).Items.Count > 0
            ? $"/devices?q={Uri.EscapeDataString(term)}"
            : null;

    public override void MapApi(RouteGroupBuilder v1)
    {
        var devices = v1.MapGroup("/devices").WithTags("Devices");
        devices.MapGet("/", Devices).WithName("ListDevices").WithSummary("Devices, optionally by owner or org; page with after=cursor.");
        devices.MapGet("/{id}", Device).WithName("GetDevice").WithSummary("A device by id (the address of its key).");
    }

    private static Results<Ok<Page<DeviceView>>, ProblemHttpResult> Devices(DeviceQueries devices, string? owner, string? org, string? after, int? limit)
    {
        Address? o = null;
        if (owner is not null)
        {
            if (!Address.TryParse(owner, out var parsed))
            {
                return Problems.BadRequest($"owner '{owner}' is not an address");
            }
            o = parsed;
        }
        else if (org is not null && !Identifiers.IsOrgId(org))
        {
            return Problems.BadRequest($"'{org}' is not an organisation id");
        }
        var page = devices.Devices(o, o is null ? org : null, after, Problems.Limit(limit));
        return TypedResults.Ok(new Page<DeviceView>([.. page.Items.Select(View)], page.Next));
    }

    private static Results<Ok<DeviceView>, ProblemHttpResult> Device(string id, DeviceQueries devices)
    {
        if (!Address.TryParse(id, out var a))
        {
            return Problems.BadRequest($"'{id}' is not a device id (the address of its key)");
        }
        return devices.Device(a) is { } device ? TypedResults.Ok(View(device)) : Problems.NotFound($"no device {id}");
    }

    internal static DeviceView View(DeviceRecord d) => new(
        d.Id.ToString(), d.PublicKey.ToHex(), d.Org, d.Model, d.Serial, d.Owner.ToString(),
        d.Metadata.ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal),
        d.Status, d.RegisteredAt,
        d.Status == DeviceStatus.Revoked ? d.RevokedAt : null, d.Status == DeviceStatus.Revoked ? d.RevokeReason : null);
}
