using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using ThingLedger.Cli.Commands;
using ThingLedger.Cli.Simulation;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Carbon;

namespace ThingLedger.Cli.Demo;

/// <summary>
/// The carbon part of the demo (docs/CREDITS.md §3): the six EV-7 cars upload a whole day of
/// driving, the last UTC day whose crediting period has settled; voltmotors, the custodian of
/// their data, claims the day under the EVLC methodology; gridco's auditor co-signs, which mints
/// the credits to each car's owner; owner-1 retires part of theirs and
/// owner-2 sells some to owner-3 on the market. Skips what a resumed demo
/// already did.
/// </summary>
internal static class DemoCredits
{
    public const string MethodologyId = "EVLC";
    public const string Region = "eu-north";
    private const string Custodian = "voltmotors";
    private const string Verifier = "gridco";
    private const string Programme = "drive-share";

    public static Methodology Methodology(uint startDay) => new(MethodologyId, "Low-carbon EV driving (demo)", "ev", 1,
        [new("car", 120), new("van", 190)], [new(Region, 0, 250)], startDay, 1, Execution.Modules.Carbon.Methodology.MaxPeriods, Verifier);

    public static async Task RunAsync(ThingLedgerClient client, DemoScenario world, string chainId, Action<string> progress, CancellationToken ct)
    {
        var now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var day = DeviceSummary.DayOf(now - CarbonModule.SettlementMs) - 1;
        var methodology = await client.GetMethodologyAsync(MethodologyId, ct).ConfigureAwait(false);
        if (methodology is null)
        {
            progress($"registering the carbon methodology {MethodologyId} (baseline 120 gCO2/km for cars, grid 250 gCO2/kWh, daily periods, verified by {Verifier})");
            await client.SubmitAllCommittedAsync([world.Admins[Custodian].Sign(Operations.RegisterMethodology(Methodology(day)))],
                "registering the demo's carbon methodology", cancellationToken: ct).ConfigureAwait(false);
            methodology = (await client.GetMethodologyAsync(MethodologyId, ct).ConfigureAwait(false))!;
        }
        var startDay = (uint)(DateOnly.ParseExact(methodology.FirstDay, "yyyy-MM-dd", CultureInfo.InvariantCulture).DayNumber -
            DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber);
        if (day < startDay || day - startDay >= methodology.Periods)
        {
            return;
        }
        var period = (ushort)(day - startDay);
        var cars = new List<KeyPair>();
        foreach (var car in world.Cars)
        {
            if (await client.GetCarbonClaimAsync(MethodologyId, car.Address, period, ct).ConfigureAwait(false) is null)
            {
                cars.Add(car);
            }
        }
        if (cars.Count == 0)
        {
            return;
        }

        await EnrolAsync(client, world, cars, progress, ct).ConfigureAwait(false);
        var date = DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + (int)day);
        progress($"uploading {date:yyyy-MM-dd}'s driving of {cars.Count} EV-7 cars (a reading every 10 s, signed in device batches of 60)");
        var clock = Stopwatch.StartNew();
        var uploaded = await UploadDayAsync(client, chainId, cars, day, ct).ConfigureAwait(false);
        await WaitAnchoredAsync(client, ct).ConfigureAwait(false);
        progress($"  {uploaded:N0} readings accepted and anchored in {clock.Elapsed.TotalSeconds:F1} s; the owners earned " +
            $"{(await client.GetProgrammeAsync(Programme, ct).ConfigureAwait(false))?.Paid ?? "0"} VOLT from the {Programme} programme for sharing it");

        progress($"{Custodian} claims period {period} ({date:yyyy-MM-dd}) for each car; {Verifier}'s auditor co-signs");
        var claims = await SubmitAsync(client, [.. cars.Select(c => world.Admins[Custodian].Sign(Operations.ClaimCredits(MethodologyId, c.Address, period)))], ct).ConfigureAwait(false);
        var claimed = cars.Where((_, i) => claims[i] is null).ToList();
        foreach (var (car, code) in cars.Zip(claims).Where(c => c.Second is not null))
        {
            progress($"  no credits for {car.Address}: {code}");
        }
        await client.SubmitAllCommittedAsync([.. claimed.Select(c => world.Admins[Verifier].Sign(Operations.VerifyClaim(MethodologyId, c.Address, period, "demo: checked against the anchors")))],
            "co-signing the demo's carbon claims", cancellationToken: ct).ConfigureAwait(false);

