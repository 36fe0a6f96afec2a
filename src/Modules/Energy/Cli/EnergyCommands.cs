using System.CommandLine;
using System.Globalization;
using ThingLedger.Cli.Modules;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution.Modules.Energy;

namespace ThingLedger.Cli.Commands;

/// <summary>
/// energy market|join|fund|leave|offer|bid|orders|flex|commit|clear|settle|settlement|meter:
/// peer-to-peer energy trading (docs/ENERGY.md). Energy in Wh, prices in the token's smallest
/// units per kWh; an interval is named by any time inside it (ISO-8601 UTC, ms, +15m) or `next`.
/// </summary>
internal static class EnergyCommands
{
    /// <summary>The gas a clearing or settlement tx carries unless --gas-limit says otherwise: it walks every order of the interval.</summary>
    private const ulong IntervalGas = 2_000_000_000;

    public static Command Create() =>
        new Command("energy", "Peer-to-peer energy trading on a grid operator's local market: offers and bids per interval, a uniform-price clearing capped by the feeder, batteries absorbing the excess, settlement against the meters' anchored readings (docs/ENERGY.md). Energy in Wh, prices per kWh in the token's smallest unit.")
            .With(Market(), Join(), Fund(), Leave(), Order(EnergySide.Offer), Order(EnergySide.Bid), Orders(), Flex(), Order(EnergySide.Commit),
                OnInterval(EnergyNames.Clear, "Clear an interval once its gate has closed (anyone may): one price, what each order matched, the feeder's excess offered to the batteries that committed.", "anyone"),
                OnInterval(EnergyNames.Settle, "Settle a cleared interval against the meters' anchored readings, as the grid operator (who pays what the market owes and receives what it is owed).", "gridco-operator"),
                Settlement(), Meter());

    private static Option<string> MarketOption() => new("--market") { Description = "The market's id, e.g. feeder-7", Required = true };

    private static Option<string> IntervalOption() => new("--interval")
    {
        Description = "The interval: any time inside it (ISO-8601 UTC, ms since the epoch, +15m from now), or `next` for the first whose gate is open",
        DefaultValueFactory = _ => "next",
    };

    /// <summary>The start of the market's interval that holds <paramref name="text"/>, or of the first one still open for orders (`next`).</summary>
    private static async Task<(EnergyMarketView Market, ulong Start)> IntervalAsync(CliContext cli, string market, string text, CancellationToken ct)
    {
        var view = await cli.Client.GetEnergyMarketAsync(market, ct).ConfigureAwait(false)
            ?? throw new ThingLedgerException(EnergyErrors.MarketNotFound, $"no energy market '{market}'", 404);
        var length = view.IntervalMinutes * 60_000UL;
        var now = CliArguments.Now;
        if (text == "next")
        {
            return (view, (((now + (view.GateMinutes * 60_000UL)) / length) + 1) * length);
        }
        var time = CliArguments.Time(text, now);
        return (view, time - (time % length));
    }

    private static async Task<int> SubmitAsync(ParseResult parse, CliContext cli, Option<string> signer, Option<bool> noWait, Operation operation, CancellationToken ct,
        ulong gas = Gas.DefaultTxLimit)
    {
        var account = await cli.SignerAsync(parse.GetValue(signer)!, ct, gas).ConfigureAwait(false);
        var (code, tx) = await cli.SubmitAsync(account, operation, parse.GetValue(noWait), ct).ConfigureAwait(false);
        if (code == 0 && !cli.Json && !parse.GetValue(noWait) && await cli.Client.GetTxAsync(tx.Id, ct).ConfigureAwait(false) is { Receipt: { } receipt })
        {
            foreach (var e in receipt.Events.Where(e => e.Module == EnergyNames.ModuleName))
            {
                Console.WriteLine(Describe(e));
            }
        }
        return code;
    }

