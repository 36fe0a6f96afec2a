using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Carbon;
using ThingLedger.Node.Chain;
using ThingLedger.Storage;

namespace ThingLedger.Node.Modules.Carbon;

/// <summary>The carbon registry read from committed state: the one place its API and explorer pages read from.</summary>
public sealed class CarbonQueries(LedgerStore store, ReadingStore readings)
{
    public List<MethodologyRecord> Methodologies() =>
        [.. LedgerLists.Decoded(store, CarbonModule.MethodologiesPrefix, MethodologyRecord.Read).Select(m => m.Record)];

    /// <summary>The methodology <paramref name="id"/>, or null when there is none (or the id is malformed).</summary>
    public MethodologyRecord? Methodology(string id) =>
        Execution.Modules.Carbon.Methodology.IsId(id) ? CarbonModule.ReadMethodology(store, id) : null;

    /// <summary>Claims by methodology, vehicle then period (of one methodology when given, and of one of its vehicles when given too); the cursor is the key suffix.</summary>
    public Page<ClaimRecord> Claims(string? methodology, Address? vehicle, string? after, int limit)
    {
        var prefix = methodology is null ? CarbonModule.ClaimsPrefix : CarbonModule.ClaimsOfPrefix(methodology);
        if (methodology is not null && vehicle is { } v)
        {
            prefix += v + "/";
        }
        var page = LedgerLists.Decoded(store, prefix, ClaimRecord.Read, after, limit);
        return new Page<ClaimRecord>([.. page.Select(c => c.Record)], page.Count == limit ? page[^1].Id : null);
    }

    public ClaimRecord? Claim(string methodology, Address vehicle, ushort period) =>
        Methodology(methodology) is null ? null : CarbonModule.ReadClaim(store, methodology, vehicle, period);

    public List<(string Symbol, CreditRecord Credit)> Credits() => LedgerLists.Decoded(store, CarbonModule.CreditsPrefix, CreditRecord.Read);

    /// <summary>Retirements numbered below <paramref name="before"/>, newest first.</summary>
    public Page<RetirementRecord> Retirements(ulong? before, int limit) =>
        NumberedPages.Newest(CarbonModule.RetirementCount(store), before, limit, n => CarbonModule.ReadRetirement(store, n), r => r);

    /// <summary>The vehicle's readings stored at this node in the claim's period, newest first.</summary>
    public IReadOnlyList<StoredReading> Readings(ClaimRecord claim, Methodology methodology, int limit)
    {
        var from = (ulong)methodology.FirstDay(claim.Period) * Core.Telemetry.DeviceSummary.DayMs;
        return readings.History(claim.Vehicle, from, methodology.EndMs(claim.Period) - 1, null, limit);
    }
}
