using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Devices;
using ThingLedger.Execution.Modules.Energy;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Execution.Modules.Tokens;

namespace ThingLedger.Execution.Tests.Modules.Energy;

/// <summary>
/// A chain where acme registers smart meters (and owns smart-meter@2), grid runs the feeder's
/// market, and three households own one meter each: a solar home with a 10 kWh battery, a
/// neighbour with panels, and a flat that buys. Payments in VOLT.
/// </summary>
internal sealed class EnergyTestChain
{
    public const string Volt = "VOLT";
    public const string Market = "feeder-7";
    public const ulong Quarter = 15 * 60_000;

    public TestChain Chain { get; } = new();
    public KeyPair Solar { get; } = KeyPair.Generate();
    public KeyPair Neighbour { get; } = KeyPair.Generate();
    public KeyPair Flat { get; } = KeyPair.Generate();
    public KeyPair SolarMeter { get; } = KeyPair.Generate();
    public KeyPair NeighbourMeter { get; } = KeyPair.Generate();
    public KeyPair FlatMeter { get; } = KeyPair.Generate();
    public KeyPair Stranger { get; } = KeyPair.Generate();
    public KeyPair Operator => Chain.GridAdmin;
    public KeyPair Maker => Chain.AcmeAdmin;
    private readonly Dictionary<Address, ulong> _sequences = [];
    private int _serial;

    public EnergyTestChain()
    {
        Ok(Maker, TokensModule.ModuleName, TokensModule.Create, new CreateTokenPayload(Volt, "Volt", 0, Roles.Admin, 0));
        foreach (var who in new[] { Solar, Neighbour, Flat, Operator })
        {
            Fund(who, 1_000_000);
        }
        Ok(Maker, TelemetryModule.ModuleName, TelemetryModule.RegisterSchema, BuiltInSchemas.SmartMeter2);
        Ok(Maker, TelemetryModule.ModuleName, TelemetryModule.RegisterModel, new ModelRegistration("meter-screen", 1, "smart-meter", 2, Hash.Sha256([9])));
        Register(SolarMeter, Solar, battery: 10_000);
        Register(NeighbourMeter, Neighbour);
        Register(FlatMeter, Flat);
    }

    public void Register(KeyPair meter, KeyPair owner, ulong rating = 8_000, ulong? battery = null)
    {
        var serial = $"M-{++_serial}";
        // Metadata keys in order: battery_wh before rating_w.
        MetadataEntry[] metadata = [.. battery is { } b ? [new MetadataEntry(EnergyModule.BatteryKey, b.ToString(System.Globalization.CultureInfo.InvariantCulture))] : Array.Empty<MetadataEntry>(),
            new(EnergyModule.RatingKey, rating.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        Ok(Maker, DevicesModule.ModuleName, DevicesModule.Register,
            new RegisterDevicePayload(meter.PublicKey, "METER", serial, owner.Address, metadata, TestChain.Possession(meter, "acme", serial)));
    }

    public ulong Now => Chain.Clock + Chain.Height;

    /// <summary>The start of the first quarter-hour whose gate (5 minutes before it) is at least an hour away.</summary>
    public ulong NextInterval => ((Now + 3_600_000) / Quarter + 1) * Quarter;

    public static MarketTerms Terms(ulong capacity = 100_000, string id = Market) =>
        new(id, "Feeder 7, Elm Street", "smart-meter", 2, 15, 5, 50, 400, 30, Volt, 15_000, 5_000, capacity, 60);

    public void Fund(KeyPair who, UInt128 amount) => Ok(Maker, TokensModule.ModuleName, TokensModule.Mint, new TokenAmountPayload(Volt, who.Address, amount));

    public UInt128 Balance(Address who) => TokensModule.ReadBalance(Chain, Volt, who);

    public Receipt Ok<T>(KeyPair signer, string module, string operation, T payload) where T : ICanonical
    {
        var receipt = Chain.Run(Chain.Tx(signer, module, operation, payload, gasLimit: 100_000_000));
        Assert.True(receipt.Succeeded, $"{module}/{operation}: {receipt.ErrorCode}");
        return receipt;
    }

    public Receipt Run(KeyPair signer, string operation, ICanonical payload) =>
        Chain.Run(Chain.Tx(signer, EnergyNames.ModuleName, operation, payload, gasLimit: 100_000_000));

    public Receipt Ok(KeyPair signer, string operation, ICanonical payload) => Ok(signer, EnergyNames.ModuleName, operation, payload);

    public void Refused(string code, KeyPair signer, string operation, ICanonical payload) => Chain.AssertRefused(code, () => Run(signer, operation, payload));

    /// <summary>The market, with all three meters joined, each with a deposit of 100,000 and the meter's key allowed 2 kWh at up to 300.</summary>
    public void Open(ulong capacity = 100_000)
    {
        Ok(Operator, EnergyNames.Market, Terms(capacity));
        foreach (var (meter, owner) in new[] { (SolarMeter, Solar), (NeighbourMeter, Neighbour), (FlatMeter, Flat) })
        {
            Ok(owner, EnergyNames.Join, new JoinPayload(Market, meter.Address, 2_000, 300, 100_000));
        }
    }

    public Receipt Order(KeyPair signer, KeyPair meter, string side, ulong interval, ulong wh, ulong price) =>
        Ok(signer, side, new EnergyOrderPayload(meter.Address, interval, wh, price));

    /// <summary>Lets time pass to <paramref name="ms"/> (block time = clock + height).</summary>
    public void PassTo(ulong ms) => Chain.Clock = Math.Max(Chain.Clock, ms - Chain.Height);

    /// <summary>Anchors one summary of <paramref name="meter"/> for the quarter-hour starting at <paramref name="periodStart"/>.</summary>
    public Receipt Readings(KeyPair meter, ulong periodStart, long import, long export, long? soc = null, long? socMin = null, bool flagged = false)
    {
        var first = _sequences.GetValueOrDefault(meter.Address) + 1;
        _sequences[meter.Address] = first;
        var period = BuiltInSchemas.SmartMeter2.PeriodOf(periodStart)!.Value;
        var summary = new DeviceSummary(meter.Address, "smart-meter", 2, 1, first, first, [import, export])
        {
            Day = DeviceSummary.DayOf(periodStart),
            Period = period,
            Levels = flagged || soc is null ? null : new SummaryLevels([socMin ?? soc.Value], [soc.Value]),
        };
        if (flagged)
        {
            summary = summary with { Model = "meter-screen@1", Flagged = 1, FlaggedSums = [import, export], Flags = [new(FlagCode.ExportAboveRating, 1, 900)] };
        }
        var receipt = Chain.Anchor(summary);
        Assert.True(receipt.Succeeded, receipt.ErrorCode);
        return receipt;
    }
}