    private static string Describe(EventView e)
    {
        string A(string name) => e.Attributes.TryGetValue(name, out var value) ? value : "?";
        string At() => ulong.TryParse(A("interval"), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) ? Output.Time(ms) : A("interval");
        return e.Name switch
        {
            "market-created" => $"market {A("market")} created for {A("zone")}: {A("interval")}-minute intervals, paid in {A("token")}",
            "meter-joined" => $"meter {A("meter")} joined {A("market")}",
            "meter-funded" => $"meter {A("meter")}: deposit now {A("funds")}",
            "meter-left" => $"meter {A("meter")} left {A("market")}; {A("returned")} returned",
            "order-placed" => $"{A("side")} {A("order")} for {At()}: {A("wh")} Wh at {A("price")} per kWh",
            "flex-requested" => $"flexibility requested for {At()}: absorb {A("wh")} Wh at up to {A("price")} per kWh",
            "interval-cleared" => $"{At()} cleared at {A("price")} per kWh: {A("traded")} Wh traded, {A("excess")} Wh over the feeder's capacity; flexibility {A("absorbed")} of {A("flex")} Wh committed",
            "interval-settled" => $"{At()} settled for {A("meters")} meter(s): {A("energy")} paid for energy, {A("fees")} in grid fees",
            _ => $"{e.Name} {string.Join(" ", e.Attributes.Select(kv => $"{kv.Key}={kv.Value}"))}",
        };
    }

