using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution.Modules.Rewards;
using ThingLedger.Execution.Modules.Tokens;
using ThingLedger.Node.Chain;
using ThingLedger.Storage;

namespace ThingLedger.Node.Modules.Rewards;

/// <summary>Reward programmes and enrolments read from committed state: the one place the module's API and explorer pages read from.</summary>
public sealed class RewardsQueries(LedgerStore store)
{
    public List<ProgrammeRecord> Programmes() => [.. LedgerLists.Decoded(store, RewardsModule.ProgrammesPrefix, ProgrammeRecord.Read).Select(p => p.Record)];

    public ProgrammeRecord? Programme(string id) => Identifiers.IsOrgId(id) ? RewardsModule.ReadProgramme(store, id) : null;

    /// <summary>What a programme has left to pay: the balance of its escrow account.</summary>
    public UInt128 Left(ProgrammeRecord record) => TokensModule.ReadBalance(store, record.Programme.Token, RewardsModule.Escrow(record.Programme.Id));

    /// <summary>The programmes <paramref name="device"/> is enrolled in.</summary>
    public List<string> Enrolments(Address device) => [.. RewardsModule.ReadEnrolments(store, device)];
}
