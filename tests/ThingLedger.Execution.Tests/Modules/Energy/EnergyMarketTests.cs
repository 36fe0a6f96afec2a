using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Energy;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Execution.Modules.Tokens;
using E = ThingLedger.Execution.Modules.Energy.EnergyNames;

namespace ThingLedger.Execution.Tests.Modules.Energy;

public sealed class EnergyMarketTests
{
    private readonly EnergyTestChain _t = new();

    [Fact]
    public void A_grid_operator_defines_a_market_whose_terms_and_meters_schema_must_fit()
    {
        _t.Refused(EnergyErrors.NotOperator, _t.Stranger, E.Market, EnergyTestChain.Terms());
        foreach (var bad in new[]
        {
            EnergyTestChain.Terms() with { IntervalMinutes = 7 },
            EnergyTestChain.Terms() with { IntervalMinutes = 10 },
            EnergyTestChain.Terms() with { Floor = 500 },
            EnergyTestChain.Terms() with { ShortBps = 9_000 },
            EnergyTestChain.Terms() with { LongBps = 12_000 },
            EnergyTestChain.Terms() with { CapacityWh = 0 },
            EnergyTestChain.Terms() with { Id = "Feeder 7" },
            EnergyTestChain.Terms() with { SchemaVersion = 1 },
        })
        {
            var code = bad.SchemaVersion == 1 ? TelemetryErrors.SchemaNotFound : EnergyErrors.MarketInvalid;
            _t.Refused(code, _t.Operator, E.Market, bad);
        }
        // smart-meter@1 is summarised per day: it cannot settle quarter-hours.
        _t.Ok(_t.Maker, TelemetryModule.ModuleName, TelemetryModule.RegisterSchema, BuiltInSchemas.SmartMeter);
        _t.Refused(EnergyErrors.MarketInvalid, _t.Operator, E.Market, EnergyTestChain.Terms() with { SchemaVersion = 1 });
        _t.Refused(TokensErrors.TokenNotFound, _t.Operator, E.Market, EnergyTestChain.Terms() with { Token = "NOPE" });

        _t.Ok(_t.Operator, E.Market, EnergyTestChain.Terms());
        _t.Refused(EnergyErrors.MarketExists, _t.Operator, E.Market, EnergyTestChain.Terms());
        var market = EnergyModule.ReadMarket(_t.Chain, EnergyTestChain.Market)!;
        Assert.Equal(("grid", (byte)0, (byte)1, (byte)0), (market.Operator, market.ImportSum, market.ExportSum, market.SocLevel));
    }

    [Fact]
    public void Only_a_meters_owner_joins_it_once_and_only_with_a_rating_from_its_registration()
    {
        _t.Ok(_t.Operator, E.Market, EnergyTestChain.Terms());
        var join = new JoinPayload(EnergyTestChain.Market, _t.SolarMeter.Address, 0, 0, 1_000);
        _t.Refused(EnergyErrors.NotMeterOwner, _t.Neighbour, E.Join, join);
        _t.Refused(EnergyErrors.MarketNotFound, _t.Solar, E.Join, join with { Market = "elsewhere" });
        using var unrated = KeyPair.Generate();
        _t.Register(unrated, _t.Solar, rating: 0);
        _t.Refused(EnergyErrors.NoRating, _t.Solar, E.Join, join with { Meter = unrated.Address });
        _t.Refused(EnergyErrors.PriceOutOfRange, _t.Solar, E.Join, join with { AllowancePrice = 401 });

        var before = _t.Balance(_t.Solar.Address);
        _t.Ok(_t.Solar, E.Join, join);
        Assert.Equal(before - 1_000, _t.Balance(_t.Solar.Address));
        Assert.Equal((UInt128)1_000, _t.Balance(EnergyModule.Escrow));
        var meter = EnergyModule.ReadMeter(_t.Chain, _t.SolarMeter.Address)!;
        Assert.Equal((8_000ul, 10_000ul, (UInt128)1_000), (meter.RatingW, meter.BatteryWh, meter.Funds));
        _t.Refused(EnergyErrors.MeterInMarket, _t.Solar, E.Join, join);

        _t.Ok(_t.Solar, E.Fund, new MeterFundsPayload(_t.SolarMeter.Address, 500));
        _t.Refused(EnergyErrors.NotMeterOwner, _t.Neighbour, E.Leave, new MeterFundsPayload(_t.SolarMeter.Address, 0));
        _t.Ok(_t.Solar, E.Leave, new MeterFundsPayload(_t.SolarMeter.Address, 0));
        Assert.Equal(before, _t.Balance(_t.Solar.Address));
        Assert.Null(EnergyModule.ReadMeter(_t.Chain, _t.SolarMeter.Address));
    }

