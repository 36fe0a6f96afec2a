using System.Globalization;
using ThingLedger.Client;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution;
using ThingLedger.Execution.Modules.Finance;

namespace ThingLedger.Cli.Demo;

/// <summary>
/// The demo's supply-chain finance (docs/FINANCE.md): homeappliance buys from supplier-1 (tier 1),
/// which pays its own supplier-2 (tier 2) with part of the receivable; gridco stands in for the
/// bank that issues the currency, buys supplier-1's part at a discount and lends to supplier-2
/// against its part; the buyer pays into escrow and, once due, each holder is paid. Three
/// obligations among them are netted in a clearing. Each run does it again with a new invoice.
/// </summary>
internal static class DemoFinance
{
    public const string Currency = "CNY";
    private const ulong Second = 1_000;

    /// <summary>Sets everything up and returns the part that waits: the payment at maturity and the netting after the cut-off.</summary>
    public static async Task<Func<CancellationToken, Task>> RunAsync(ThingLedgerClient client, DemoScenario world, KeyStore keys, Action<string> progress, CancellationToken ct)
    {
        var (buyer, bank) = (world.Admins["homeappliance"], world.Admins["gridco"]);
        var tier1 = await OpenAsync(client, keys, "supplier-1", buyer.ChainId, ct).ConfigureAwait(false);
        var tier2 = await OpenAsync(client, keys, "supplier-2", buyer.ChainId, ct).ConfigureAwait(false);
        var setup = new List<Transaction>();
        if (await client.GetTokenAsync(Currency, ct).ConfigureAwait(false) is null)
        {
            setup.Add(bank.Sign(Operations.CreateToken(Currency, "Yuan (demo bank money)", 2, Roles.Admin, 0)));
        }
        setup.Add(bank.Sign(Operations.Mint(Currency, buyer.Address, 2_000_000)));
        setup.Add(bank.Sign(Operations.Mint(Currency, bank.Address, 2_000_000)));
        await client.SubmitAllCommittedAsync(setup, "funding the demo's buyer and bank", cancellationToken: ct).ConfigureAwait(false);

        var now = CliArguments.Now;
        var due = now + (15 * Second);
        var invoice = Hash.Sha256(System.Text.Encoding.UTF8.GetBytes($"demo invoice {now.ToString(CultureInfo.InvariantCulture)}: 40 drum motors"));
        var id = FinanceIds.Receivable(tier1.Address, buyer.Address, invoice);
        await Commit(client, [tier1.Sign(Operations.IssueReceivable(buyer.Address, Currency, 1_000_000, due, invoice))], "issuing the receivable", ct).ConfigureAwait(false);
        await Commit(client, [buyer.Sign(Operations.AcknowledgeReceivable(id))], "acknowledging it", ct).ConfigureAwait(false);
        await Commit(client, [tier1.Sign(Operations.SplitReceivable(id, 0, tier2.Address, 400_000))], "paying tier 2 with part of it", ct).ConfigureAwait(false);
        await Commit(client, [tier1.Sign(Operations.SellReceivable(id, 0, bank.Address, 582_000, due)), tier2.Sign(Operations.PledgeReceivable(id, 1, bank.Address, 300_000, due))],
            "offering both parts to the bank", ct).ConfigureAwait(false);
        await Commit(client, [bank.Sign(Operations.TakeReceivable(id, 0)), bank.Sign(Operations.TakeReceivable(id, 1))], "financing them", ct).ConfigureAwait(false);
        await Commit(client, [buyer.Sign(Operations.PayReceivable(id))], "the buyer paying into escrow", ct).ConfigureAwait(false);
        progress($"receivable {Fmt(id)}: supplier-1 invoiced homeappliance 10,000.00 {Currency}, paid supplier-2 with 4,000.00 of it and sold its 6,000.00 to gridco " +
            $"(the demo's bank) for 5,820.00; supplier-2 borrowed 3,000.00 on its part; paid from escrow at {Execution.PayloadField.Time(due)}: /finance/receivables/{id}");

        var clearing = $"demo-{now.ToString(CultureInfo.InvariantCulture)}";
        var cutoff = now + (10 * Second);
        await Commit(client, [bank.Sign(Operations.OpenClearing(clearing, Currency, cutoff))], "opening a clearing", ct).ConfigureAwait(false);
        await Commit(client,
            [buyer.Sign(Operations.Oblige(clearing, tier1.Address, 250_000)), tier1.Sign(Operations.Oblige(clearing, tier2.Address, 200_000)), tier2.Sign(Operations.Oblige(clearing, buyer.Address, 50_000))],
            "recording obligations", ct).ConfigureAwait(false);
        progress($"clearing {clearing}: three obligations, netted after {Execution.PayloadField.Time(cutoff)} (see /finance/clearings/{clearing})");

        return async stopping =>
        {
            await Until(cutoff, stopping).ConfigureAwait(false);
            var view = (await client.GetClearingAsync(clearing, stopping).ConfigureAwait(false))!;
            var (plan, digest) = view.PlanHere();
            var netter = new Account(tier1.Key, tier1.ChainId, tier1.NextNonce) { GasLimit = FinanceNetting.GasLimit(view.Participants) };
            await Commit(client, [netter.Sign(Operations.Net(clearing, digest))], "netting the clearing", stopping).ConfigureAwait(false);
            tier1.Rewind(netter.NextNonce);
            progress($"clearing {clearing} netted: {view.Obligations} obligations settled in {plan.Count} transfers");
            await Until(due, stopping).ConfigureAwait(false);
            await Commit(client, [tier2.Sign(Operations.SettleReceivable(id))], "paying the receivable's holders", stopping).ConfigureAwait(false);
            progress($"receivable {Fmt(id)} paid at maturity: 6,000.00 to gridco (bought), 3,000.00 to gridco and 1,000.00 to supplier-2 (pledged part)");
        };
    }

    private static async Task<Account> OpenAsync(ThingLedgerClient client, KeyStore keys, string name, string chainId, CancellationToken ct) =>
        await Account.OpenAsync(client, keys.Contains(name) ? keys.Load(name) : keys.Create(name), chainId, ct).ConfigureAwait(false);

    private static Task Until(ulong unixMs, CancellationToken ct)
    {
        var wait = (long)unixMs - (long)CliArguments.Now + 500;
        return wait > 0 ? Task.Delay(TimeSpan.FromMilliseconds(wait), ct) : Task.CompletedTask;
    }

    private static string Fmt(Hash id) => id.ToString()[..12] + "…";

    private static Task Commit(ThingLedgerClient client, List<Transaction> txs, string what, CancellationToken ct) =>
        client.SubmitAllCommittedAsync(txs, $"the demo's finance step ({what})", cancellationToken: ct);
}
