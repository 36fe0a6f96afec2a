using ThingLedger.Core;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.State;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Devices;
using F = ThingLedger.Execution.PayloadField;

namespace ThingLedger.Execution.Modules.Telemetry;

/// <summary>
/// Telemetry on chain: schemas registered by organisations, and anchors committed by custodians
/// (the validator nodes in force, which ingest readings off-chain; a validator added by a
/// membership change becomes a custodian when its epoch starts, a removed one stops). An anchor is accepted only
/// if it continues its custodian's ingest range without gap or overlap and every device's
/// sequence range starts after what was anchored for it before, so no reading counts twice.
/// </summary>
public sealed class TelemetryModule(IDeviceRegistry devices) : IModule, ITelemetryRecords
{
    private readonly List<ISummaryObserver> _observers = [];

    /// <summary>Tells <paramref name="observer"/> of every summary applied from now on, after those registered before it.</summary>
    public void Observe(ISummaryObserver observer) => _observers.Add(observer);

    public const string ModuleName = TelemetryNames.ModuleName;
    public const string RegisterSchema = TelemetryNames.RegisterSchema;
    public const string Anchor = TelemetryNames.Anchor;
    public const string RegisterModel = TelemetryNames.RegisterModel;

    public string Name => ModuleName;

    public ModuleErrors Errors { get; } = ModuleErrors.Of(typeof(TelemetryErrors));

    public IReadOnlyList<EventType> Events => TelemetryEvents.All;

    public IReadOnlyList<StateRecordType> StateRecords { get; } =
    [
        StateRecordType.Of(SchemasPrefix, "schema", SchemaRecord.Read),
        StateRecordType.Of(ModelsPrefix, "screening model", ModelRecord.Read),
        StateRecordType.Of(ModelParametersPrefix, "screening model parameters", ScreeningModelConfig.Read),
        StateRecordType.Of(ActiveModelsPrefix, "schema's screening model", ActiveModelRecord.Read),
        StateRecordType.Of("telemetry/custodian/", "custodian", CustodianRecord.Read),
        StateRecordType.Of("telemetry/device/", "device telemetry", DeviceTelemetryRecord.Read),
        StateRecordType.Of("telemetry/totals/", "totals", TotalsRecord.Read),
        StateRecordType.Of("telemetry/day/", "day totals", DayTotalsRecord.Read),
    ];

    public OperationTable Operations => _operations ??= new OperationTable()
        .Add(RegisterSchema, TelemetrySchema.Read, DoRegister, static p =>
            [F.Text("schema", p.Ref), .. p.Fields.Select(f => F.Text("field " + f.Name,
                $"{f.Unit}, {TelemetrySchema.FormatValue(f.Min, f.Decimals)} to {TelemetrySchema.FormatValue(f.Max, f.Decimals)}{(f.Additive ? ", additive" : string.Empty)}"))],
            Access.Members)
        .Add(Anchor, AnchorPayload.Read, DoAnchor, static p =>
            [F.Text("root", p.Root.ToString()), F.Number("readings", p.Count),
             F.Text("measured", $"{F.Time(p.FromTime)} to {F.Time(p.ToTime)}"), F.Text("ingest numbers", $"{p.FirstIngest} to {p.LastIngest}"),
             F.Number("devices", p.Summaries.Length),
             .. p.Historic.Select(h => new F($"historic import {h.FirstIngest}–{h.LastIngest}", $"{h.Count} readings, authorised by {h.Operator}", $"/accounts/{h.Operator}")),
             .. p.Summaries.Take(20).Select(s => new F("device " + s.Device, $"{s.SchemaRef}: {s.Count} readings, seq {s.FirstSequence} to {s.LastSequence}", $"/devices/{s.Device}"))])
        .Add(RegisterModel, ModelRegistration.Read, DoRegisterModel, static p =>
            [F.Text("model", p.Name), F.Text("schema", $"{p.Schema}@{p.SchemaVersion}"), F.Text("parameters hash", p.ParametersHash.ToString()),
             .. (p.Parameters is { } bytes && ScreeningModelConfig.Decode(bytes) is { } config
                ? config.Rules.Select((r, i) => F.Text($"rule {i + 1}", $"{FlagCodes.Text(r.Code)}: {r.Describe()}"))
                : [F.Text("parameters", p.Parameters is null ? "not on chain (a built-in model)" : "not a screening model's bytes")])], Access.Members);

    private OperationTable? _operations;

