using System.CommandLine;
using System.Globalization;
using ThingLedger.Cli.Modules;
using ThingLedger.Client;
using ThingLedger.Core;
using ThingLedger.Execution.Modules.Market;

namespace ThingLedger.Cli.Commands;

/// <summary>market buy|sell|cancel|book|trades: limit orders for carbon credits (docs/CREDITS.md §4).</summary>
internal static class MarketCommands
{
    public static Command Create() =>
        new Command("market", "Trade carbon credits for a payment token with limit orders, matched by price then time. Amounts are grams of credit; prices are payment units per gram.")
            .With(Place(OrderSide.Buy), Place(OrderSide.Sell), Cancel(), Book(), Trades());

    private static Command Place(OrderSide side)
    {
        var verb = side.Text();
        var @base = new Argument<string>("credit") { Description = "The credit token, e.g. CEVLC3" };
        var quote = new Argument<string>("payment") { Description = "The payment token, e.g. VOLT" };
        var price = new Argument<long>("price") { Description = "Payment units per gram (above zero)" };
        var amount = new Argument<long>("grams") { Description = "Grams of credit (above zero)" };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        var what = side == OrderSide.Buy
            ? "Buy credits up to a price; price × grams of the payment token is escrowed and what a cheaper fill saves comes back at once."
            : "Sell credits down to a price; the credits are escrowed until they sell or the order is cancelled.";
        return new Command(verb, $"{what}\nExample: thingledger market {verb} CEVLC3 VOLT 2 5000 --as owner-1")
            .With(@base, quote, price, amount, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
                var (code, tx) = await cli.SubmitAsync(account, Operations.PlaceOrder(parse.GetValue(@base)!, parse.GetValue(quote)!, side, parse.GetValue(price), parse.GetValue(amount)), parse.GetValue(noWait), ct).ConfigureAwait(false);
                if (code == 0 && !cli.Json && !parse.GetValue(noWait) && await cli.Client.GetTxAsync(tx.Id, ct).ConfigureAwait(false) is { Receipt: { } receipt })
                {
                    var trades = receipt.Events.Where(e => e.Module == MarketModule.ModuleName && e.Name == "trade").ToList();
                    var placed = receipt.Events.First(e => e.Module == MarketModule.ModuleName && e.Name == "placed").Attributes;
                    Console.WriteLine($"order {placed["order"]}: {trades.Count} trade(s), {placed["remaining"]} g left " +
                        (placed["remaining"] == "0" ? "(filled)" : "in the book"));
                }
                return code;
            });
    }

    private static Command Cancel()
    {
        var order = new Argument<ulong>("order") { Description = "Order number" };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("cancel", "Cancel your open order; what it escrowed comes back.\nExample: thingledger market cancel 12 --as owner-1")
            .With(order, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
                return (await cli.SubmitAsync(account, Operations.CancelOrder(parse.GetValue(order)), parse.GetValue(noWait), ct).ConfigureAwait(false)).Exit;
            });
    }

    private static Command Book()
    {
        var @base = new Argument<string>("credit") { Description = "The credit token" };
        var quote = new Argument<string>("payment") { Description = "The payment token" };
        return new Command("book", "A pair's order book by price level.\nExample: thingledger market book CEVLC3 VOLT").With(@base, quote)
            .Runs(async (parse, cli, ct) =>
            {
                var book = await cli.Client.GetOrderBookAsync(parse.GetValue(@base)!, parse.GetValue(quote)!, ct).ConfigureAwait(false);
                if (cli.Json)
                {
                    Output.Json(book);
                    return 0;
                }
                Output.Rows($"asks {book.Base}/{book.Quote} (lowest first)", ["price", "grams", "orders"],
                    book.Asks.Select(l => new[] { Text(l.Price), Text(l.Amount), Text(l.Orders) }));
                Output.Rows($"bids {book.Base}/{book.Quote} (highest first)", ["price", "grams", "orders"],
                    book.Bids.Select(l => new[] { Text(l.Price), Text(l.Amount), Text(l.Orders) }));
                return 0;
            });
    }

    private static Command Trades()
    {
        var @base = new Argument<string>("credit") { Description = "The credit token" };
        var quote = new Argument<string>("payment") { Description = "The payment token" };
        var limit = new Option<int>("--limit") { Description = "At most this many", DefaultValueFactory = _ => 50 };
        var before = new Option<ulong?>("--before") { Description = "Only trades numbered below this (printed as 'next')" };
        return new Command("trades", "A pair's trades, newest first.\nExample: thingledger market trades CEVLC3 VOLT").With(@base, quote, limit, before)
            .Runs(async (parse, cli, ct) =>
            {
                var page = await cli.Client.GetTradesAsync(parse.GetValue(@base)!, parse.GetValue(quote)!, parse.GetValue(before), parse.GetValue(limit), ct).ConfigureAwait(false);
                if (cli.Json)
                {
                    Output.Json(page);
                    return 0;
                }
                Output.Rows("trades", ["#", "price", "grams", "buyer", "seller", "taker", "block"],
                    page.Items.Select(t => new[] { Text(t.Number), Text(t.Price), Text(t.Amount), t.Buyer, t.Seller, t.Taker.Text(), Text(t.Height) }));
                if (page.Next is not null)
                {
                    Console.WriteLine($"next: --before {page.Next}");
                }
                return 0;
            });
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The market module's commands.</summary>
internal sealed class MarketCli : CliModule
{
    public override string Module => MarketNames.ModuleName;

    public override IEnumerable<Command> Commands() => [MarketCommands.Create()];
}
