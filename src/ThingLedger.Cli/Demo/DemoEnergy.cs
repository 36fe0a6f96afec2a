using System.Globalization;
using System.Text.Json;
using ThingLedger.Cli.Simulation;
using ThingLedger.Client;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution;

namespace ThingLedger.Cli.Demo;

/// <summary>
/// The demo's energy market (docs/ENERGY.md): gridco runs feeder-7 for a neighbourhood of twelve
/// meters — houses with solar, some with batteries, two flats and a bakery — placed at the longitude
/// where it is late morning when the demo first starts, so the midday surplus is there to see. The
/// homes' energy managers trade every five-minute interval with their meters' own keys; at midday
/// more would trade than the feeder carries, and the batteries that answered gridco's flexibility
/// request absorb the excess. gridco's grid operator clears each interval at its gate and settles it
/// against the meters' anchored readings.
/// </summary>
internal static class DemoEnergy
{
    public const string Market = "feeder-7";
    private const string OperatorKey = "grid-operator";
    private const string PlaceFile = "neighbourhood.json";
    private static readonly UInt128 Deposit = 20_000; // 200.00 CNY per meter, for its orders' escrow

    /// <summary>Sets the neighbourhood and its market up, places the first interval's orders, and returns what runs with the demo: the meters reporting and the market trading.</summary>
    public static async Task<Func<CancellationToken, Task>> RunAsync(ThingLedgerClient client, DemoScenario world, KeyStore keys, string directory, FleetCounters counters,
        Action<string> progress, CancellationToken ct)
    {
        var gridco = world.Admins["gridco"];
        var created = await client.GetEnergyMarketAsync(Market, ct).ConfigureAwait(false) is null;
        var now = DateTime.UtcNow;
        var longitude = Longitude(directory, now);
        var neighbourhood = new Neighbourhood("gridco", gridco.ChainId, longitude, seed: 2611, name => keys.Contains(name) ? keys.Load(name) : keys.Create(name),
            new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, DateTimeKind.Utc).AddMinutes(-10));
        var operatorKey = keys.Contains(OperatorKey) ? keys.Load(OperatorKey) : keys.Create(OperatorKey);
        if (created)
        {
            var setup = new List<Transaction>
            {
                gridco.Sign(Operations.AddMember("gridco", operatorKey.Address, Roles.Operator)),
                gridco.Sign(Operations.Mint(DemoFinance.Currency, operatorKey.Address, 1_000_000)),
            };
            setup.AddRange(neighbourhood.Homes.Select(h => gridco.Sign(Operations.Mint(DemoFinance.Currency, h.Owner.Address, 100_000))));
            await client.SubmitAllCommittedAsync(setup, "the demo's energy step (gridco's grid operator and the households' money)", cancellationToken: ct).ConfigureAwait(false);
        }
        await neighbourhood.Fleet.RegisterAsync(client, world.Admins, ct).ConfigureAwait(false);
        // Clearing and settling walk every order of an interval: more gas than a transfer.
        var gridOperator = new Account(operatorKey, gridco.ChainId, (await Account.OpenAsync(client, operatorKey, gridco.ChainId, ct).ConfigureAwait(false)).NextNonce) { GasLimit = 50_000_000 };
        var terms = Neighbourhood.Terms(Market, string.Create(CultureInfo.InvariantCulture, $"Elm Street, {Place(longitude)}"), DemoFinance.Currency);
        var market = await NeighbourhoodMarket.OpenAsync(client, neighbourhood, terms, gridOperator, Deposit, progress, ct).ConfigureAwait(false);

        // The meters report over MQTT from ten minutes ago, so their batteries' levels are anchored before they commit.
        var transport = await MqttFleetTransport.CreateAsync("mqtt", client, gridco.ChainId, neighbourhood.Fleet.Devices, ct).ConfigureAwait(false);
        var reporting = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var telemetry = FleetRunner.RunAsync(transport, neighbourhood.Fleet, counters, TimeSpan.FromMilliseconds(500), reporting.Token);
        await BatteriesSeenAsync(client, neighbourhood, ct).ConfigureAwait(false);
        var solar = Neighbourhood.Time(CliArguments.Now).AddHours(longitude / 15);
        progress(string.Create(CultureInfo.InvariantCulture,
            $"energy market {Market} {(created ? "created" : "resumed")}: {neighbourhood.Homes.Count} meters at {Place(longitude)}, where it is {solar:HH:mm} solar time " +
            $"({Count(neighbourhood, HomeKind.Solar)} houses with solar, {Count(neighbourhood, HomeKind.SolarBattery)} with solar and a battery, {Count(neighbourhood, HomeKind.Flat)} flats, a bakery), " +
            $"trading every {Neighbourhood.IntervalMinutes} minutes over a feeder that carries {Neighbourhood.CapacityWh} Wh per interval: /energy/{Market}"));
        await market.StepAsync(ct).ConfigureAwait(false);
        return async stopping =>
        {
            await using (transport.ConfigureAwait(false))
            {
                using var both = CancellationTokenSource.CreateLinkedTokenSource(stopping, reporting.Token);
                try
                {
                    await market.RunAsync(both.Token).ConfigureAwait(false);
                }
                finally
                {
                    await reporting.CancelAsync().ConfigureAwait(false);
                    await telemetry.ContinueWith(_ => { }, CancellationToken.None).ConfigureAwait(false);
                    reporting.Dispose();
                }
            }
        };
    }

    /// <summary>Where the neighbourhood lies: chosen on the first run, where it is 11:30 solar time, and kept in the data folder so a resumed demo has the same sun.</summary>
    private static double Longitude(string directory, DateTime now)
    {
        var path = Path.Combine(directory, PlaceFile);
        if (File.Exists(path))
        {
            using var kept = JsonDocument.Parse(File.ReadAllText(path));
            if (kept.RootElement.TryGetProperty("longitude", out var longitude))
            {
                return longitude.GetDouble();
            }
        }
        var chosen = Neighbourhood.LongitudeAt(now, 11.5);
        File.WriteAllText(path, string.Create(CultureInfo.InvariantCulture, $"{{\"longitude\": {chosen}}}\n"));
        return chosen;
    }

    /// <summary>Waits (at most half a minute) until every battery's level is anchored: a commitment is measured against it.</summary>
    private static async Task BatteriesSeenAsync(ThingLedgerClient client, Neighbourhood neighbourhood, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        foreach (var home in neighbourhood.Homes.Where(h => h.Model.BatteryWh > 0))
        {
            while (await client.GetEnergyMeterAsync(home.Meter.Key.Address, ct).ConfigureAwait(false) is not { Soc: not null } && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500, ct).ConfigureAwait(false);
            }
        }
    }

    private static string Place(double longitude) => string.Create(CultureInfo.InvariantCulture, $"{Math.Abs(longitude):0.0}°{(longitude < 0 ? 'W' : 'E')}");

    private static int Count(Neighbourhood neighbourhood, HomeKind kind) => neighbourhood.Homes.Count(h => h.Model.Kind == kind);
}
