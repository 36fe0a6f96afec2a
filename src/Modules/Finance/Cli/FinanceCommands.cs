using System.CommandLine;
using System.Globalization;
using ThingLedger.Cli.Modules;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Finance;

namespace ThingLedger.Cli.Commands;

/// <summary>
/// finance receivable|show|acknowledge|split|sell|pledge|take|release|pay|settle (this file) and
/// sales|credit|draw|repay|default|line|quote|swap|clearing|oblige|net (FinanceCommands.Exchange.cs):
/// supply-chain finance (docs/FINANCE.md). Amounts are whole numbers of the token's smallest unit.
/// </summary>
internal static partial class FinanceCommands
{
    public static Command Create() =>
        new Command("finance", "Supply-chain finance: receivables a buyer acknowledges, financed once and paid to each part's holder; credit lines from verified sales; quotes, swaps and netting. Amounts are whole numbers of the token's smallest unit (docs/FINANCE.md).")
            .With(Issue(), Show(), OnReceivable(FinanceNames.Acknowledge, "Acknowledge a receivable issued against you: it becomes your promise to pay.", "buyer", Operations.AcknowledgeReceivable),
                Split(), Offer(OfferKind.Sale), Offer(OfferKind.Pledge), OnPart(FinanceNames.Take, "Accept the offer of a part made to you: you pay its price (a sale, and the part is yours) or lend its loan (a pledge) at once.", "lender", Operations.TakeReceivable),
                OnPart(FinanceNames.Release, "Lift your pledge over a part (its loan was repaid).", "pledgee", Operations.ReleasePledge),
                OnReceivable(FinanceNames.Pay, "Move what is still owed into escrow; at or after the due date every part's holder is paid at once.", "buyer", Operations.PayReceivable),
                OnReceivable(FinanceNames.Settle, "At or after the due date, pay every unpaid part from the escrow the buyer funded. Anyone may send it.", "holder", Operations.SettleReceivable),
                Sales(), Credit(), LineAmount(FinanceNames.Draw), LineAmount(FinanceNames.Repay), Default(), Line(),
                Quote(), Swap(), Clearing(), Oblige(), Net());

    private static Argument<string> IdArgument() => new("receivable") { Description = "The receivable's id (64 hex digits, printed by `finance receivable`)" };

    private static Hash ParseId(string text) =>
        Hash.TryParse(text, out var id) ? id : throw new FormatException($"'{text}' is not a receivable id (64 hex digits)");

    private static Option<ushort> PartOption() => new("--part") { Description = "The part's number (0 is the first; `finance show` lists them)", DefaultValueFactory = _ => 0 };

    /// <summary>Submits <paramref name="operation"/> and, once committed, prints what <paramref name="report"/> makes of the receipt's finance events.</summary>
    private static async Task<int> SubmitAsync(ParseResult parse, CliContext cli, Option<string> signer, Option<bool> noWait, Operation operation,
        Action<List<EventView>>? report, CancellationToken ct)
    {
        var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
        var (code, tx) = await cli.SubmitAsync(account, operation, parse.GetValue(noWait), ct).ConfigureAwait(false);
        if (code == 0 && report is not null && !cli.Json && !parse.GetValue(noWait) && await cli.Client.GetTxAsync(tx.Id, ct).ConfigureAwait(false) is { Receipt: { } receipt })
        {
            report([.. receipt.Events.Where(e => e.Module == FinanceNames.ModuleName)]);
        }
        return code;
    }

