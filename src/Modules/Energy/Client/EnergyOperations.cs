using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Energy;

namespace ThingLedger.Client;

/// <summary>The energy module's operations, ready to sign (docs/ENERGY.md).</summary>
public static partial class Operations
{
    private static Operation Energy<T>(string operation, T payload) where T : Core.Codec.ICanonical =>
        Operation.Of(EnergyNames.ModuleName, operation, payload);

    [Builds(EnergyNames.ModuleName, EnergyNames.Market)]
    public static Operation CreateEnergyMarket(MarketTerms terms) => Energy(EnergyNames.Market, terms);

    /// <summary>The owner puts its meter in a market; the meter's own key may then order up to <paramref name="allowanceWh"/> (bids up to <paramref name="allowancePrice"/>).</summary>
    [Builds(EnergyNames.ModuleName, EnergyNames.Join)]
    public static Operation JoinEnergyMarket(string market, Address meter, ulong allowanceWh, ulong allowancePrice, UInt128 deposit) =>
        Energy(EnergyNames.Join, new JoinPayload(market, meter, allowanceWh, allowancePrice, deposit));

    [Builds(EnergyNames.ModuleName, EnergyNames.Fund)]
    public static Operation FundMeter(Address meter, UInt128 amount) => Energy(EnergyNames.Fund, new MeterFundsPayload(meter, amount));

    [Builds(EnergyNames.ModuleName, EnergyNames.Leave)]
    public static Operation LeaveEnergyMarket(Address meter) => Energy(EnergyNames.Leave, new MeterFundsPayload(meter, UInt128.Zero));

    /// <summary>An offer for the interval starting at <paramref name="interval"/> (ms): <paramref name="wh"/> at no less than <paramref name="price"/> per kWh.</summary>
    [Builds(EnergyNames.ModuleName, EnergyNames.Offer)]
    public static Operation EnergyOffer(Address meter, ulong interval, ulong wh, ulong price) => Energy(EnergyNames.Offer, new EnergyOrderPayload(meter, interval, wh, price));

    /// <summary>A bid: <paramref name="wh"/> at no more than <paramref name="price"/> per kWh.</summary>
    [Builds(EnergyNames.ModuleName, EnergyNames.Bid)]
    public static Operation EnergyBid(Address meter, ulong interval, ulong wh, ulong price) => Energy(EnergyNames.Bid, new EnergyOrderPayload(meter, interval, wh, price));

    /// <summary>A battery's commitment to absorb <paramref name="wh"/> at <paramref name="price"/> per kWh.</summary>
    [Builds(EnergyNames.ModuleName, EnergyNames.Commit)]
    public static Operation EnergyCommit(Address meter, ulong interval, ulong wh, ulong price) => Energy(EnergyNames.Commit, new EnergyOrderPayload(meter, interval, wh, price));

    [Builds(EnergyNames.ModuleName, EnergyNames.Flex)]
    public static Operation RequestFlexibility(string market, ulong interval, ulong wh, ulong price) => Energy(EnergyNames.Flex, new FlexPayload(market, interval, wh, price));

    [Builds(EnergyNames.ModuleName, EnergyNames.Clear)]
    public static Operation ClearInterval(string market, ulong interval) => Energy(EnergyNames.Clear, new IntervalPayload(market, interval));

    [Builds(EnergyNames.ModuleName, EnergyNames.Settle)]
    public static Operation SettleInterval(string market, ulong interval) => Energy(EnergyNames.Settle, new IntervalPayload(market, interval));
}
