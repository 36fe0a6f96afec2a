using System.CommandLine;
using System.Globalization;
using ThingLedger.Client;
using ThingLedger.Execution.Modules.Finance;

namespace ThingLedger.Cli.Commands;

/// <summary>finance sales|credit|draw|repay|default|line|quote|swap|clearing|oblige|net.</summary>
internal static partial class FinanceCommands
{
    private static (string Schema, ushort Version) ParseSchemaRef(string text) =>
        ReadingJsonMapper.TryParseSchemaRef(text, out var id, out var version)
            ? (id, version)
            : throw new FormatException($"'{text}' is not a schema reference (id@version, e.g. pos@1)");

    private static Command Sales()
    {
        var schema = new Argument<string>("schema") { Description = "The schema your point-of-sale devices send (id@version)" };
        var field = new Argument<string>("field") { Description = "Its additive field that holds sales, in the currency's smallest unit" };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("sales", "Count your devices' anchored, unflagged readings of a schema's field as your sales, from now on: lenders size credit lines by them.\n" +
                "Example: thingledger finance sales pos@1 sales --as merchant-1")
            .With(schema, field, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var (id, version) = ParseSchemaRef(parse.GetValue(schema)!);
                return await SubmitAsync(parse, cli, signer, noWait, Operations.CountSales(id, version, parse.GetValue(field)!), null, ct).ConfigureAwait(false);
            });
    }

    private static Command Credit()
    {
        var merchant = new Argument<string>("merchant") { Description = "The merchant's address or key name" };
        var token = new Argument<string>("token") { Description = "The currency lent" };
        var schema = new Option<string>("--schema") { Description = "The sales schema the merchant counts (id@version)", Required = true };
        var advance = new Option<uint>("--advance-bps") { Description = "The limit, in basis points of the merchant's 30-day clean sales (5000 = half)", Required = true };
        var share = new Option<uint>("--share-bps") { Description = "What is taken from each later sale as repayment, in basis points (2000 = 20 %)", Required = true };
        var maturity = new Option<string>("--maturity") { Description = "When the loan falls due: ISO-8601 UTC, ms, or from now (+90d)", Required = true };
        var grace = new Option<ushort>("--grace-days") { Description = "Days after maturity before an unpaid line is in default", DefaultValueFactory = _ => 7 };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("credit", "Open a credit line to a merchant, sized by its verified sales: limit = 30-day clean sales × advance; repaid by a share of each later sale.\n" +
                "Example: thingledger finance credit merchant-1 CNY --schema pos@1 --advance-bps 5000 --share-bps 2000 --maturity +90d --as bank-admin")
            .With(merchant, token, schema, advance, share, maturity, grace, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var (id, version) = ParseSchemaRef(parse.GetValue(schema)!);
                var op = Operations.OpenCreditLine(cli.ResolveAddress(parse.GetValue(merchant)!), parse.GetValue(token)!, id, version, parse.GetValue(advance),
                    parse.GetValue(share), CliArguments.Time(parse.GetValue(maturity)!, CliArguments.Now), parse.GetValue(grace));
                return await SubmitAsync(parse, cli, signer, noWait, op, events =>
                {
                    var opened = events.First(e => e.Name == "line-opened").Attributes;
                    Console.WriteLine($"credit line of {opened["limit"]} {opened["token"]} (score: {opened["score"]} of clean sales in 30 days)");
                }, ct).ConfigureAwait(false);
            });
    }

    private static Command LineAmount(string verb)
    {
        var draw = verb == FinanceNames.Draw;
        var lender = new Argument<string>("lender") { Description = "The lender of the line: address or key name" };
        var amount = new Argument<string>("amount") { Description = "In the token's smallest unit" };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command(verb, (draw ? "Draw on your credit line: the lender pays you at once, up to the limit." : "Repay your credit line, up to what is outstanding.") +
                $"\nExample: thingledger finance {verb} bank-admin 20000 --as merchant-1")
            .With(lender, amount, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var (to, value) = (cli.ResolveAddress(parse.GetValue(lender)!), CliArguments.Amount(parse.GetValue(amount)!));
                return await SubmitAsync(parse, cli, signer, noWait, draw ? Operations.DrawCredit(to, value) : Operations.RepayCredit(to, value), events =>
                {
                    var last = events.Last(e => e.Name is "drawn" or "repaid").Attributes;
                    Console.WriteLine($"outstanding: {last["outstanding"]}");
                }, ct).ConfigureAwait(false);
            });
    }

    private static Command Default()
    {
        var merchant = new Argument<string>("merchant") { Description = "The merchant: address or key name" };
        var lender = new Argument<string>("lender") { Description = "The lender: address or key name" };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("default", "Record that a line is in default: past maturity and its grace days with something outstanding. Anyone may send it.\n" +
                "Example: thingledger finance default merchant-1 bank-admin --as bank-admin")
            .With(merchant, lender, signer, noWait)
            .Runs(async (parse, cli, ct) => await SubmitAsync(parse, cli, signer, noWait,
                Operations.RecordDefault(cli.ResolveAddress(parse.GetValue(merchant)!), cli.ResolveAddress(parse.GetValue(lender)!)), null, ct).ConfigureAwait(false));
    }

    private static Command Line()
    {
        var merchant = new Argument<string>("merchant") { Description = "The merchant: address or key name" };
        var lender = new Argument<string>("lender") { Description = "The lender: address or key name" };
        return new Command("line", "A credit line: its limit and the score it opened with, what is drawn, repaid and outstanding, and the merchant's score today.\n" +
                "Example: thingledger finance line merchant-1 bank-admin")
            .With(merchant, lender)
            .Runs(async (parse, cli, ct) =>
            {
                var line = await cli.Client.GetCreditLineAsync(cli.ResolveAddress(parse.GetValue(merchant)!), cli.ResolveAddress(parse.GetValue(lender)!), ct).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"no credit line from {parse.GetValue(lender)} to {parse.GetValue(merchant)}");
                if (cli.Json)
                {
                    Output.Json(line);
                    return 0;
                }
                Output.Fields($"credit line to {line.Merchant}", ("lender", line.Lender), ("token", line.Token), ("status", line.Status.ToString().ToLowerInvariant() + (line.PastGrace && line.Status == LineStatus.Open ? " (past grace: in default once recorded)" : string.Empty)),
                    ("sales schema", line.Schema), ("score when opened", line.Score), ("advance", FinanceModule.Bps(line.AdvanceBps)), ("limit", line.Limit),
                    ("drawn", line.Drawn), ("repaid", line.Repaid), ("outstanding", line.Outstanding), ("repayment share", FinanceModule.Bps(line.ShareBps)),
                    ("maturity", Execution.PayloadField.Time(line.Maturity)), ("grace days", line.GraceDays), ("score today", line.ScoreToday));
                return 0;
            });
    }

    private static Command Quote()
    {
        var @base = new Argument<string>("takes") { Description = "The currency you take from the taker, e.g. EUR" };
        var quote = new Argument<string>("pays") { Description = "The currency you pay, e.g. CNY" };
        var rate = new Option<string>("--rate") { Description = "What you pay per unit taken, as numerator/denominator of smallest units (e.g. 78/10)", Required = true };
        var max = new Option<string>("--max") { Description = "The most you take, in smallest units of the first currency", Required = true };
        var expires = new Option<string>("--expires") { Description = "Until when it may be taken: ISO-8601 UTC, ms, or from now", DefaultValueFactory = _ => "+10m" };
        var taker = new Option<string?>("--taker") { Description = "Only this address (or key name) may take it; anyone when omitted" };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("quote", "Quote a rate as a market maker: a taker gives you an amount of one currency and gets ⌊amount × rate⌋ of the other, both in one tx. Prints the quote's number.\n" +
                "Example: thingledger finance quote EUR CNY --rate 78/10 --max 1000000 --expires +10m --as fx-desk")
            .With(@base, quote, rate, max, expires, taker, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var parts = parse.GetValue(rate)!.Split('/');
                if (parts.Length != 2 || !ulong.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var numerator) ||
                    !ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var denominator) || numerator == 0 || denominator == 0)
                {
                    throw new FormatException($"--rate: '{parse.GetValue(rate)}' is not numerator/denominator of whole numbers above zero (e.g. 78/10)");
                }
                var op = Operations.QuoteRate(parse.GetValue(@base)!, parse.GetValue(quote)!, numerator, denominator, CliArguments.Amount(parse.GetValue(max)!),
                    CliArguments.Time(parse.GetValue(expires)!, CliArguments.Now), parse.GetValue(taker) is { } t ? cli.ResolveAddress(t) : null);
                return await SubmitAsync(parse, cli, signer, noWait, op, events => Console.WriteLine($"quote {events.First(e => e.Name == "quoted").Attributes["quote"]}"), ct).ConfigureAwait(false);
            });
    }

    private static Command Swap()
    {
        var quote = new Argument<ulong>("quote") { Description = "The quote's number" };
        var amount = new Argument<string>("amount") { Description = "How much you give, in smallest units of the quote's first currency" };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("swap", "Take a quote: you give an amount of one currency and receive the other at the quoted rate; both legs move in one tx or neither does.\n" +
                "Example: thingledger finance swap 3 50000 --as importer")
            .With(quote, amount, signer, noWait)
            .Runs(async (parse, cli, ct) => await SubmitAsync(parse, cli, signer, noWait, Operations.Swap(parse.GetValue(quote), CliArguments.Amount(parse.GetValue(amount)!)), events =>
            {
                var swapped = events.First(e => e.Name == "swapped").Attributes;
                var pair = swapped["pair"].Split('/');
                Console.WriteLine($"gave {swapped["base-amount"]} {pair[0]}, received {swapped["quote-amount"]} {pair[1]}");
            }, ct).ConfigureAwait(false));
    }

    private static Command Clearing()
    {
        var id = new Argument<string>("clearing") { Description = "The clearing's id (letters, digits, . _ : -)" };
        var token = new Argument<string>("token") { Description = "The currency its obligations are in" };
        var cutoff = new Option<string>("--cutoff") { Description = "When obligations stop and netting may run: ISO-8601 UTC, ms, or from now", Required = true };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("clearing", "Open a clearing (an organisation's admin): participants record obligations until the cut-off, then `finance net` settles the net positions.\n" +
                "Example: thingledger finance clearing cny-2026-12-07 CNY --cutoff +1h --as gridco-admin")
            .With(id, token, cutoff, signer, noWait)
            .Runs(async (parse, cli, ct) => await SubmitAsync(parse, cli, signer, noWait,
                Operations.OpenClearing(parse.GetValue(id)!, parse.GetValue(token)!, CliArguments.Time(parse.GetValue(cutoff)!, CliArguments.Now)), null, ct).ConfigureAwait(false));
    }

    private static Command Oblige()
    {
        var clearing = new Argument<string>("clearing") { Description = "The clearing" };
        var creditor = new Argument<string>("creditor") { Description = "Whom you owe: address or key name" };
        var amount = new Argument<string>("amount") { Description = "In the clearing currency's smallest unit" };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("oblige", "Record that you owe a creditor an amount in a clearing; at netting the clearing takes what you owe net, at most.\n" +
                "Example: thingledger finance oblige cny-2026-12-07 bank-b 250000 --as bank-a")
            .With(clearing, creditor, amount, signer, noWait)
            .Runs(async (parse, cli, ct) => await SubmitAsync(parse, cli, signer, noWait,
                Operations.Oblige(parse.GetValue(clearing)!, cli.ResolveAddress(parse.GetValue(creditor)!), CliArguments.Amount(parse.GetValue(amount)!)), null, ct).ConfigureAwait(false));
    }

    private static Command Net()
    {
        var clearing = new Argument<string>("clearing") { Description = "The clearing" };
        var planOnly = new Option<bool>("--plan") { Description = "Only print the positions and the plan this machine computes from them; sign nothing" };
        var signer = new Option<string?>("--as") { Description = "Name of the signing key in <data>/keys (any participant, or anyone); the gas limit is sized to the clearing unless --gas-limit is given" };
        var noWait = CommonOptions.Wait();
        return new Command("net", "Settle a clearing after its cut-off: computes the netting plan here from the positions on chain, shows it, and signs its digest; execution refuses a plan that is not the one it computes.\n" +
                "Example: thingledger finance net cny-2026-12-07 --as bank-a")
            .With(clearing, planOnly, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var view = await cli.Client.GetClearingAsync(parse.GetValue(clearing)!, ct).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"no clearing {parse.GetValue(clearing)}");
                var (plan, digest) = view.PlanHere();
                if (cli.Json && parse.GetValue(planOnly))
                {
                    Output.Json(view with
                    {
                        Plan = [.. plan.Select(t => new Client.Contracts.TransferView(t.From.ToString(), t.To.ToString(), t.Amount.ToString(CultureInfo.InvariantCulture)))],
                        PlanDigest = digest.ToString(),
                    });
                    return 0;
                }
                if (!cli.Json)
                {
                    Output.Rows($"clearing {view.Id}: {view.Obligations} obligations among {view.Participants} participants, {view.Gross} {view.Token} gross",
                        ["participant", "owed to it", "it owes", "net"], view.Positions.Select(p => new[] { p.Participant, p.Credits, p.Debits, p.Net }));
                    Output.Rows($"plan ({plan.Count} transfers), digest {digest}", ["from", "to", "amount"],
                        plan.Select(t => new[] { t.From.ToString(), t.To.ToString(), t.Amount.ToString(CultureInfo.InvariantCulture) }));
                }
                if (parse.GetValue(planOnly))
                {
                    return 0;
                }
                var name = parse.GetValue(signer) ?? throw new ArgumentException("--as is required to settle (or give --plan to only print the plan)");
                var account = await cli.SignerAsync(name, ct).ConfigureAwait(false);
                // Unless --gas-limit says otherwise, enough gas for a clearing of this many participants.
                if (parse.GetResult(CommonOptions.GasLimit) is null or { Implicit: true })
                {
                    account = new Account(account.Key, account.ChainId, account.NextNonce) { GasLimit = FinanceNetting.GasLimit(view.Participants) };
                }
                return (await cli.SubmitAsync(account, Operations.Net(view.Id, digest), parse.GetValue(noWait), ct).ConfigureAwait(false)).Exit;
            });
    }
}