    private static Command Market()
    {
        var id = new Option<string>("--id") { Description = "The market's id, a label unique on the chain (e.g. feeder-7)", Required = true };
        var zone = new Option<string>("--zone") { Description = "The feeder it serves, free text", Required = true };
        var schema = new Option<string>("--schema") { Description = "The meters' schema, with a summary period (docs/ENERGY.md)", DefaultValueFactory = _ => "smart-meter@2" };
        var interval = new Option<ushort>("--interval-minutes") { Description = "Interval length in minutes (5–1440, dividing the day)", DefaultValueFactory = _ => 15 };
        var gate = new Option<ushort>("--gate-minutes") { Description = "Orders close this many minutes before an interval starts", DefaultValueFactory = _ => 5 };
        var floor = new Option<ulong>("--floor") { Description = "Lowest price an order may name, per kWh", DefaultValueFactory = _ => 0 };
        var cap = new Option<ulong>("--cap") { Description = "Highest price an order may name, per kWh", Required = true };
        var fee = new Option<ulong>("--grid-fee") { Description = "Grid fee per kWh bought, paid to the grid operator", DefaultValueFactory = _ => 0 };
        var token = new Option<string>("--token") { Description = "The payment token", Required = true };
        var shortBps = new Option<ushort>("--short-bps") { Description = "A party short of what it sold (or bought) pays the clearing price × this / 10000", DefaultValueFactory = _ => 15_000 };
        var longBps = new Option<ushort>("--long-bps") { Description = "A party long of it is paid the clearing price × this / 10000", DefaultValueFactory = _ => 5_000 };
        var capacity = new Option<ulong>("--capacity-wh") { Description = "The feeder's export capacity per interval: the most the market trades in one", Required = true };
        var wait = new Option<ushort>("--settle-wait-minutes") { Description = "After an interval ends, settlement waits this long for meters that have not reported", DefaultValueFactory = _ => 60 };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        var create = new Command("create", "Define a local market for one feeder, as an admin or operator of the grid operator.\n" +
                "Example: thingledger energy market create --id feeder-7 --zone \"Elm Street feeder\" --cap 400 --floor 50 --grid-fee 30 --token VOLT --capacity-wh 20000 --as gridco-operator")
            .With(id, zone, schema, interval, gate, floor, cap, fee, token, shortBps, longBps, capacity, wait, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var (schemaId, version) = SchemaRef(parse.GetValue(schema)!);
                var terms = new MarketTerms(parse.GetValue(id)!, parse.GetValue(zone)!, schemaId, version, parse.GetValue(interval), parse.GetValue(gate),
                    parse.GetValue(floor), parse.GetValue(cap), parse.GetValue(fee), parse.GetValue(token)!, parse.GetValue(shortBps), parse.GetValue(longBps),
                    parse.GetValue(capacity), parse.GetValue(wait));
                return await SubmitAsync(parse, cli, signer, noWait, Operations.CreateEnergyMarket(terms), ct).ConfigureAwait(false);
            });
        var which = new Argument<string>("market") { Description = "The market's id" };
        var show = new Command("show", "A market's terms and its intervals, newest first.\nExample: thingledger energy market show feeder-7").With(which)
            .Runs(async (parse, cli, ct) =>
            {
                var market = await cli.Client.GetEnergyMarketAsync(parse.GetValue(which)!, ct).ConfigureAwait(false)
                    ?? throw new ThingLedgerException(EnergyErrors.MarketNotFound, $"no energy market '{parse.GetValue(which)}'", 404);
                if (cli.Json)
                {
                    Output.Json(market);
                    return 0;
                }
                var decimals = (await cli.Client.GetTokenAsync(market.Token, ct).ConfigureAwait(false))?.Decimals ?? 0;
                Output.Fields($"market {market.Id}", ("zone", market.Zone), ("grid operator", market.Operator), ("meters' schema", market.Schema),
                    ("interval", $"{market.IntervalMinutes} min; gate {market.GateMinutes} min before"),
                    ("prices", $"{TokenUnits.Format(market.Floor, decimals)}–{TokenUnits.Format(market.Cap, decimals)} {market.Token} per kWh; grid fee {TokenUnits.Format(market.GridFee, decimals)}"),
                    ("imbalance", $"short pays {Bps(market.ShortBps)}, long is paid {Bps(market.LongBps)} of the clearing price"),
                    ("feeder capacity", $"{market.CapacityWh} Wh per interval"), ("settlement waits", $"{market.SettleWaitMinutes} min for silent meters"));
                Output.Rows("intervals", ["interval", "orders", "status", "price", "traded Wh"],
                    market.Intervals.Select(i => new[] { Output.Time(i.Start), Text(i.Orders), i.Status, i.Price is { } p ? Text(p) : "", i.TradedWh is { } w ? Text(w) : "" }));
                return 0;
            });
        var list = new Command("list", "Every energy market.\nExample: thingledger energy market list")
            .Runs(async (parse, cli, ct) =>
            {
                var markets = await cli.Client.GetEnergyMarketsAsync(ct).ConfigureAwait(false);
                if (cli.Json)
                {
                    Output.Json(markets);
                    return 0;
                }
                Output.Rows("energy markets", ["market", "zone", "operator", "interval", "prices", "capacity Wh"],
                    markets.Select(m => new[] { m.Id, m.Zone, m.Operator, $"{m.IntervalMinutes} min", $"{m.Floor}–{m.Cap} {m.Token}", Text(m.CapacityWh) }));
                return 0;
            });
        return new Command("market", "Local energy markets: create one (grid operator), show one, list them.").With(create, show, list);
    }

    private static (string Id, ushort Version) SchemaRef(string text)
    {
        var at = text.LastIndexOf('@');
        return at > 0 && ushort.TryParse(text.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? (text[..at], version)
            : throw new FormatException($"--schema '{text}' is not id@version (e.g. smart-meter@2)");
    }

    private static Option<string> MeterOption() => new("--meter") { Description = "The meter (its id, or the name of its key)", Required = true };

    private static Command Join()
    {
        var market = MarketOption();
        var meter = MeterOption();
        var allowanceWh = new Option<ulong>("--allowance-wh") { Description = "The most Wh one order signed by the meter's own key may name (0: its key may not order)", DefaultValueFactory = _ => 0 };
        var allowancePrice = new Option<ulong>("--allowance-price") { Description = "The highest price per kWh the meter's own key may bid", DefaultValueFactory = _ => 0 };
        var deposit = new Option<string>("--deposit") { Description = "Tokens your meter's orders escrow from, moved into escrow now", DefaultValueFactory = _ => "0" };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("join", "Put your meter into a market (a meter is in one market at a time). Its rating and battery come from its registration.\n" +
                "Example: thingledger energy join --market feeder-7 --meter meter-3 --allowance-wh 2000 --allowance-price 300 --deposit 5000 --as alice")
            .With(market, meter, allowanceWh, allowancePrice, deposit, signer, noWait)
            .Runs(async (parse, cli, ct) => await SubmitAsync(parse, cli, signer, noWait, Operations.JoinEnergyMarket(parse.GetValue(market)!,
                cli.ResolveAddress(parse.GetValue(meter)!), parse.GetValue(allowanceWh), parse.GetValue(allowancePrice),
                CliArguments.Amount(parse.GetValue(deposit)!, allowZero: true)), ct).ConfigureAwait(false));
    }

    private static Command Fund()
    {
        var meter = MeterOption();
        var amount = new Option<string>("--amount") { Description = "Tokens to add to the meter's deposit", Required = true };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("fund", "Add to your meter's deposit, which its orders escrow from.\nExample: thingledger energy fund --meter meter-3 --amount 2000 --as alice")
            .With(meter, amount, signer, noWait)
            .Runs(async (parse, cli, ct) => await SubmitAsync(parse, cli, signer, noWait,
                Operations.FundMeter(cli.ResolveAddress(parse.GetValue(meter)!), CliArguments.Amount(parse.GetValue(amount)!)), ct).ConfigureAwait(false));
    }

    private static Command Leave()
    {
        var meter = MeterOption();
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("leave", "Take your meter out of its market once every interval it traded in is settled; its deposit returns.\nExample: thingledger energy leave --meter meter-3 --as alice")
            .With(meter, signer, noWait)
            .Runs(async (parse, cli, ct) => await SubmitAsync(parse, cli, signer, noWait, Operations.LeaveEnergyMarket(cli.ResolveAddress(parse.GetValue(meter)!)), ct).ConfigureAwait(false));
    }

    private static Command Order(EnergySide side)
    {
        var meter = MeterOption();
        var interval = IntervalOption();
        var wh = new Option<ulong>("--wh") { Description = "Energy in Wh", Required = true };
        var price = new Option<ulong>("--price")
        {
            Description = side switch
            {
                EnergySide.Offer => "The least you accept, per kWh",
                EnergySide.Bid => "The most you pay, per kWh",
                _ => "What you ask for absorbing, per kWh (at most the request's price)",
            },
            Required = true,
        };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        var (name, text, example) = side switch
        {
            EnergySide.Offer => (EnergyNames.Offer, "Offer energy your meter will export in an interval, at no less than a price.", "energy offer --meter meter-3 --interval next --wh 1500 --price 120 --as alice"),
            EnergySide.Bid => (EnergyNames.Bid, "Bid for energy your meter will import in an interval, at no more than a price.", "energy bid --meter meter-5 --interval next --wh 1000 --price 250 --as bob"),
            _ => (EnergyNames.Commit, "Commit your battery to absorb energy in an interval the grid operator asked flexibility for, at a price.", "energy commit --meter meter-3 --interval 2026-12-07T12:00Z --wh 800 --price 80 --as alice"),
        };
        return new Command(name, $"{text} Sign as the meter's owner, or as the meter itself within the allowance its owner gave it.\nExample: thingledger {example}")
            .With(meter, interval, wh, price, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var id = cli.ResolveAddress(parse.GetValue(meter)!);
                var joined = await cli.Client.GetEnergyMeterAsync(id, ct).ConfigureAwait(false)
                    ?? throw new ThingLedgerException(EnergyErrors.MeterNotJoined, $"meter {id} is in no energy market", 404);
                var (_, start) = await IntervalAsync(cli, joined.Market, parse.GetValue(interval)!, ct).ConfigureAwait(false);
                var (amount, limit) = (parse.GetValue(wh), parse.GetValue(price));
                var operation = side switch
                {
                    EnergySide.Offer => Operations.EnergyOffer(id, start, amount, limit),
                    EnergySide.Bid => Operations.EnergyBid(id, start, amount, limit),
                    _ => Operations.EnergyCommit(id, start, amount, limit),
                };
                return await SubmitAsync(parse, cli, signer, noWait, operation, ct).ConfigureAwait(false);
            });
    }

    private static Command Flex()
    {
        var market = MarketOption();
        var interval = IntervalOption();
        var wh = new Option<ulong>("--wh") { Description = "Energy to absorb in the interval, in Wh", Required = true };
        var price = new Option<ulong>("--price") { Description = "The most paid per kWh absorbed", Required = true };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("flex", "Ask batteries to absorb energy in an interval, as the grid operator; at clearing the feeder's excess is added to it.\n" +
                "Example: thingledger energy flex --market feeder-7 --interval 2026-12-07T12:00Z --wh 5000 --price 90 --as gridco-operator")
            .With(market, interval, wh, price, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var (_, start) = await IntervalAsync(cli, parse.GetValue(market)!, parse.GetValue(interval)!, ct).ConfigureAwait(false);
                return await SubmitAsync(parse, cli, signer, noWait, Operations.RequestFlexibility(parse.GetValue(market)!, start, parse.GetValue(wh), parse.GetValue(price)), ct)
                    .ConfigureAwait(false);
            });
    }

    private static Command OnInterval(string name, string description, string example)
    {
        var market = MarketOption();
        var interval = new Option<string>("--interval") { Description = "The interval: any time inside it (ISO-8601 UTC, ms since the epoch, or -/+ from now as +15m)", Required = true };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command(name, $"{description}\nExample: thingledger energy {name} --market feeder-7 --interval 2026-12-07T12:00Z --as {example}")
            .With(market, interval, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var (_, start) = await IntervalAsync(cli, parse.GetValue(market)!, parse.GetValue(interval)!, ct).ConfigureAwait(false);
                var operation = name == EnergyNames.Clear ? Operations.ClearInterval(parse.GetValue(market)!, start) : Operations.SettleInterval(parse.GetValue(market)!, start);
                return await SubmitAsync(parse, cli, signer, noWait, operation, ct, IntervalGas).ConfigureAwait(false);
            });
    }

    /// <summary>A command that shows one interval of a market: as JSON with --json, else as <paramref name="print"/> writes it.</summary>
    private static Command OfInterval(string name, string description, Action<EnergyIntervalView> print)
    {
        var market = MarketOption();
        var interval = IntervalOption();
        return new Command(name, $"{description}\nExample: thingledger energy {name} --market feeder-7 --interval 2026-12-07T12:00Z")
            .With(market, interval)
            .Runs(async (parse, cli, ct) =>
            {
                var (_, start) = await IntervalAsync(cli, parse.GetValue(market)!, parse.GetValue(interval)!, ct).ConfigureAwait(false);
                var view = await cli.Client.GetEnergyIntervalAsync(parse.GetValue(market)!, start, ct).ConfigureAwait(false)
                    ?? throw new ThingLedgerException(EnergyErrors.IntervalInvalid, $"{start} is not an interval of market '{parse.GetValue(market)}'", 400);
                if (cli.Json)
                {
                    Output.Json(view);
                }
                else
                {
                    print(view);
                }
                return 0;
            });
    }

    private static Command Orders() =>
        OfInterval("orders", "An interval's book: every offer, bid and battery commitment, what each matched once cleared, and the clearing.", view =>
        {
            var c = view.Clearing;
            Output.Fields($"{view.Market}, {Output.Time(view.Start)} ({view.Status})", ("gate", Output.Time(view.Gate)),
                ("clearing price", c is null ? "not cleared" : c.TradedWh == 0 ? "no match" : $"{c.Price} per kWh"),
                ("traded", c is null ? "" : $"{c.TradedWh} Wh ({c.ExcessWh} Wh over the feeder's capacity not sold)"),
                ("flexibility", view.FlexWh is null ? "none requested" : $"{view.FlexWh} Wh asked at up to {view.FlexPrice}" + (c is null ? "" : $"; need {c.FlexNeedWh} Wh, {c.FlexAcceptedWh} Wh committed")));
            Output.Rows("orders", ["n", "side", "meter", "Wh", "price", "matched Wh", "by"],
                view.Orders.Concat(view.Commitments).Select(o => new[] { Text(o.Number), EnergyModule.SideText(o.Side), o.Meter, Text(o.Wh), Text(o.Price),
                o.MatchedWh is { } m ? Text(m) : "", o.ByMeter ? "meter" : "owner" }));
        });

    private static Command Settlement() =>
        OfInterval("settlement", "What each meter of an interval measured (and the anchors it came from) and, once settled, what it received and paid.", view =>
        {
            var s = view.Settlement;
            Output.Fields($"settlement of {view.Market}, {Output.Time(view.Start)} ({view.Status})",
                ("energy paid", s?.Energy ?? "not settled"), ("grid fees", s?.Fees ?? ""), ("shortfalls charged", s?.Shortfalls ?? ""),
                ("surpluses paid", s?.Surpluses ?? ""), ("flexibility paid", s?.Flexibility ?? ""), ("settle tx", s?.Tx ?? ""));
            Output.Rows("meters", ["meter", "export Wh", "import Wh", "battery rise", "flagged", "sold", "bought", "absorbed", "received", "paid", "anchors"],
                view.Meters.Select(m => new[] { m.Meter, Text(m.ExportWh), Text(m.ImportWh), $"{m.SocRise / 10.0:0.0}%", m.Flagged ? "yes" : "no",
                m.SoldWh is { } sold ? Text(sold) : "", m.BoughtWh is { } bought ? Text(bought) : "", m.AbsorbedWh is { } a ? Text(a) : "",
                m.Received ?? "", m.Paid ?? "", string.Join(" ", m.Anchors) }));
        });

    private static Command Meter()
    {
        var meter = new Argument<string>("meter") { Description = "The meter (its id, or the name of its key)" };
        return new Command("meter", "A meter in a market: rating, battery, its key's allowance, deposit, latest anchored period.\nExample: thingledger energy meter meter-3")
            .With(meter)
            .Runs(async (parse, cli, ct) =>
            {
                var id = cli.ResolveAddress(parse.GetValue(meter)!);
                var view = await cli.Client.GetEnergyMeterAsync(id, ct).ConfigureAwait(false)
                    ?? throw new ThingLedgerException(EnergyErrors.MeterNotJoined, $"meter {id} is in no energy market", 404);
                if (cli.Json)
                {
                    Output.Json(view);
                    return 0;
                }
                Output.Fields($"meter {view.Meter}", ("market", view.Market), ("owner", view.Owner), ("rating", $"{view.RatingW} W"),
                    ("battery", view.BatteryWh == 0 ? "none" : $"{view.BatteryWh} Wh"), ("meter's own orders", view.AllowanceWh == 0 ? "not allowed" : $"up to {view.AllowanceWh} Wh, bids up to {view.AllowancePrice}"),
                    ("deposit", view.Funds), ("unsettled intervals", Text(view.OpenIntervals)),
                    ("latest anchored period", view.LastPeriod is { } p ? Output.Time(p) : "none"), ("battery level", view.Soc is { } soc ? $"{soc / 10.0:0.0}%" : "unknown"));
                return 0;
            });
    }

    private static string Bps(ushort bps) => $"{(bps / 100m).ToString("0.##", CultureInfo.InvariantCulture)}%";

    private static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The energy module's commands.</summary>
internal sealed class EnergyCli : CliModule
{
    public override string Module => EnergyNames.ModuleName;

    public override IEnumerable<Command> Commands() => [EnergyCommands.Create()];
}
