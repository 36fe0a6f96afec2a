using System.Globalization;
using ThingLedger.Core;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.State;
using ThingLedger.Execution.Modules.Devices;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Execution.Modules.Tokens;
using F = ThingLedger.Execution.PayloadField;

namespace ThingLedger.Execution.Modules.Carbon;

/// <summary>
/// Carbon credits for electric vehicles (docs/CREDITS.md §3). An organisation registers a
/// methodology; the custodian of a vehicle's data claims a crediting period once it is over,
/// and execution computes the grams from the vehicle's clean day totals; an auditor of the
/// methodology's verifier organisation co-signs, and only then are the credits minted to the
/// vehicle's owner as the token <c>C{methodology}{period}</c>. A vehicle-period is claimed
/// once, ever. Holders transfer credits like any token and retire them here, which burns them
/// and leaves a public record.
/// </summary>
public sealed class CarbonModule(ITokenLedger tokens, IDeviceRegistry devices, ITelemetryRecords telemetry, IMembershipDirectory members) : IModule
{
    public const string ModuleName = CarbonNames.ModuleName;
    public const string RegisterMethodology = CarbonNames.RegisterMethodology;
    public const string Claim = CarbonNames.Claim;
    public const string Verify = CarbonNames.Verify;
    public const string Reject = CarbonNames.Reject;
    public const string Retire = CarbonNames.Retire;

    /// <summary>How long after its last day a period stays open, so a reading measured at its end can still be anchored.</summary>
    public const ulong SettlementMs = 3_600_000;

    /// <summary>Credits are counted in grams and shown in tonnes.</summary>
    public const byte CreditDecimals = 6;

    public string Name => ModuleName;

    public ModuleErrors Errors { get; } = ModuleErrors.Of(typeof(CarbonErrors));

    public IReadOnlyList<EventType> Events => CarbonEvents.All;

    public IReadOnlyList<StateRecordType> StateRecords { get; } =
    [
        StateRecordType.Of(MethodologiesPrefix, "methodology", MethodologyRecord.Read),
        StateRecordType.Of(ClaimsPrefix, "claim", ClaimRecord.Read),
        StateRecordType.Of(CreditsPrefix, "credit token", CreditRecord.Read),
        StateRecordType.Of(RetirementsPrefix, "retirement", RetirementRecord.Read),
    ];

    public OperationTable Operations => _operations ??= new OperationTable()
        .Add(RegisterMethodology, Methodology.Read, DoRegister, static m =>
            [F.Text("methodology", m.Id), F.Text("name", m.Name), F.Text("schema", m.SchemaRef), F.Org(m.VerifierOrg, "verifier"),
             F.Text("periods", $"{m.Periods} of {m.PeriodDays} days from day {m.StartDay}"),
             .. m.Baselines.Select(b => F.Text("baseline " + b.VehicleClass, $"{b.GramsPerKm} g/km")),
             .. m.GridFactors.Select(g => F.Text("grid " + g.Region, $"{g.GramsPerKwh} g/kWh from period {g.FromPeriod}"))], Access.Members)
        .Add(Claim, ClaimPayload.Read, DoClaim, static p => DescribeClaim(p, null), Access.Members)
        .Add(Verify, ClaimPayload.Read, (context, v) => Decide(context, v, issue: true), static p => DescribeClaim(p, "note"), Access.Members)
        .Add(Reject, ClaimPayload.Read, (context, r) => Decide(context, r, issue: false), static p => DescribeClaim(p, "reason"), Access.Members)
        .Add(Retire, RetirePayload.Read, DoRetire, static p =>
            [F.Token(p.Symbol, "credit"), F.Text("grams", TokensModule.Text(p.Amount)), F.Text("beneficiary", p.Beneficiary), F.Text("reason", p.Reason)]);

    private static F[] DescribeClaim(ClaimPayload p, string? note) =>
    [
        new("claim", $"{p.Methodology} period {p.Period}", $"/credits/{p.Methodology}/{p.Vehicle}/{p.Period}"),
        F.Device(p.Vehicle, "vehicle"),
        .. note is null ? Array.Empty<F>() : [F.Text(note, p.Note)],
    ];

    private OperationTable? _operations;