    public const string SchemasPrefix = "telemetry/schema/";
    public static string SchemaKey(string id, ushort version) => $"{SchemasPrefix}{id}@{version}";
    public const string ModelsPrefix = "telemetry/model/";
    public static string ModelKey(string name) => $"{ModelsPrefix}{name}";
    public const string ModelParametersPrefix = "telemetry/model-parameters/";
    public static string ModelParametersKey(string name) => $"{ModelParametersPrefix}{name}";
    public const string ActiveModelsPrefix = "telemetry/screening/";
    public static string ActiveModelKey(string schemaRef) => $"{ActiveModelsPrefix}{schemaRef}";
    public static string CustodianKey(Address custodian) => $"telemetry/custodian/{custodian}";
    public static string DeviceKey(Address device) => $"telemetry/device/{device}";
    public static string TotalsKey(Address device, string schemaRef) => $"telemetry/totals/{device}/{schemaRef}";
    public static string DayKey(Address device, string schemaRef, uint day) => $"telemetry/day/{device}/{schemaRef}/{day:D6}";

    public static SchemaRecord? ReadSchema(IStateReader state, string id, ushort version) =>
        Payload.Get(state, SchemaKey(id, version), SchemaRecord.Read);

    public static ModelRecord? ReadModel(IStateReader state, string name) =>
        Payload.Get(state, ModelKey(name), ModelRecord.Read);

    /// <summary>A model's parameters when they were registered on chain (null for a registration by hash alone).</summary>
    public static ScreeningModelConfig? ReadModelParameters(IStateReader state, string name) =>
        Payload.Get(state, ModelParametersKey(name), ScreeningModelConfig.Read);

    /// <summary>The model registered to screen a schema's readings, if one was.</summary>
    public static ActiveModelRecord? ReadActiveModel(IStateReader state, string schemaRef) =>
        Payload.Get(state, ActiveModelKey(schemaRef), ActiveModelRecord.Read);

    public static CustodianRecord? ReadCustodian(IStateReader state, Address custodian) =>
        Payload.Get(state, CustodianKey(custodian), CustodianRecord.Read);

    public static DeviceTelemetryRecord? ReadDevice(IStateReader state, Address device) =>
        Payload.Get(state, DeviceKey(device), DeviceTelemetryRecord.Read);

    public static TotalsRecord? ReadTotals(IStateReader state, Address device, string schemaRef) =>
        Payload.Get(state, TotalsKey(device, schemaRef), TotalsRecord.Read);

    SchemaRecord? ITelemetryRecords.Schema(IStateReader state, string id, ushort version) => ReadSchema(state, id, version);

    DayTotalsRecord? ITelemetryRecords.Day(IStateReader state, Address device, string schemaRef, uint day) => ReadDay(state, device, schemaRef, day);

    string? ITelemetryRecords.CustodianOrgOf(IStateReader state, Address device) =>
        ReadDevice(state, device) is { } anchored ? ReadCustodian(state, anchored.Custodian)?.Org : null;

    public static DayTotalsRecord? ReadDay(IStateReader state, Address device, string schemaRef, uint day) =>
        Payload.Get(state, DayKey(device, schemaRef, day), DayTotalsRecord.Read);

    public void InitGenesis(Genesis genesis, StateView state)
    {
        foreach (var validator in genesis.Validators)
        {
            state.Set(CustodianKey(validator.PublicKey.ToAddress()), Canonical.Encode(new CustodianRecord(validator.Org, 0, Hash.Zero, 0)));
        }
    }


