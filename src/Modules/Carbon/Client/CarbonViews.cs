using ThingLedger.Execution.Modules.Carbon;

namespace ThingLedger.Client.Contracts;

/// <summary>A vehicle class's baseline in grams of CO₂ per km.</summary>
public sealed record BaselineView(string VehicleClass, uint GramsPerKm);

/// <summary>A region's grid emission factor from a crediting period on.</summary>
public sealed record GridFactorView(string Region, ushort FromPeriod, uint GramsPerKwh);

/// <summary>A carbon methodology; period p covers the UTC days from <c>FirstDay + p × PeriodDays</c> (dates as yyyy-MM-dd).</summary>
public sealed record MethodologyView(
    string Id, string Name, string Schema, string Org, string VerifierOrg, string FirstDay, ushort PeriodDays, ushort Periods,
    List<BaselineView> Baselines, List<GridFactorView> GridFactors, ulong Height);

/// <summary>A claim for one vehicle and crediting period: status pending, issued or rejected; distance in metres, energy in Wh, credits in grams.</summary>
public sealed record CarbonClaimView(
    string Methodology, string Vehicle, ushort Period, string FirstDay, string LastDay, ClaimStatus Status, string Symbol, ulong Grams,
    string Owner, string CustodianOrg, string Claimant, string ClaimTx, ulong ClaimHeight, ulong Readings, ulong FlaggedReadings,
    long Metres, long EnergyWh, uint BaselineGramsPerKm, uint GridGramsPerKwh, string? Decider, ulong? DecisionHeight, string? Note);

/// <summary>A credit token (one methodology and vintage): grams issued, retired, and still outstanding.</summary>
public sealed record CreditView(string Symbol, string Methodology, ushort Vintage, string Issued, string Retired, string Outstanding);

/// <summary>A public retirement record: credits burned for a beneficiary, with the reason.</summary>
public sealed record RetirementView(ulong Number, string Symbol, string Grams, string Holder, string Beneficiary, string Reason, string Tx, ulong Height, ulong Timestamp);

/// <summary>`thingledger carbon registry --json`: every credit token, the issued claims behind them, their holders, and the latest retirements.</summary>
public sealed record CarbonRegistryView(List<CreditView> Credits, List<CarbonClaimView> Issuance, List<BalanceView> Holders, List<RetirementView> Retirements);
