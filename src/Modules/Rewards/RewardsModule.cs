using ThingLedger.Core;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.State;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Devices;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Execution.Modules.Tokens;
using F = ThingLedger.Execution.PayloadField;

namespace ThingLedger.Execution.Modules.Rewards;

/// <summary>
/// Reward programmes (docs/CREDITS.md §2). An organisation's admin creates a programme and
/// escrows its budget; device owners enrol their devices (consent to share their data). Per-unit
/// and per-clean-summary rewards are paid inside the anchor tx that carries the data, to the
/// device's owner, so every payout is in the receipt of the anchor it came from; flagged data,
/// devices flagged as duplicates or impossible travellers, and revoked devices earn nothing.
/// Onboarding and referral rewards are claimed by the owner. Caps apply per account and period;
/// nothing is paid beyond the budget.
/// </summary>
public sealed class RewardsModule(ITokenLedger tokens, IDeviceRegistry devices, ITelemetryRecords telemetry) : ISummaryObserver
{
    public const string ModuleName = RewardsNames.ModuleName;
    public const string CreateOp = RewardsNames.CreateOp;
    public const string Enrol = RewardsNames.Enrol;
    public const string ClaimOnboarding = RewardsNames.ClaimOnboarding;
    public const string Refer = RewardsNames.Refer;

    public string Name => ModuleName;

    public ModuleErrors Errors { get; } = ModuleErrors.Of(typeof(RewardsErrors));

    public IReadOnlyList<EventType> Events => RewardsEvents.All;

    public IReadOnlyList<StateRecordType> StateRecords { get; } =
    [
        StateRecordType.Of(ProgrammesPrefix, "programme", ProgrammeRecord.Read),
        StateRecordType.Of("rewards/enrolled/", "enrolments", EnrolmentsRecord.Read),
        StateRecordType.Of("rewards/carry/", "carried units", CarryRecord.Read),
        StateRecordType.Amount("rewards/paid/", "paid in the period (smallest units)"),
        StateRecordType.Account("rewards/onboarded/", "onboarding reward paid to"),
        StateRecordType.Account("rewards/referred/", "referral reward paid to"),
    ];

    public OperationTable Operations => _operations ??= new OperationTable()
        .Add(CreateOp, Programme.Read, DoCreate, static p =>
            [F.Text("programme", p.Id), F.Token(p.Token), F.Amount("budget", p.Budget, p.Token),
             F.Text("cap per period", $"{TokensModule.Text(p.CapPerPeriod)} per {p.PeriodDays} days"), F.Text("schema", p.SchemaRef),
             F.Text("per unit", p.PerUnit == UInt128.Zero ? "none" : $"{TokensModule.Text(p.PerUnit)} per {p.UnitSize} of {p.UnitField}"),
             F.Amount("per clean summary", p.PerCleanSummary, p.Token), F.Amount("onboarding", p.Onboarding, p.Token),
             F.Amount("referral", p.Referral, p.Token)], Access.Members)
        .Add(Enrol, ProgrammeDevicePayload.Read, DoEnrol, DescribeDevice)
        .Add(ClaimOnboarding, ProgrammeDevicePayload.Read, DoOnboarding, DescribeDevice)
        .Add(Refer, ReferPayload.Read, DoRefer, static p => [F.Text("programme", p.Programme), F.Account("referrer", p.Referrer), F.Device(p.Device)]);

    private static F[] DescribeDevice(ProgrammeDevicePayload p) => [F.Text("programme", p.Programme), F.Device(p.Device)];

    private OperationTable? _operations;

    public const string ProgrammesPrefix = "rewards/programme/";
    public static string ProgrammeKey(string id) => ProgrammesPrefix + id;
    public static string EnrolledKey(Address device) => $"rewards/enrolled/{device}";
    public static string CarryKey(string programme, Address device) => $"rewards/carry/{programme}/{device}";
    public static string PaidKey(string programme, Address account, uint period) => $"rewards/paid/{programme}/{account}/{period:D6}";
    public static string OnboardedKey(string programme, Address device) => $"rewards/onboarded/{programme}/{device}";
    public static string ReferredKey(string programme, Address owner) => $"rewards/referred/{programme}/{owner}";

    /// <summary>Where a programme's budget waits: an address derived from its id, whose key nobody holds.</summary>
    public static Address Escrow(string programme) => TokenLedger.ModuleAccount("thingledger/rewards/" + programme);

    public static ProgrammeRecord? ReadProgramme(IStateReader state, string id) => Payload.Get(state, ProgrammeKey(id), ProgrammeRecord.Read);

    public static string[] ReadEnrolments(IStateReader state, Address device) =>
        Payload.Get(state, EnrolledKey(device), EnrolmentsRecord.Read)?.Programmes ?? [];

    public static UInt128 PaidIn(IStateReader state, string programme, Address account, uint period) =>
        Amounts.Read(state, PaidKey(programme, account, period));

    public void InitGenesis(Genesis genesis, StateView state)
    {
    }