    public const string MethodologiesPrefix = "carbon/methodology/";
    public static string MethodologyKey(string id) => MethodologiesPrefix + id;
    public const string ClaimsPrefix = "carbon/claim/";
    public static string ClaimsOfPrefix(string methodology) => $"{ClaimsPrefix}{methodology}/";
    public static string ClaimKey(string methodology, Address vehicle, ushort period) => $"{ClaimsOfPrefix(methodology)}{vehicle}/{period:D4}";
    public const string CreditsPrefix = "carbon/credit/";
    public static string CreditKey(string symbol) => CreditsPrefix + symbol;
    public const string RetirementsPrefix = "carbon/retirement/";
    public static string RetirementKey(ulong number) => $"{RetirementsPrefix}{number:D12}";
    public const string RetirementCountKey = "carbon/retirements";

    public static MethodologyRecord? ReadMethodology(IStateReader state, string id) => Payload.Get(state, MethodologyKey(id), MethodologyRecord.Read);

    public static ClaimRecord? ReadClaim(IStateReader state, string methodology, Address vehicle, ushort period) =>
        Payload.Get(state, ClaimKey(methodology, vehicle, period), ClaimRecord.Read);

    public static CreditRecord? ReadCredit(IStateReader state, string symbol) => Payload.Get(state, CreditKey(symbol), CreditRecord.Read);

    public static RetirementRecord? ReadRetirement(IStateReader state, ulong number) => Payload.Get(state, RetirementKey(number), RetirementRecord.Read);

    public static ulong RetirementCount(IStateReader state) => Counters.Read(state, RetirementCountKey);

    public void InitGenesis(Genesis genesis, StateView state)
    {
    }


    private Outcome DoRegister(TxContext context, Methodology m)
    {
        if (context.SignerMembership is not { } signer || !signer.Has(Roles.Admin))
        {
            return ErrorCodes.Unauthorised;
        }
        // The verifier must be another organisation that exists: nobody verifies their own methodology.
        if (!m.IsValid() || m.VerifierOrg == signer.Org || !members.OrgExists(context.State, m.VerifierOrg))
        {
            return CarbonErrors.CarbonMethodologyInvalid;
        }
        var schema = telemetry.Schema(context.State, m.Schema, m.SchemaVersion)?.Schema;
        if (schema is null)
        {
            return TelemetryErrors.SchemaNotFound;
        }
        if (AdditiveIndex(schema, Methodology.DistanceField) < 0 || AdditiveIndex(schema, Methodology.EnergyField) < 0)
        {
            return CarbonErrors.CarbonMethodologyInvalid;
        }
        if (context.State.Contains(MethodologyKey(m.Id)))
        {
            return CarbonErrors.CarbonMethodologyExists;
        }
        context.State.Set(MethodologyKey(m.Id), Canonical.Encode(new MethodologyRecord(m, signer.Org, context.Height)));
        context.Emit(CarbonEvents.MethodologyRegistered, new("methodology", m.Id), new("org", signer.Org), new("verifier", m.VerifierOrg),
            new("schema", m.SchemaRef), new("periods", Text(m.Periods)));
        return Outcome.Ok;
    }

    /// <summary>The position of field <paramref name="name"/> among the schema's additive fields (the order of summary sums), or -1.</summary>
    private static int AdditiveIndex(Core.Telemetry.TelemetrySchema schema, string name) =>
        Array.FindIndex(schema.AdditiveFields(), i => schema.Fields[i].Name == name);

