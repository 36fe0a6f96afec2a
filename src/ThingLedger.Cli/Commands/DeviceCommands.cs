using System.CommandLine;
using System.Globalization;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Cli.Commands;

/// <summary>device register|list|show|transfer|revoke.</summary>
internal static class DeviceCommands
{
    public static Command Device() =>
        new Command("device", "Device identities: register, transfer ownership, revoke, query.")
            .With(Register(), ListDevices(), Show(), Transfer(), Revoke(), TelemetryCommands.History(), TelemetryCommands.Latest(), TelemetryCommands.Receipt());

    private static Command Register()
    {
        var key = new Option<string>("--device-key") { Description = "The device's public key: 130 hex digits (04‖X‖Y), a PEM file, or a key name in <data>/keys", Required = true };
        var model = new Option<string>("--model") { Description = "Model name", Required = true };
        var serial = new Option<string>("--serial") { Description = "Serial number, unique within the organisation", Required = true };
        var owner = new Option<string>("--owner") { Description = "Owner address (tl…) or key name", Required = true };
        var meta = new Option<string[]>("--meta") { Description = "Metadata as key=value (repeatable)" };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("register", "Register a device (needs the device-manager role).\n" +
                "Example: thingledger device register --device-key car1 --model EV-7 --serial VIN123 --owner alice --meta firmware=2.4.1 --as voltmotors-admin")
            .With(key, model, serial, owner, meta, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var publicKey = cli.ResolvePublicKey("--device-key", parse.GetValue(key)!);
                var metadata = (parse.GetValue(meta) ?? []).Select(m =>
                {
                    var parts = m.Split('=', 2);
                    return parts.Length == 2 ? new KeyValuePair<string, string>(parts[0], parts[1]) : throw new FormatException($"--meta '{m}' must look like key=value");
                });
                var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
                var tx = account.Sign(Operations.RegisterDevice(publicKey, parse.GetValue(model)!, parse.GetValue(serial)!, cli.ResolveAddress(parse.GetValue(owner)!), metadata));
                var code = await cli.SubmitAsync(tx, parse.GetValue(noWait), ct).ConfigureAwait(false);
                if (code == 0 && !cli.Json)
                {
                    Console.WriteLine($"device id: {publicKey.ToAddress()}");
                }
                return code;
            });
    }

    private static Command ListDevices()
    {
        var owner = new Option<string>("--owner") { Description = "Only devices of this owner (address or key name)" };
        var org = new Option<string>("--org") { Description = "Only devices of this organisation" };
        var limit = new Option<int>("--limit") { Description = "At most this many", DefaultValueFactory = _ => 50 };
        var after = new Option<string>("--after") { Description = "Continue after this cursor (printed as 'next')" };
        return new Command("list", "List devices.\nExample: thingledger device list --org voltmotors").With(owner, org, limit, after)
            .Runs(async (parse, cli, ct) =>
            {
                Address? ownerAddress = parse.GetValue(owner) is { } o ? cli.ResolveAddress(o) : null;
                var page = await cli.Client.ListDevicesAsync(ownerAddress, parse.GetValue(org), parse.GetValue(after), parse.GetValue(limit), ct).ConfigureAwait(false);
                if (cli.Json)
                {
                    Output.Json(page);
                    return 0;
                }
                Output.Rows("devices", ["id", "org", "model", "serial", "owner", "status"],
                    page.Items.Select(d => new[] { d.Id, d.Org, d.Model, d.Serial, d.Owner, d.Status }));
                if (page.Next is not null)
                {
                    Console.WriteLine($"next: --after {page.Next}");
                }
                return 0;
            });
    }

    private static Command Show()
    {
        var id = new Argument<string>("id") { Description = "Device id (the address of its key)" };
        return new Command("show", "Show one device.\nExample: thingledger device show tl…").With(id)
            .Runs(async (parse, cli, ct) =>
            {
                var device = await cli.Client.GetDeviceAsync(Address.Parse(parse.GetValue(id)!), ct).ConfigureAwait(false)
                    ?? throw new ThingLedgerException("NOT_FOUND", $"no device {parse.GetValue(id)}", 404);
                if (cli.Json)
                {
                    Output.Json(device);
                    return 0;
                }
                Print(device);
                return 0;
            });
    }

    private static void Print(DeviceView d) => Output.Fields($"device {d.Id}",
        ("org", d.Org), ("model", d.Model), ("serial", d.Serial), ("owner", d.Owner), ("status", d.Status),
        ("registered at block", d.RegisteredAt.ToString(CultureInfo.InvariantCulture)),
        ("revoked at block", d.RevokedAt?.ToString(CultureInfo.InvariantCulture)), ("revoke reason", d.RevokeReason),
        ("metadata", string.Join(", ", d.Metadata.Select(m => $"{m.Key}={m.Value}"))), ("public key", d.PublicKey));

    private static Command Transfer()
    {
        var id = new Argument<string>("id") { Description = "Device id" };
        var to = new Argument<string>("new-owner") { Description = "New owner address or key name" };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("transfer", "Hand a device to a new owner (signed by the current owner).\nExample: thingledger device transfer tl… bob --as alice")
            .With(id, to, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
                var tx = account.Sign(Operations.TransferDevice(Address.Parse(parse.GetValue(id)!), cli.ResolveAddress(parse.GetValue(to)!)));
                return await cli.SubmitAsync(tx, parse.GetValue(noWait), ct).ConfigureAwait(false);
            });
    }

    private static Command Revoke()
    {
        var id = new Argument<string>("id") { Description = "Device id" };
        var reason = new Option<string>("--reason") { Description = "Why (kept on chain)", Required = true };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("revoke", "Revoke a device (its organisation's device-manager or admin).\nExample: thingledger device revoke tl… --reason \"key leaked\" --as voltmotors-admin")
            .With(id, reason, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
                var tx = account.Sign(Operations.RevokeDevice(Address.Parse(parse.GetValue(id)!), parse.GetValue(reason)!));
                return await cli.SubmitAsync(tx, parse.GetValue(noWait), ct).ConfigureAwait(false);
            });
    }
}