    private Outcome DoCreate(TxContext context, Programme p)
    {
        if (context.SignerMembership is not { } signer || !signer.Has(Roles.Admin))
        {
            return ErrorCodes.Unauthorised;
        }
        // The programme pays its own organisation's token, and per-unit rules name an additive field of a registered schema.
        if (!p.IsValid() || tokens.Find(context.State, p.Token) is not { } token || token.Org != signer.Org ||
            (p.PerUnit != UInt128.Zero && UnitIndex(context.State, p) < 0))
        {
            return RewardsErrors.ProgrammeInvalid;
        }
        if (context.State.Contains(ProgrammeKey(p.Id)))
        {
            return RewardsErrors.ProgrammeExists;
        }
        var funded = tokens.Move(context, p.Token, context.Signer, Escrow(p.Id), p.Budget);
        if (!funded.Succeeded)
        {
            return funded;
        }
        context.State.Set(ProgrammeKey(p.Id), Canonical.Encode(new ProgrammeRecord(p, signer.Org, context.Signer, context.Height, UInt128.Zero)));
        context.Emit(RewardsEvents.Created, new("programme", p.Id), new("org", signer.Org), TokenAttribute(context, p.Token), new("budget", TokensModule.Text(p.Budget)));
        return Outcome.Ok;
    }

    /// <summary>
    /// The token an event names, under "symbol" as every module's events name tokens (so the
    /// activity index and the explorer find it); version-1 txs emitted "token" and replay so.
    /// </summary>
    private static EventAttribute TokenAttribute(TxContext context, string symbol) => new(context.Tx.IsMetered ? "symbol" : "token", symbol);

    /// <summary>The position of the programme's unit field among its schema's additive fields, or -1.</summary>
    private int UnitIndex(IStateReader state, Programme p)
    {
        var schema = telemetry.Schema(state, p.Schema, p.SchemaVersion)?.Schema;
        return schema is null ? -1 : Array.FindIndex(schema.AdditiveFields(), i => schema.Fields[i].Name == p.UnitField);
    }

    /// <summary>The device, when the signer owns it and it is not revoked; otherwise null and why.</summary>
    private DeviceRecord? OwnedDevice(TxContext context, Address id, out Outcome refusal)
    {
        var device = devices.Find(context.State, id);
        refusal = device is null ? DevicesErrors.DeviceNotFound
            : device.Owner != context.Signer ? DevicesErrors.NotDeviceOwner
            : device.Status == DeviceStatus.Revoked ? DevicesErrors.DeviceRevoked
            : Outcome.Ok;
        return refusal.Succeeded ? device : null;
    }

    private Outcome DoEnrol(TxContext context, ProgrammeDevicePayload p)
    {
        if (ReadProgramme(context.State, p.Programme) is null)
        {
            return RewardsErrors.ProgrammeNotFound;
        }
        if (OwnedDevice(context, p.Device, out var refusal) is null)
        {
            return refusal;
        }
        var enrolled = ReadEnrolments(context.State, p.Device);
        if (enrolled.Contains(p.Programme))
        {
            return RewardsErrors.AlreadyEnrolled;
        }
        if (enrolled.Length >= EnrolmentsRecord.Max)
        {
            return ErrorCodes.InvalidArgument;
        }
        context.State.Set(EnrolledKey(p.Device), Canonical.Encode(new EnrolmentsRecord([.. enrolled.Append(p.Programme).Order(StringComparer.Ordinal)])));
        context.Emit(RewardsEvents.Enrolled, new("programme", p.Programme), new("device", p.Device.ToString()), new("owner", context.Signer.ToString()));
        return Outcome.Ok;
    }

    private Outcome DoOnboarding(TxContext context, ProgrammeDevicePayload p) =>
        ClaimOnce(context, p.Programme, static r => r.Onboarding, p.Device, OnboardedKey(p.Programme, p.Device), context.Signer, "onboarding");

    /// <summary>The new owner proves ownership with a device of theirs, and is referred once.</summary>
    private Outcome DoRefer(TxContext context, ReferPayload p) =>
        p.Referrer == context.Signer
            ? RewardsErrors.SelfReferral
            : ClaimOnce(context, p.Programme, static r => r.Referral, p.Device, ReferredKey(p.Programme, context.Signer), p.Referrer, "referral");

    /// <summary>
    /// A reward paid once per <paramref name="marker"/> key, all or nothing, for a device the
    /// signer owns: the programme must offer it, and the cap and budget must cover it.
    /// </summary>
    private Outcome ClaimOnce(TxContext context, string id, Func<Programme, UInt128> reward, Address device, string marker, Address payee, string reason)
    {
        if (ReadProgramme(context.State, id) is not { } record)
        {
            return RewardsErrors.ProgrammeNotFound;
        }
        var amount = reward(record.Programme);
        if (amount == UInt128.Zero)
        {
            return RewardsErrors.RewardNotOffered;
        }
        if (OwnedDevice(context, device, out var refusal) is null)
        {
            return refusal;
        }
        if (context.State.Contains(marker))
        {
            return RewardsErrors.RewardAlreadyPaid;
        }
        var paid = PayInFull(context, record, payee, amount, reason, device);
        if (paid.Succeeded)
        {
            context.State.Set(marker, payee.ToArray());
        }
        return paid;
    }