    private Outcome DoClaim(TxContext context, ClaimPayload p)
    {
        if (ReadMethodology(context.State, p.Methodology)?.Methodology is not { } m)
        {
            return CarbonErrors.CarbonMethodologyNotFound;
        }
        if (p.Period >= m.Periods)
        {
            return CarbonErrors.CarbonPeriodInvalid;
        }
        if (p.Note.Length > 0)
        {
            return ErrorCodes.InvalidArgument;
        }
        if (context.Timestamp < m.EndMs(p.Period) + SettlementMs)
        {
            return CarbonErrors.CarbonPeriodOpen;
        }
        if (devices.Find(context.State, p.Vehicle) is not { } vehicle)
        {
            return DevicesErrors.DeviceNotFound;
        }
        if (vehicle.Status == DeviceStatus.Revoked)
        {
            return DevicesErrors.DeviceRevoked;
        }
        var key = ClaimKey(m.Id, p.Vehicle, p.Period);
        if (context.State.Contains(key))
        {
            return CarbonErrors.CarbonAlreadyClaimed;
        }
        // The custodian is the organisation whose node anchored the vehicle's readings last.
        var custodianOrg = telemetry.CustodianOrgOf(context.State, p.Vehicle);
        if (custodianOrg is null)
        {
            return CarbonErrors.CarbonNothingToCredit;
        }
        if (context.SignerMembership is not { } signer || signer.Org != custodianOrg || !signer.Has(Roles.Admin | Roles.Operator))
        {
            return CarbonErrors.CarbonNotCustodian;
        }
        var baseline = m.BaselineFor(MetadataValue(vehicle, "class"));
        var grid = m.GridFactorFor(MetadataValue(vehicle, "region"), p.Period);
        if (baseline is null || grid is null)
        {
            return CarbonErrors.CarbonNotEligible;
        }
        var outcome = SumPeriod(context, m, p.Vehicle, p.Period, out var totals);
        if (!outcome.Succeeded)
        {
            return outcome;
        }
        var grams = Credit(baseline.Value, totals.Metres, grid.Value, totals.EnergyWh);
        if (grams == 0)
        {
            return CarbonErrors.CarbonNothingToCredit;
        }
        var claim = new ClaimRecord(m.Id, p.Vehicle, p.Period, vehicle.Owner, custodianOrg, context.Signer, context.Tx.Id, context.Height,
            totals.Readings, totals.Flagged, totals.Metres, totals.EnergyWh, baseline.Value, grid.Value, grams,
            ClaimStatus.Pending, default, 0, string.Empty);
        context.State.Set(key, Canonical.Encode(claim));
        context.Emit(CarbonEvents.Claimed, new("methodology", m.Id), new("vehicle", p.Vehicle.ToString()), new("period", Text(p.Period)),
            new("grams", Text(grams)), new("km", Text(totals.Metres / 1000)), new("custodian", custodianOrg));
        return Outcome.Ok;
    }

    private readonly record struct PeriodTotals(ulong Readings, ulong Flagged, long Metres, long EnergyWh);

    /// <summary>
    /// The vehicle's clean distance and energy over the period's days. Refused when a device-level
    /// flag (duplicate stream, impossible travel) marks any day, or when every reading was flagged.
    /// </summary>
    private Outcome SumPeriod(TxContext context, Methodology m, Address vehicle, ushort period, out PeriodTotals totals)
    {
        var state = context.State;
        totals = default;
        var schema = telemetry.Schema(state, m.Schema, m.SchemaVersion)!.Schema;
        int distance = AdditiveIndex(schema, Methodology.DistanceField), energy = AdditiveIndex(schema, Methodology.EnergyField);
        var first = m.FirstDay(period);
        for (var day = first; day < first + m.PeriodDays; day++)
        {
            context.Gas.Steps(1);
            if (telemetry.Day(state, vehicle, m.SchemaRef, day) is not { } d)
            {
                continue;
            }
            if (d.HasDeviceLevelFlag())
            {
                return CarbonErrors.CarbonDataFlagged;
            }
            totals = new PeriodTotals(
                checked(totals.Readings + d.Count), checked(totals.Flagged + d.Flagged),
                checked(totals.Metres + d.CleanSum(distance)), checked(totals.EnergyWh + d.CleanSum(energy)));
        }
        if (totals.Readings == 0)
        {
            return CarbonErrors.CarbonNothingToCredit;
        }
        return totals.Flagged == totals.Readings ? CarbonErrors.CarbonDataFlagged : Outcome.Ok;
    }

    /// <summary>
    /// max(0, baseline × distance − grid × energy) in whole grams, rounded down. g/km × m and
    /// g/kWh × Wh are both milligrams, so the difference is exact before the one division.
    /// </summary>
    public static ulong Credit(uint baselineGramsPerKm, long metres, uint gridGramsPerKwh, long energyWh)
    {
        var milligrams = ((Int128)baselineGramsPerKm * Math.Max(0, metres)) - ((Int128)gridGramsPerKwh * Math.Max(0, energyWh));
        return milligrams <= 0 ? 0 : (ulong)(milligrams / 1000);
    }

    private static string? MetadataValue(DeviceRecord device, string key) => Array.Find(device.Metadata, e => e.Key == key).Value;

