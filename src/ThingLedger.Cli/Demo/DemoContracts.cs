using System.Reflection;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Execution.Modules.Contracts;

namespace ThingLedger.Cli.Demo;

/// <summary>
/// The demo's contracts (docs/CONTRACTS.md): ride sharing without an intermediary, and a
/// collectible game paid in VOLT driving points, deployed from the example contracts' committed
/// builds; then a ride offered, booked, confirmed and paid, and collectibles minted and bred.
/// </summary>
internal static class DemoContracts
{
    public const string RideShare = "ride-share";
    public const string Collectibles = "collectibles";

    private const ulong Hour = 3_600_000;

    public static async Task RunAsync(ThingLedgerClient client, DemoScenario world, Action<string> progress, CancellationToken cancellationToken)
    {
        // The validating organisation's admin: on the demo's solo chain its approval is the quorum.
        var admin = world.Admins["voltmotors"];
        var deployed = new List<string>();
        foreach (var (name, init) in new[] { (RideShare, Array.Empty<string>()), (Collectibles, [DemoScenario.Volt, "100", "50", "10000"]) })
        {
            if (await client.GetContractAsync(name, cancellationToken).ConfigureAwait(false) is not null)
            {
                continue;
            }
            var manifest = ContractManifest.Parse(Resource($"{name}/contract.json", text: true).Text!, $"contracts/examples/{name}/contract.json");
            await Commit(client, [admin.Sign(Operations.DeployContract(manifest.Proposal(Resource($"{name}/build/contract.wasm", text: false).Bytes!, init)))], $"deploying {name}", cancellationToken).ConfigureAwait(false);
            deployed.Add(name);
        }
        progress(deployed.Count > 0 ? $"deployed contracts {string.Join(" and ", deployed)} (contracts/examples)" : "contracts ride-share and collectibles are deployed already");

        var (driver, rider, player) = (world.Owners[0], world.Owners[1], world.Owners[2]);
        var funding = new List<Core.Ledger.Transaction>();
        foreach (var who in new[] { rider, player })
        {
            if ((await client.GetBalanceAsync(DemoScenario.Volt, who.Address, cancellationToken).ConfigureAwait(false)).Balance is var text && UInt128.Parse(text, System.Globalization.CultureInfo.InvariantCulture) < 500)
            {
                funding.Add(admin.Sign(Operations.Mint(DemoScenario.Volt, who.Address, 1_000)));
            }
        }
        if (funding.Count > 0)
        {
            await Commit(client, funding, "funding the demo's players with VOLT", cancellationToken).ConfigureAwait(false);
        }

        // A ride three hours from now: owner-2 books a seat and pays 20 VOLT into the contract; both confirm; the driver is paid.
        var departs = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + (3 * Hour);
        var offer = await Call(client, driver, RideShare, "offer", ["Volt HQ → City Centre", $"{departs}", "3", "20", DemoScenario.Volt], cancellationToken).ConfigureAwait(false);
        var ride = Attribute(offer, "offered", "ride");
        var booked = await Call(client, rider, RideShare, "book", [ride, "1"], cancellationToken, deposit: 20).ConfigureAwait(false);
        var booking = Attribute(booked, "booked", "booking");
        await Call(client, driver, RideShare, "confirm", [booking], cancellationToken).ConfigureAwait(false);
        await Call(client, rider, RideShare, "confirm", [booking], cancellationToken).ConfigureAwait(false);

        // owner-3 spends driving points in the collectible game: two mints, then a bred third.
        var first = Attribute(await Call(client, player, Collectibles, "mint", [], cancellationToken, deposit: 100).ConfigureAwait(false), "minted", "id");
        var second = Attribute(await Call(client, player, Collectibles, "mint", [], cancellationToken, deposit: 100).ConfigureAwait(false), "minted", "id");
        var child = Attribute(await Call(client, player, Collectibles, "breed", [first, second], cancellationToken, deposit: 50).ConfigureAwait(false), "minted", "id");
        progress($"ride {ride} booked by owner-2, confirmed by both, 20 VOLT paid to owner-1; owner-3 minted collectibles {first} and {second} and bred {child} (see /contracts)");
    }

    private static async Task<TxView> Call(ThingLedgerClient client, Account signer, string contract, string method, string[] args, CancellationToken cancellationToken, UInt128 deposit = default)
    {
        var view = await client.GetContractAsync(contract, cancellationToken).ConfigureAwait(false) ?? throw new InvalidOperationException($"the demo's contract {contract} is not deployed");
        var spec = view.Methods.Single(m => m.Name == method);
        var encoded = ContractAbi.Encode([.. spec.Args.Select(a => a.Type)], args);
        var tx = signer.Sign(Operations.CallContract(contract, method, encoded, deposit == 0 ? "" : DemoScenario.Volt, deposit));
        await Commit(client, [tx], $"{contract}.{method}", cancellationToken).ConfigureAwait(false);
        return await client.GetTxAsync(tx.Id, cancellationToken).ConfigureAwait(false) ?? throw new InvalidOperationException($"{contract}.{method}: tx {tx.Id} not found");
    }

    private static string Attribute(TxView tx, string @event, string field) =>
        tx.Receipt!.Events.First(e => e.Module == ContractsNames.ModuleName && e.Name == "event" && e.Attributes["event"] == @event).Attributes[field];

    private static async Task Commit(ThingLedgerClient client, List<Core.Ledger.Transaction> txs, string what, CancellationToken cancellationToken) =>
        await client.SubmitAllCommittedAsync(txs, what, cancellationToken: cancellationToken).ConfigureAwait(false);

    private static (string? Text, byte[]? Bytes) Resource(string path, bool text)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"contract-examples/{path}")
            ?? throw new InvalidOperationException($"contracts/examples/{path} is missing from this build");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return text ? (System.Text.Encoding.UTF8.GetString(memory.ToArray()), null) : (null, memory.ToArray());
    }
}