    /// <summary>A claimed reward is all or nothing: refused when the cap or the budget cannot cover it.</summary>
    private Outcome PayInFull(TxContext context, ProgrammeRecord record, Address account, UInt128 amount, string reason, Address device)
    {
        var (cap, budget) = Room(context, record, account);
        if (cap < amount)
        {
            return RewardsErrors.RewardCapReached;
        }
        if (budget < amount)
        {
            return RewardsErrors.ProgrammeBudgetExhausted;
        }
        return Pay(context, record, account, amount, reason, device);
    }

    /// <summary>What <paramref name="account"/> may still receive this period, and what is left of the budget.</summary>
    private (UInt128 Cap, UInt128 Budget) Room(TxContext context, ProgrammeRecord record, Address account)
    {
        var p = record.Programme;
        var paid = PaidIn(context.State, p.Id, account, p.PeriodOf(context.Timestamp));
        return (paid >= p.CapPerPeriod ? UInt128.Zero : p.CapPerPeriod - paid, tokens.BalanceOf(context.State, p.Token, Escrow(p.Id)));
    }

    private Outcome Pay(TxContext context, ProgrammeRecord record, Address account, UInt128 amount, string reason, Address device)
    {
        var p = record.Programme;
        var moved = tokens.Move(context, p.Token, Escrow(p.Id), account, amount);
        if (!moved.Succeeded)
        {
            return moved;
        }
        var period = p.PeriodOf(context.Timestamp);
        Amounts.Write(context.State, PaidKey(p.Id, account, period), PaidIn(context.State, p.Id, account, period) + amount);
        context.State.Set(ProgrammeKey(p.Id), Canonical.Encode(record with { Paid = record.Paid + amount }));
        context.Emit(RewardsEvents.Paid, new("programme", p.Id), new("account", account.ToString()), new("amount", TokensModule.Text(amount)),
            TokenAttribute(context, p.Token), new("reason", reason), new("device", device.ToString()));
        return Outcome.Ok;
    }

    /// <summary>Automatic rewards for one anchored summary of an enrolled device, paid to its owner as far as cap and budget allow.</summary>
    public void OnSummary(TxContext context, DeviceSummary summary)
    {
        var enrolled = ReadEnrolments(context.State, summary.Device);
        if (enrolled.Length == 0 || devices.Find(context.State, summary.Device) is not { Status: DeviceStatus.Active } device)
        {
            return;
        }
        foreach (var id in enrolled)
        {
            context.Gas.Steps(1);
            if (ReadProgramme(context.State, id) is not { } record)
            {
                continue;
            }
            if (FlagCodes.AnyDeviceLevel(summary.Flags))
            {
                context.Emit(RewardsEvents.Skipped, new("programme", id), new("device", summary.Device.ToString()), new("reason", "device-flagged"));
                continue;
            }
            var due = Due(context.State, record.Programme, summary);
            if (due == UInt128.Zero)
            {
                continue;
            }
            var (cap, budget) = Room(context, record, device.Owner);
            var amount = UInt128.Min(due, UInt128.Min(cap, budget));
            if (amount > UInt128.Zero)
            {
                // Cannot fail: the escrow holds the budget that bounds the amount.
                _ = Pay(context, record, device.Owner, amount, "data", summary.Device);
                record = ReadProgramme(context.State, id)!;
            }
            if (amount < due)
            {
                context.Emit(RewardsEvents.Skipped, new("programme", id), new("device", summary.Device.ToString()),
                    new("reason", cap <= budget ? "cap" : "budget"), new("unpaid", TokensModule.Text(due - amount)));
            }
        }
    }

    /// <summary>
    /// What one summary earns: the clean-summary amount when no reading is flagged, plus the
    /// per-unit amount for whole units of the clean field sum, carrying what is left over to the
    /// device's next summary.
    /// </summary>
    private UInt128 Due(StateView state, Programme p, DeviceSummary summary)
    {
        var due = summary.Flagged == 0 ? p.PerCleanSummary : UInt128.Zero;
        if (p.PerUnit == UInt128.Zero || summary.Schema != p.Schema || summary.SchemaVersion != p.SchemaVersion)
        {
            return due;
        }
        var index = UnitIndex(state, p);
        var clean = summary.Sums[index] - (summary.FlaggedSums.Length == 0 ? 0 : summary.FlaggedSums[index]);
        var carryKey = CarryKey(p.Id, summary.Device);
        var carried = Math.Max(0, (Payload.Get(state, carryKey, CarryRecord.Read)?.Value ?? 0) + Math.Max(0, clean));
        state.Set(carryKey, Canonical.Encode(new CarryRecord(carried % p.UnitSize)));
        return due + ((UInt128)(ulong)(carried / p.UnitSize) * p.PerUnit);
    }

    private sealed record CarryRecord(long Value) : ICanonical
    {
        public int EncodedLength => 8;

        public void Write(ref SpanWriter writer) => writer.WriteU64((ulong)Value);

        public static CarryRecord Read(ref SpanReader reader) => new((long)reader.ReadU64());
    }
}