    private Outcome Decide(TxContext context, ClaimPayload p, bool issue)
    {
        if (ReadMethodology(context.State, p.Methodology) is not { } record)
        {
            return CarbonErrors.CarbonMethodologyNotFound;
        }
        if (!Identifiers.IsText(p.Note, ClaimPayload.MaxNoteLength) || (!issue && p.Note.Length == 0))
        {
            return ErrorCodes.InvalidArgument;
        }
        if (ReadClaim(context.State, p.Methodology, p.Vehicle, p.Period) is not { } claim)
        {
            return CarbonErrors.CarbonClaimNotFound;
        }
        // An auditor of the verifier organisation, which is never the custodian that claimed.
        if (context.SignerMembership is not { } signer || signer.Org != record.Methodology.VerifierOrg || !signer.Has(Roles.Auditor) ||
            signer.Org == claim.CustodianOrg)
        {
            return CarbonErrors.CarbonNotVerifier;
        }
        if (claim.Status != ClaimStatus.Pending)
        {
            return CarbonErrors.CarbonClaimDecided;
        }
        var decided = claim with
        {
            Status = issue ? ClaimStatus.Issued : ClaimStatus.Rejected,
            Decider = context.Signer,
            DecisionHeight = context.Height,
            Note = p.Note,
        };
        context.State.Set(ClaimKey(p.Methodology, p.Vehicle, p.Period), Canonical.Encode(decided));
        if (!issue)
        {
            context.Emit(CarbonEvents.Rejected, new("methodology", claim.Methodology), new("vehicle", claim.Vehicle.ToString()),
                new("period", Text(claim.Period)), new("verifier", signer.Org), new("reason", p.Note));
            return Outcome.Ok;
        }
        return IssueCredits(context, record, decided, signer.Org);
    }

    private Outcome IssueCredits(TxContext context, MethodologyRecord record, ClaimRecord claim, string verifierOrg)
    {
        var symbol = claim.Symbol;
        var credit = ReadCredit(context.State, symbol);
        if (credit is null)
        {
            var created = tokens.CreateIssued(context, symbol, record.Org,
                $"{record.Methodology.Name}, vintage {claim.Period} (t CO2e)", CreditDecimals);
            if (!created.Succeeded)
            {
                return created;
            }
            credit = new CreditRecord(claim.Methodology, claim.Period, UInt128.Zero, UInt128.Zero);
        }
        var issued = tokens.Issue(context, symbol, claim.Owner, claim.Grams);
        if (!issued.Succeeded)
        {
            return issued;
        }
        context.State.Set(CreditKey(symbol), Canonical.Encode(credit with { Issued = credit.Issued + claim.Grams }));
        context.Emit(CarbonEvents.Issued, new("methodology", claim.Methodology), new("vehicle", claim.Vehicle.ToString()),
            new("period", Text(claim.Period)), new("symbol", symbol), new("grams", Text(claim.Grams)), new("owner", claim.Owner.ToString()),
            new("verifier", verifierOrg), new("claim", claim.ClaimTx.ToString()));
        return Outcome.Ok;
    }

    private Outcome DoRetire(TxContext context, RetirePayload p)
    {
        if (ReadCredit(context.State, p.Symbol) is not { } credit)
        {
            return CarbonErrors.CarbonNotACredit;
        }
        if (!Identifiers.IsText(p.Beneficiary, RetirePayload.MaxBeneficiaryLength) || p.Beneficiary.Length == 0 ||
            !Identifiers.IsText(p.Reason, RetirePayload.MaxReasonLength))
        {
            return ErrorCodes.InvalidArgument;
        }
        if (p.Amount == UInt128.Zero)
        {
            return TokensErrors.AmountZero;
        }
        if (TokensModule.ReadBalance(context.State, p.Symbol, context.Signer) < p.Amount)
        {
            return CarbonErrors.RetireExceedsBalance;
        }
        var burned = tokens.Destroy(context, p.Symbol, context.Signer, p.Amount);
        if (!burned.Succeeded)
        {
            return burned;
        }
        var number = Counters.Next(context.State, RetirementCountKey);
        context.State.Set(RetirementKey(number), Canonical.Encode(new RetirementRecord(
            number, p.Symbol, p.Amount, context.Signer, p.Beneficiary, p.Reason, context.Tx.Id, context.Height, context.Timestamp)));
        context.State.Set(CreditKey(p.Symbol), Canonical.Encode(credit with { Retired = credit.Retired + p.Amount }));
        context.Emit(CarbonEvents.Retired, new("number", Text(number)), new("symbol", p.Symbol), new("grams", TokensModule.Text(p.Amount)),
            new("holder", context.Signer.ToString()), new("beneficiary", p.Beneficiary));
        return Outcome.Ok;
    }

    /// <summary>Grams of credit as tonnes CO₂e, e.g. 40490 → "0.04049".</summary>
    public static string Tonnes(UInt128 grams) =>
        $"{(grams / 1_000_000).ToString(CultureInfo.InvariantCulture)}.{(grams % 1_000_000).ToString("D6", CultureInfo.InvariantCulture).TrimEnd('0').PadRight(3, '0')}";

    private static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
