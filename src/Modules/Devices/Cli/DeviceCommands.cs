using System.CommandLine;
using System.Globalization;
using ThingLedger.Cli.Modules;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Devices;

namespace ThingLedger.Cli.Commands;

/// <summary>device register|prove|list|show|transfer|revoke.</summary>
internal static class DeviceCommands
{
    public static Command Device() =>
        new Command("device", "Device identities: register, transfer ownership, revoke, query.")
            .With(Register(), Prove(), ListDevices(), Show(), Transfer(), Revoke());

    private static Command Register()
    {
        var key = new Option<string>("--device-key") { Description = "The device's key: a key name in <data>/keys or a PEM file (its private key signs the proof of possession), or its public key (130 hex digits, 04‖X‖Y, or a public PEM) with --possession", Required = true };
        var possession = new Option<string>("--possession") { Description = "The device's proof of possession in hex, when --device-key is only a public key (what `thingledger device prove` prints, or the device's secure element signs)" };
        var model = new Option<string>("--model") { Description = "Model name", Required = true };
        var serial = new Option<string>("--serial") { Description = "Serial number, unique within the organisation", Required = true };
        var owner = new Option<string>("--owner") { Description = "Owner address (tl…) or key name", Required = true };
        var meta = new Option<string[]>("--meta") { Description = "Metadata as key=value (repeatable)" };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("register", "Register a device (needs the device-manager role). The device key proves it is being registered by whoever holds it.\n" +
                "Example: thingledger device register --device-key car1 --model EV-7 --serial VIN123 --owner alice --meta firmware=2.4.1 --as voltmotors-admin")
            .With(key, possession, model, serial, owner, meta, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var metadata = (parse.GetValue(meta) ?? []).Select(m =>
                {
                    var parts = m.Split('=', 2);
                    return parts.Length == 2 ? new KeyValuePair<string, string>(parts[0], parts[1]) : throw new FormatException($"--meta '{m}' must look like key=value");
                }).ToList();
                var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
                var org = (await cli.Client.GetAccountAsync(account.Address, ct).ConfigureAwait(false)).Member?.Org
                    ?? throw new FormatException($"--as {parse.GetValue(signer)} ({account.Address}) is no member of an organisation; devices are registered by one");
                var deviceSerial = parse.GetValue(serial)!;
                using var device = cli.ResolveKeyPair(parse.GetValue(key)!);
                var publicKey = device?.PublicKey ?? cli.ResolvePublicKey("--device-key", parse.GetValue(key)!);
                var proof = device is not null ? DeviceRegistration.Prove(device, account.ChainId, org, deviceSerial)
                    : parse.GetValue(possession) is { } hex ? ParsePossession(hex)
                    : throw new FormatException($"--device-key '{parse.GetValue(key)}' is only a public key: give the device's --possession (thingledger device prove, run where its private key is)");
                var (code, tx) = await cli.SubmitAsync(account, Operations.RegisterDevice(publicKey, proof, parse.GetValue(model)!, deviceSerial, cli.ResolveAddress(parse.GetValue(owner)!), metadata), parse.GetValue(noWait), ct).ConfigureAwait(false);
                if (code == 0 && !cli.Json)
                {
                    Console.WriteLine($"device id: {publicKey.ToAddress()}");
                }
                return code;
            });
    }

    private static byte[] ParsePossession(string hex)
    {
        try
        {
            var bytes = Convert.FromHexString(hex);
            return bytes.Length == Signature.Size ? bytes : throw new FormatException($"--possession is {Signature.Size} bytes ({2 * Signature.Size} hex digits), not {bytes.Length}");
        }
        catch (FormatException e) when (!e.Message.StartsWith("--possession", StringComparison.Ordinal))
        {
            throw new FormatException($"--possession '{hex}' is not hex");
        }
    }

    private static Command Prove()
    {
        var key = new Option<string>("--device-key") { Description = "The device's private key: a key name in <data>/keys or a PEM file", Required = true };
        var org = new Option<string>("--org") { Description = "The organisation that will register it", Required = true };
        var serial = new Option<string>("--serial") { Description = "The serial it will be registered under", Required = true };
        var chain = new Option<string>("--chain") { Description = "The chain id (default: the node's)" };
        return new Command("prove", "Sign a device's proof of possession for its registration (run where the device key is; hand the hex to whoever registers it).\n" +
                "Example: thingledger device prove --device-key car1 --org voltmotors --serial VIN123")
            .With(key, org, serial, chain)
            .Runs(async (parse, cli, ct) =>
            {
                using var device = cli.ResolveKeyPair(parse.GetValue(key)!)
                    ?? throw new FormatException($"--device-key '{parse.GetValue(key)}' names no private key (a key name in {cli.Keys.Directory} or a PEM file with a private key)");
                var chainId = parse.GetValue(chain) ?? (await cli.Client.GetStatusAsync(ct).ConfigureAwait(false)).ChainId;
                var proof = Convert.ToHexStringLower(DeviceRegistration.Prove(device, chainId, parse.GetValue(org)!, parse.GetValue(serial)!));
                if (cli.Json)
                {
                    Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(
                        new Dictionary<string, string> { ["device"] = device.Address.ToString(), ["possession"] = proof }, CliJsonContext.Default.DictionaryStringString));
                }
                else
                {
                    Console.WriteLine(proof);
                }
                return 0;
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
                    page.Items.Select(d => new[] { d.Id, d.Org, d.Model, d.Serial, d.Owner, d.Status.Text() }));
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
        ("org", d.Org), ("model", d.Model), ("serial", d.Serial), ("owner", d.Owner), ("status", d.Status.Text()),
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
                return (await cli.SubmitAsync(account, Operations.TransferDevice(Address.Parse(parse.GetValue(id)!), cli.ResolveAddress(parse.GetValue(to)!)), parse.GetValue(noWait), ct).ConfigureAwait(false)).Exit;
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
                return (await cli.SubmitAsync(account, Operations.RevokeDevice(Address.Parse(parse.GetValue(id)!), parse.GetValue(reason)!), parse.GetValue(noWait), ct).ConfigureAwait(false)).Exit;
            });
    }
}

/// <summary>The devices module's commands.</summary>
internal sealed class DevicesCli : CliModule
{
    public override string Module => DevicesNames.ModuleName;

    public override IEnumerable<Command> Commands() => [DeviceCommands.Device()];
}