        var table = new Table().Border(TableBorder.Rounded).Title($"carbon credits {MethodologyId}, {date:yyyy-MM-dd}")
            .AddColumn("car").AddColumn(new TableColumn("km").RightAligned()).AddColumn(new TableColumn("kWh").RightAligned())
            .AddColumn(new TableColumn("t CO2e").RightAligned()).AddColumn("token").AddColumn("owner");
        foreach (var car in claimed)
        {
            var c = (await client.GetCarbonClaimAsync(MethodologyId, car.Address, period, ct).ConfigureAwait(false))!;
            table.AddRow(car.Address.ToString()[..14] + "…", (c.Metres / 1000.0).ToString("N1", CultureInfo.InvariantCulture),
                (c.EnergyWh / 1000.0).ToString("N1", CultureInfo.InvariantCulture), CarbonCommands.Tonnes(c.Grams), c.Symbol, c.Owner[..14] + "…");
        }
        AnsiConsole.Write(table);
        var symbol = Execution.Modules.Carbon.Methodology.CreditSymbol(MethodologyId, period);
        await RetireAsync(client, world.Owners[0], symbol, progress, ct).ConfigureAwait(false);
        await TradeAsync(client, world, symbol, progress, ct).ConfigureAwait(false);
    }

    /// <summary>owner-2 offers 4 kg in two asks; owner-3, paid VOLT by voltmotors, buys 3 kg across both at their prices.</summary>
    private static async Task TradeAsync(ThingLedgerClient client, DemoScenario world, string symbol, Action<string> progress, CancellationToken ct)
    {
        var (seller, buyer) = (world.Owners[1], world.Owners[2]);
        var held = UInt128.Parse((await client.GetBalanceAsync(symbol, seller.Address, ct).ConfigureAwait(false)).Balance, CultureInfo.InvariantCulture);
        if (held < 4_000)
        {
            return;
        }
        await client.SubmitAllCommittedAsync(
            [
                seller.Sign(Operations.PlaceOrder(symbol, DemoScenario.Volt, Execution.Modules.Market.OrderSide.Sell, 2, 2_000)),
                seller.Sign(Operations.PlaceOrder(symbol, DemoScenario.Volt, Execution.Modules.Market.OrderSide.Sell, 3, 2_000)),
                world.Admins[Custodian].Sign(Operations.Mint(DemoScenario.Volt, buyer.Address, 10_000)),
            ], "placing the demo's sell orders", cancellationToken: ct).ConfigureAwait(false);
        await client.SubmitAllCommittedAsync([buyer.Sign(Operations.PlaceOrder(symbol, DemoScenario.Volt, Execution.Modules.Market.OrderSide.Buy, 3, 3_000))],
            "placing the demo's buy order", cancellationToken: ct).ConfigureAwait(false);
        progress($"market {symbol}/VOLT: owner-3 bought 3,000 g from owner-2 (2,000 g at 2, 1,000 g at 3 VOLT/g); " +
            $"see `thingledger market book {symbol} VOLT` and `thingledger market trades {symbol} VOLT`");
    }

    /// <summary>
    /// voltmotors' programme pays 1 VOLT per km of shared, unflagged driving (at most 1,000 a day
    /// per owner), 50 VOLT per car onboarded and 20 per referral; each car's owner enrols it and claims onboarding.
    /// </summary>
    private static async Task EnrolAsync(ThingLedgerClient client, DemoScenario world, List<KeyPair> cars, Action<string> progress, CancellationToken ct)
    {
        var admin = world.Admins[Custodian];
        if (await client.GetProgrammeAsync(Programme, ct).ConfigureAwait(false) is null)
        {
            progress($"voltmotors creates the reward programme {Programme}: 1 VOLT per km of shared driving, 50 VOLT per car onboarded, 20 per referral, at most 1,000 VOLT a day per owner");
            await client.SubmitAllCommittedAsync(
                [
                    admin.Sign(Operations.Mint(DemoScenario.Volt, admin.Address, 100_000)),
                    admin.Sign(Operations.CreateProgramme(new Execution.Modules.Rewards.Programme(
                        Programme, DemoScenario.Volt, 100_000, 1, 1_000, "ev", 1, "distance_km", 1_000, 1, 0, 50, 20))),
                ], "creating the demo's reward programme", cancellationToken: ct).ConfigureAwait(false);
        }
        var txs = new List<Transaction>();
        foreach (var car in cars)
        {
            var device = await client.GetDeviceAsync(car.Address, ct).ConfigureAwait(false);
            var owner = world.Owners.FirstOrDefault(o => o.Address.ToString() == device?.Owner);
            if (owner is not null && !(await client.GetEnrolmentsAsync(car.Address, ct).ConfigureAwait(false)).Contains(Programme))
            {
                txs.Add(owner.Sign(Operations.Enrol(Programme, car.Address)));
                txs.Add(owner.Sign(Operations.ClaimOnboarding(Programme, car.Address)));
            }
        }
        await client.SubmitAllCommittedAsync(txs, "enrolling the demo's cars", cancellationToken: ct).ConfigureAwait(false);
    }

    /// <summary>One day of each car's driving from the simulator's EV model, continuing each car's sequence numbers.</summary>
    private static async Task<long> UploadDayAsync(ThingLedgerClient client, string chainId, List<KeyPair> cars, uint day, CancellationToken ct)
    {
        var counters = new FleetCounters();
        var start = DateTime.UnixEpoch.AddDays(day);
        foreach (var car in cars)
        {
            var latest = await client.GetLatestReadingAsync(car.Address, ct).ConfigureAwait(false);
            var signer = new DeviceSigner(car, chainId, (latest?.Seq ?? 0) + 1);
            var model = new EvModel(new Random(car.Address.GetHashCode()));
            var batches = new List<SignedBatch>();
            var readings = new List<Reading>(DeviceBatch.MaxReadings);
            for (var t = start + EvModel.Interval; t <= start.AddDays(1); t += EvModel.Interval)
            {
                readings.Add(signer.Measure(model.Schema, (ulong)new DateTimeOffset(t).ToUnixTimeMilliseconds(), model.Next(t)));
                if (readings.Count == 60)
                {
                    batches.Add(signer.SignBatch(readings));
                    readings.Clear();
                }
            }
            await new HttpFleetTransport(client).UploadAsync([], batches, counters, ct).ConfigureAwait(false);
        }
        if (counters.Rejected > 0)
        {
            throw new InvalidOperationException($"the demo's driving history was refused: {string.Join(", ", counters.RejectedByCode.Select(kv => $"{kv.Key} ×{kv.Value}"))}");
        }
        return counters.Accepted;
    }

    private static async Task WaitAnchoredAsync(ThingLedgerClient client, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while ((await client.GetTelemetryStatusAsync(ct).ConfigureAwait(false)).PendingReadings > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the demo's driving history was not anchored within 2 minutes");
            }
            await Task.Delay(200, ct).ConfigureAwait(false);
        }
    }

    /// <summary>A tenth of what the owner holds, for their household, so the registry shows a retirement.</summary>
    private static async Task RetireAsync(ThingLedgerClient client, Account owner, string symbol, Action<string> progress, CancellationToken ct)
    {
        var held = UInt128.Parse((await client.GetBalanceAsync(symbol, owner.Address, ct).ConfigureAwait(false)).Balance, CultureInfo.InvariantCulture);
        var grams = held / 10;
        if (grams == UInt128.Zero)
        {
            return;
        }
        await client.SubmitAllCommittedAsync([owner.Sign(Operations.RetireCredits(symbol, grams, "owner-1's household", "demo: offsetting home heating"))],
            "retiring demo credits", cancellationToken: ct).ConfigureAwait(false);
        progress($"owner-1 retired {grams} g of {symbol}; see `thingledger carbon registry`");
    }

    /// <summary>Submits and waits for the txs; returns each one's failure code, or null when it committed.</summary>
    private static async Task<string?[]> SubmitAsync(ThingLedgerClient client, List<Transaction> txs, CancellationToken ct)
    {
        var response = await client.SubmitAsync(txs, wait: true, timeoutMs: 30_000, ct).ConfigureAwait(false);
        return [.. response.Results.Select(r => r.Code ?? (r.Status == TxState.Committed ? null : "NOT_COMMITTED"))];
    }
}