    [Fact]
    public void Orders_are_refused_for_a_meter_not_owned_after_the_gate_out_of_range_or_beyond_the_rating()
    {
        _t.Open();
        var next = _t.NextInterval;
        EnergyOrderPayload Order(ulong wh = 1_000, ulong price = 200, ulong? interval = null, KeyPair? meter = null) =>
            new((meter ?? _t.SolarMeter).Address, interval ?? next, wh, price);

        _t.Refused(EnergyErrors.NotMeterOwner, _t.Neighbour, E.Offer, Order());
        _t.Refused(EnergyErrors.NotMeterOwner, _t.Stranger, E.Bid, Order());
        _t.Refused(EnergyErrors.MeterNotJoined, _t.Stranger, E.Offer, Order(meter: _t.Stranger));
        _t.Refused(EnergyErrors.QuantityInvalid, _t.Solar, E.Offer, Order(wh: 0));
        _t.Refused(EnergyErrors.PriceOutOfRange, _t.Solar, E.Offer, Order(price: 49));
        _t.Refused(EnergyErrors.PriceOutOfRange, _t.Solar, E.Bid, Order(price: 401));
        _t.Refused(EnergyErrors.IntervalInvalid, _t.Solar, E.Offer, Order(interval: next + 1));
        // A past interval, and one whose gate (5 minutes before it) has closed.
        _t.Refused(EnergyErrors.GateClosed, _t.Solar, E.Offer, Order(interval: next - (10 * EnergyTestChain.Quarter)));
        var soon = ((_t.Now / EnergyTestChain.Quarter) + 1) * EnergyTestChain.Quarter;
        _t.PassTo(soon - (4 * 60_000));
        _t.Refused(EnergyErrors.GateClosed, _t.Solar, E.Offer, Order(interval: soon));
        // An 8 kW meter moves at most 2,000 Wh in a quarter-hour, over all its offers.
        _t.Refused(EnergyErrors.BeyondRating, _t.Solar, E.Offer, Order(wh: 2_001));
        _t.Ok(_t.Solar, E.Offer, Order(wh: 1_500));
        _t.Refused(EnergyErrors.BeyondRating, _t.Solar, E.Offer, Order(wh: 501));
        _t.Refused(EnergyErrors.SideTaken, _t.Solar, E.Bid, Order(wh: 100));
        // The meter's own key, under its allowance (2 kWh, bids up to 300).
        _t.Ok(_t.FlatMeter, E.Bid, Order(wh: 1_000, price: 300, meter: _t.FlatMeter));
        _t.Refused(EnergyErrors.BeyondAllowance, _t.FlatMeter, E.Bid, Order(wh: 500, price: 301, meter: _t.FlatMeter));
        _t.Refused(EnergyErrors.BeyondAllowance, _t.FlatMeter, E.Bid, Order(wh: 2_001, price: 100, meter: _t.FlatMeter));
        // A bid escrows its most: ⌈1000 × 300 / 1000⌉ + ⌈1000 × 30 / 1000⌉ = 330 of the deposit.
        Assert.Equal((UInt128)(100_000 - 330), EnergyModule.ReadMeter(_t.Chain, _t.FlatMeter.Address)!.Funds);
        // An offer escrows its collateral against a shortfall: ⌈1500 × (400 × 1.5) / 1000⌉ = 900.
        Assert.Equal((UInt128)(100_000 - 900), EnergyModule.ReadMeter(_t.Chain, _t.SolarMeter.Address)!.Funds);
        using var unfunded = KeyPair.Generate();
        _t.Register(unfunded, _t.Neighbour);
        _t.Ok(_t.Neighbour, E.Join, new JoinPayload(EnergyTestChain.Market, unfunded.Address, 0, 0, 10));
        _t.Refused(EnergyErrors.FundsLow, _t.Neighbour, E.Bid, Order(wh: 100, price: 100, meter: unfunded));
    }
}
