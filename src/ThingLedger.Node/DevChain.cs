using ThingLedger.Client;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;

namespace ThingLedger.Node;

/// <summary>An organisation to create at genesis.</summary>
public sealed record OrgSpec(string Id, string Name);

/// <summary>
/// Creates a single-node data directory: a validator key (node.key), one admin key per
/// organisation in keys/{org}-admin.pem, and genesis.json naming them. Refuses to touch a
/// directory that already holds a chain.
/// </summary>
public static class DevChain
{
    public const string KeysFolder = "keys";

    public static readonly OrgSpec[] SampleOrgs =
    [
        new("voltmotors", "Volt Motors (EV maker)"),
        new("gridco", "GridCo Energy (utility)"),
        new("homeappliance", "Home Appliance Co. (washing machines)"),
    ];

    public static string AdminKeyName(string org) => $"{org}-admin";

    public static KeyStore Keys(string directory) => new(Path.Combine(directory, KeysFolder));

    public static Genesis Initialize(string directory, string chainId, IReadOnlyList<OrgSpec> orgs, ulong timestamp)
    {
        if (File.Exists(DataDirectory.GenesisPath(directory)) || File.Exists(Path.Combine(directory, Storage.LedgerStore.DatabaseFileName)))
        {
            throw new InvalidOperationException($"{directory} already holds a chain; choose an empty directory");
        }
        // As in every version-2 payload: a name shown to people shows what it reads.
        if (orgs.FirstOrDefault(o => Core.Codec.SpanReader.HasFormatCharacter(o.Name)) is { } deceptive)
        {
            throw new FormatException($"organisation '{deceptive.Id}': its name holds a Unicode format character (a bidirectional override, zero-width character or the like)");
        }
        DataDirectory.CreateIgnored(directory);
        var keys = Keys(directory);
        using var validator = KeyPair.Generate();
        var admins = new List<GenesisOrg>();
        foreach (var org in orgs)
        {
            using var admin = keys.Create(AdminKeyName(org.Id));
            admins.Add(new GenesisOrg(org.Id, org.Name, [admin.PublicKey]));
        }
        var genesis = new Genesis(chainId, timestamp, admins, [new GenesisValidator(orgs[0].Id, validator.PublicKey)], 1);
        OwnerOnlyFile.Create(DataDirectory.NodeKeyPath(directory), validator.ExportPkcs8Pem());
        File.WriteAllText(DataDirectory.GenesisPath(directory), genesis.ToJson());
        return genesis;
    }
}