    private static Outcome DoRegister(TxContext context, TelemetrySchema schema)
    {
        if (context.SignerMembership is not { } signer || !signer.Has(Roles.Admin | Roles.DeviceManager))
        {
            return ErrorCodes.Unauthorised;
        }
        if (!schema.IsValid())
        {
            return TelemetryErrors.SchemaInvalid;
        }
        var key = SchemaKey(schema.Id, schema.Version);
        if (context.State.Contains(key))
        {
            return TelemetryErrors.SchemaExists;
        }
        context.State.Set(key, Canonical.Encode(new SchemaRecord(schema, signer.Org, context.Height)));
        context.Emit(TelemetryEvents.SchemaRegistered, new("schema", schema.Ref), new("org", signer.Org), new("fields", schema.Fields.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return Outcome.Ok;
    }

    private static Outcome DoRegisterModel(TxContext context, ModelRegistration model)
    {
        if (context.SignerMembership is not { } signer || !signer.Has(Roles.Admin))
        {
            return ErrorCodes.Unauthorised;
        }
        if (!model.IsValid())
        {
            return TelemetryErrors.ModelInvalid;
        }
        if (ReadSchema(context.State, model.Schema, model.SchemaVersion) is not { } schema)
        {
            return TelemetryErrors.SchemaNotFound;
        }
        var key = ModelKey(model.Name);
        if (context.State.Contains(key))
        {
            return TelemetryErrors.ModelExists;
        }
        ScreeningModelConfig? config = null;
        if (model.Parameters is { } parameters)
        {
            config = ScreeningModelConfig.Decode(parameters);
            var problem = config is null ? "the parameters are not a screening model's canonical bytes (docs/SCREENING.md, \"The registry\")"
                : Hash.Sha256(parameters) != model.ParametersHash ? $"the parameters hash to {Hash.Sha256(parameters)}, not the {model.ParametersHash} the registration names"
                : config.Name != model.Name || config.Schema != model.Schema || config.SchemaVersion != model.SchemaVersion
                    ? $"the parameters are of {config.Name} for {config.SchemaRef}, not {model.Name} for {model.Schema}@{model.SchemaVersion}"
                : config.Problem(schema.Schema);
            if (problem is not null)
            {
                return Outcome.Because(TelemetryErrors.ModelInvalid, TelemetryEvents.ModelRefused, new("model", model.Name), new("reason", problem));
            }
        }
        // Since version-2 txs: a model's later versions are its owner's, in sequence.
        if (context.Tx.IsMetered && model.Version > 1)
        {
            if (ReadModel(context.State, $"{model.Id}@{model.Version - 1}") is not { } previous)
            {
                return Outcome.Because(TelemetryErrors.ModelVersionGap, TelemetryEvents.ModelRefused, new("model", model.Name),
                    new("reason", $"{model.Id}@{model.Version - 1} is not registered: versions follow one another"));
            }
            if (previous.Org != signer.Org)
            {
                return Outcome.Because(TelemetryErrors.ModelNotOwner, TelemetryEvents.ModelRefused, new("model", model.Name),
                    new("reason", $"{model.Id} is {previous.Org}'s model: only {previous.Org} registers its next version"));
            }
        }
        context.State.Set(key, Canonical.Encode(new ModelRecord(model, signer.Org, context.Height)));
        context.Emit(TelemetryEvents.ModelRegistered, new("model", model.Name), new("schema", $"{model.Schema}@{model.SchemaVersion}"),
            new("org", signer.Org), new("parameters", model.ParametersHash.ToString()));
        if (config is not null)
        {
            context.State.Set(ModelParametersKey(model.Name), model.Parameters!);
            // The schema's screening model: the first registered for it, then whatever the schema's
            // owner or that model's owner registers for it.
            var schemaRef = schema.Schema.Ref;
            var active = ReadActiveModel(context.State, schemaRef);
            var activeOwner = active is null ? null : ReadModel(context.State, active.Model)?.Org;
            if (active is null || activeOwner == signer.Org || schema.Org == signer.Org)
            {
                context.State.Set(ActiveModelKey(schemaRef), Canonical.Encode(new ActiveModelRecord(model.Name, signer.Org, context.Height)));
                context.Emit(TelemetryEvents.ScreeningChanged, new("schema", schemaRef), new("model", model.Name), new("org", signer.Org));
            }
        }
        return Outcome.Ok;
    }

    private Outcome DoAnchor(TxContext context, AnchorPayload anchor)
    {
        var org = context.Validators.OrgOf(context.Tx.Signer);
        if (org is null)
        {
            return TelemetryErrors.NotCustodian;
        }
        var custodian = ReadCustodian(context.State, context.Signer) ?? new CustodianRecord(org, 0, Hash.Zero, 0);
        if (anchor.Count == 0 || anchor.Summaries.Length == 0 || anchor.FromTime > anchor.ToTime ||
            anchor.FirstIngest != custodian.LastIngest + 1 || anchor.LastIngest < anchor.FirstIngest ||
            anchor.LastIngest - anchor.FirstIngest + 1 != anchor.Count || !anchor.HistoricConsistent())
        {
            return TelemetryErrors.AnchorInvalid;
        }
        ulong total = 0;
        for (var i = 0; i < anchor.Summaries.Length; i++)
        {
            var s = anchor.Summaries[i];
            if (i > 0 && !InOrder(anchor.Summaries[i - 1], s))
            {
                return TelemetryErrors.AnchorInvalid;
            }
            var outcome = ApplySummary(context, s);
            if (!outcome.Succeeded)
            {
                return outcome;
            }
            foreach (var observer in _observers)
            {
                using var owned = context.State.Own(observer.Name);
                observer.OnSummary(context, s);
            }
            total += s.Count;
        }
        if (total != anchor.Count)
        {
            return TelemetryErrors.AnchorInvalid;
        }
        context.State.Set(CustodianKey(context.Signer), Canonical.Encode(custodian with
        {
            LastIngest = anchor.LastIngest,
            LastAnchorTx = context.Tx.Id,
            Anchors = custodian.Anchors + 1,
        }));
        // A historic import is the custodian's own operators' call, checked by its node when the
        // readings arrived. The chain records who made it and whether that key is an operator or
        // admin of the custodian's org now; it never refuses the anchor for it, since a member
        // removed between upload and anchor would otherwise stop the custodian's anchoring for good.
        foreach (var historic in anchor.Historic)
        {
            var authorised = context.Members.Find(context.State, historic.Operator, context.Height) is { } member && member.Org == custodian.Org &&
                member.Has(Roles.Operator | Roles.Admin);
            context.Emit(TelemetryEvents.HistoricImported, new("custodian", custodian.Org), new("operator", historic.Operator.ToString()),
                new("readings", historic.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("authorised", authorised ? "yes" : "no"));
        }
        context.Emit(TelemetryEvents.Anchored, new("root", anchor.Root.ToString()), new("custodian", custodian.Org),
            new("readings", anchor.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("devices", anchor.Summaries.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return Outcome.Ok;
    }

    /// <summary>An unscreened summary, or one whose model is registered for the summary's schema.</summary>
    private static bool ScreenedByRegisteredModel(IStateReader state, DeviceSummary s) =>
        s.Model.Length == 0 ||
        (ReadModel(state, s.Model) is { } record && record.Model.Schema == s.Schema && record.Model.SchemaVersion == s.SchemaVersion);

    private static bool InOrder(DeviceSummary previous, DeviceSummary next)
    {
        var byDevice = previous.Device.CompareTo(next.Device);
        return byDevice < 0 || (byDevice == 0 && previous.LastSequence < next.FirstSequence);
    }

    private Outcome ApplySummary(TxContext context, DeviceSummary s)
    {
        var schema = ReadSchema(context.State, s.Schema, s.SchemaVersion)?.Schema;
        if (schema is null)
        {
            return TelemetryErrors.SchemaNotFound;
        }
        if (devices.Find(context.State, s.Device) is null)
        {
            return DevicesErrors.DeviceNotFound;
        }
        // A summary's day is its readings' day: never after the block's day plus the ingest skew.
        if (s.Count == 0 || s.FirstSequence > s.LastSequence || s.LastSequence - s.FirstSequence < s.Count - 1 ||
            s.Sums.Length != schema.AdditiveCount() || !s.FlagsConsistent() || s.Day > DeviceSummary.DayOf(context.Timestamp) + 1 ||
            (s.Levels is { } levels && (s.Flagged == s.Count || !levels.ConsistentWith(schema))) ||
            (schema.SummaryMinutes == 0 ? s.Period is not null : s.Period is not { } period || period.Minutes != schema.SummaryMinutes))
        {
            return TelemetryErrors.AnchorInvalid;
        }
        if (!ScreenedByRegisteredModel(context.State, s))
        {
            return TelemetryErrors.ModelNotFound;
        }
        var device = ReadDevice(context.State, s.Device);
        if (device is not null && s.FirstSequence <= device.LastSequence)
        {
            return TelemetryErrors.AnchorSequenceReplayed;
        }
        context.State.Set(DeviceKey(s.Device), Canonical.Encode(new DeviceTelemetryRecord(
            (device?.Count ?? 0) + s.Count, s.LastSequence, Math.Max(device?.LastTime ?? 0, context.Timestamp), context.Signer, context.Height)));
        var totals = ReadTotals(context.State, s.Device, s.SchemaRef);
        var sums = new long[s.Sums.Length];
        for (var i = 0; i < sums.Length; i++)
        {
            sums[i] = (totals?.Sums[i] ?? 0) + s.Sums[i];
        }
        context.State.Set(TotalsKey(s.Device, s.SchemaRef), Canonical.Encode(new TotalsRecord((totals?.Count ?? 0) + s.Count, sums)));
        var dayKey = DayKey(s.Device, s.SchemaRef, s.Day);
        context.State.Set(dayKey, Canonical.Encode(DayTotalsRecord.Add(Payload.Get(context.State, dayKey, DayTotalsRecord.Read), s)));
        return Outcome.Ok;
    }
}