    private static Command Issue()
    {
        var buyer = new Argument<string>("buyer") { Description = "The buyer's address or key name" };
        var token = new Argument<string>("token") { Description = "The currency token, e.g. CNY" };
        var amount = new Argument<string>("amount") { Description = "The amount owed, in the token's smallest unit" };
        var due = new Option<string>("--due") { Description = "Due date: ISO-8601 UTC, ms since the epoch, or from now (+30d)", Required = true };
        var invoice = new Option<string>("--invoice") { Description = "The invoice document (its SHA-256 goes on chain; the file does not), or its SHA-256 as 64 hex digits", Required = true };
        var evidence = new Option<string[]>("--evidence") { Description = "Id of a tx that shows the delivery (provenance event, commerce order); repeat for more, at most 8", AllowMultipleArgumentsPerToken = true };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("receivable", "Issue a receivable against a buyer for goods you delivered; prints its id. It is a payment promise once the buyer acknowledges it.\n" +
                "Example: thingledger finance receivable buyer-admin CNY 1000000 --due +30d --invoice invoice-42.pdf --as supplier-1")
            .With(buyer, token, amount, due, invoice, evidence, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var text = parse.GetValue(invoice)!;
                var hash = Hash.TryParse(text, out var given) ? given
                    : File.Exists(text) ? Hash.Sha256(await File.ReadAllBytesAsync(text, ct).ConfigureAwait(false))
                    : throw new FormatException($"--invoice: '{text}' is neither a file nor a SHA-256 (64 hex digits)");
                var refs = (parse.GetValue(evidence) ?? []).Select(e => Hash.TryParse(e, out var h) ? h : throw new FormatException($"--evidence: '{e}' is not a tx id (64 hex digits)")).ToArray();
                var op = Operations.IssueReceivable(cli.ResolveAddress(parse.GetValue(buyer)!), parse.GetValue(token)!, CliArguments.Amount(parse.GetValue(amount)!),
                    CliArguments.Time(parse.GetValue(due)!, CliArguments.Now), hash, refs);
                return await SubmitAsync(parse, cli, signer, noWait, op, events =>
                    Console.WriteLine($"receivable {events.First(e => e.Name == "receivable-issued").Attributes["receivable"]}"), ct).ConfigureAwait(false);
            });
    }

    private static Command OnReceivable(string verb, string description, string who, Func<Hash, Operation> build)
    {
        var receivable = IdArgument();
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command(verb, $"{description}\nExample: thingledger finance {verb} 3f6c…e1 --as {who}")
            .With(receivable, signer, noWait)
            .Runs(async (parse, cli, ct) => await SubmitAsync(parse, cli, signer, noWait, build(ParseId(parse.GetValue(receivable)!)), events =>
            {
                foreach (var paid in events.Where(e => e.Name == "paid"))
                {
                    Console.WriteLine($"part {paid.Attributes["part"]}: paid {paid.Attributes["amount"]} to {paid.Attributes["to"]}{(paid.Attributes["late"] == "true" ? " (late)" : string.Empty)}");
                }
            }, ct).ConfigureAwait(false));
    }

    private static Command OnPart(string verb, string description, string who, Func<Hash, ushort, Operation> build)
    {
        var receivable = IdArgument();
        var part = PartOption();
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command(verb, $"{description}\nExample: thingledger finance {verb} 3f6c…e1 --part 1 --as {who}")
            .With(receivable, part, signer, noWait)
            .Runs(async (parse, cli, ct) => await SubmitAsync(parse, cli, signer, noWait, build(ParseId(parse.GetValue(receivable)!), parse.GetValue(part)), null, ct).ConfigureAwait(false));
    }

    private static Command Split()
    {
        var receivable = IdArgument();
        var part = PartOption();
        var to = new Argument<string>("to") { Description = "Who receives the new part (your supplier): address or key name" };
        var amount = new Argument<string>("amount") { Description = "How much of the part to pass on (all of it passes the whole part)" };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("split", "Pass an amount of your part to another address as payment: a new part it holds, financed and paid on its own.\n" +
                "Example: thingledger finance split 3f6c…e1 supplier-2 400000 --as supplier-1")
            .With(receivable, to, amount, part, signer, noWait)
            .Runs(async (parse, cli, ct) => await SubmitAsync(parse, cli, signer, noWait,
                Operations.SplitReceivable(ParseId(parse.GetValue(receivable)!), parse.GetValue(part), cli.ResolveAddress(parse.GetValue(to)!), CliArguments.Amount(parse.GetValue(amount)!)),
                events => Console.WriteLine($"part {events.First(e => e.Name == "split").Attributes["new-part"]} is now held by {events.First(e => e.Name == "split").Attributes["to"]}"), ct).ConfigureAwait(false));
    }

    private static Command Offer(OfferKind kind)
    {
        var receivable = IdArgument();
        var sale = kind == OfferKind.Sale;
        var part = PartOption();
        var lender = new Option<string>("--lender") { Description = "The lender the offer is made to: address or key name", Required = true };
        var price = new Option<string>(sale ? "--price" : "--loan") { Description = sale ? "What the lender pays you for the part (at most its amount)" : "What the lender lends you against the part (at most its amount)", Required = true };
        var expires = new Option<string>("--expires") { Description = "Until when the lender may take it: ISO-8601 UTC, ms, or from now", DefaultValueFactory = _ => "+1d" };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        var verb = sale ? FinanceNames.Sell : FinanceNames.Pledge;
        return new Command(verb, (sale
                ? "Offer your part to a lender for a price; when it takes the offer it pays you and holds the part. A part is sold at most once."
                : "Offer your part to a lender as collateral for a loan; when it takes the offer it lends you at once and is paid first at maturity, up to the loan.") +
                $"\nExample: thingledger finance {verb} 3f6c…e1 --part 0 --lender bank-admin {(sale ? "--price" : "--loan")} 570000 --as supplier-1")
            .With(receivable, part, lender, price, expires, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var (id, n, to, amount, until) = (ParseId(parse.GetValue(receivable)!), parse.GetValue(part), cli.ResolveAddress(parse.GetValue(lender)!),
                    CliArguments.Amount(parse.GetValue(price)!), CliArguments.Time(parse.GetValue(expires)!, CliArguments.Now));
                var op = sale ? Operations.SellReceivable(id, n, to, amount, until) : Operations.PledgeReceivable(id, n, to, amount, until);
                return await SubmitAsync(parse, cli, signer, noWait, op, null, ct).ConfigureAwait(false);
            });
    }

    private static Command Show()
    {
        var receivable = IdArgument();
        return new Command("show", "A receivable: its parts (holder, financed, pledged, paid) and every step of its life.\nExample: thingledger finance show 3f6c…e1")
            .With(receivable)
            .Runs(async (parse, cli, ct) =>
            {
                var r = await cli.Client.GetReceivableAsync(ParseId(parse.GetValue(receivable)!), ct).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"no receivable {parse.GetValue(receivable)}");
                if (cli.Json)
                {
                    Output.Json(r);
                    return 0;
                }
                Output.Fields("receivable " + r.Id, ("supplier", r.Supplier), ("buyer", r.Buyer), ("amount", $"{r.Amount} {r.Token}"), ("due", Execution.PayloadField.Time(r.Due)),
                    ("status", ReceivableStatus.Text(r)),
                    ("paid", r.Paid), ("in escrow", r.Escrowed), ("invoice", r.Invoice));
                Output.Rows("parts", ["#", "holder", "amount", "financed", "pledgee", "loan", "offer", "paid"],
                    r.Parts.Select(p => new[] { Text(p.Number), p.Holder, p.Amount, p.Financed ? "sold" : "no", p.Pledgee, p.Pledgee is null ? null : p.Loan,
                        p.OfferLender is null ? null : $"{FinanceModule.KindText(p.Offer)} to {p.OfferLender} for {p.OfferPrice}",
                        p.Paid is { } at ? Execution.PayloadField.Time(at) + (p.Late ? " (late)" : string.Empty) : null }));
                Output.Rows("life", ["#", "step", "part", "from", "to", "amount", "block"],
                    r.Steps.Select(s => new[] { Text(s.Number), s.Kind.ToString().ToLowerInvariant(), Text(s.Part), s.From, s.To, s.Amount, Text(s.Height) }));
                return 0;
            });
    }

    private static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The finance module's commands.</summary>
internal sealed class FinanceCli : CliModule
{
    public override string Module => FinanceNames.ModuleName;

    public override IEnumerable<Command> Commands() => [FinanceCommands.Create()];
}
