using System.Text.Json.Serialization;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Telemetry;

namespace ThingLedger.Execution.Modules.Carbon;

/// <summary>The baseline a vehicle class is credited against: grams of CO₂ per km of the vehicles it displaces.</summary>
public sealed record Baseline(string VehicleClass, uint GramsPerKm) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(VehicleClass) + 4;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(VehicleClass);
        writer.WriteU32(GramsPerKm);
    }

    public static Baseline Read(ref SpanReader reader) => new(reader.ReadString(64), reader.ReadU32());
}

/// <summary>The grid's emission factor in a region from crediting period <see cref="FromPeriod"/> on, until a later entry for the region.</summary>
public sealed record GridFactor(string Region, ushort FromPeriod, uint GramsPerKwh) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Region) + 2 + 4;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Region);
        writer.WriteU16(FromPeriod);
        writer.WriteU32(GramsPerKwh);
    }

    public static GridFactor Read(ref SpanReader reader) => new(reader.ReadString(64), reader.ReadU16(), reader.ReadU32());
}

/// <summary>
/// Payload of carbon "register-methodology": how credits are computed for electric vehicles.
/// Period <c>p</c> covers the UTC days <c>StartDay + p × PeriodDays</c> up to, not including,
/// <c>StartDay + (p + 1) × PeriodDays</c>; credits of period p are the token <c>C{Id}{p}</c>.
/// </summary>
public sealed record Methodology(
    string Id, string Name, string Schema, ushort SchemaVersion, Baseline[] Baselines, GridFactor[] GridFactors,
    uint StartDay, ushort PeriodDays, ushort Periods, string VerifierOrg) : ICanonical
{
    public const int MaxBaselines = 32;
    public const int MaxGridFactors = 64;
    public const ushort MaxPeriodDays = 366;
    public const ushort MaxPeriods = 1_000;

    /// <summary>The additive fields a methodology reads: driven distance (metres at scale 3) and energy drawn (Wh at scale 3).</summary>
    public const string DistanceField = "distance_km";
    public const string EnergyField = "energy_kwh";

    public int EncodedLength =>
        CanonicalSizes.String(Id) + CanonicalSizes.String(Name) + CanonicalSizes.String(Schema) + 2 +
        CanonicalList.Length(Baselines) + CanonicalList.Length(GridFactors) + 4 + 2 + 2 + CanonicalSizes.String(VerifierOrg);

    public string SchemaRef => $"{Schema}@{SchemaVersion}";

    /// <summary>Id: 2–8 capital letters, so the credit symbols <c>C{Id}{period}</c> are valid and unambiguous.</summary>
    public static bool IsId(string? id) => id is { Length: >= 2 and <= 8 } && id.All(char.IsAsciiLetterUpper);

    public static string CreditSymbol(string id, ushort period) => $"C{id}{period}";

    public uint FirstDay(ushort period) => StartDay + ((uint)period * PeriodDays);

    /// <summary>The block time (ms) from which period <paramref name="period"/> counts as over.</summary>
    public ulong EndMs(ushort period) => (ulong)(FirstDay(period) + PeriodDays) * DeviceSummary.DayMs;

    public bool IsValid()
    {
        if (!IsId(Id) || !Identifiers.IsText(Name, 128) || Name.Length == 0 || !Identifiers.IsOrgId(VerifierOrg) ||
            PeriodDays is 0 or > MaxPeriodDays || Periods is 0 or > MaxPeriods ||
            Baselines.Length is 0 or > MaxBaselines || GridFactors.Length is 0 or > MaxGridFactors ||
            (ulong)StartDay + ((ulong)Periods * PeriodDays) > uint.MaxValue)
        {
            return false;
        }
        for (var i = 0; i < Baselines.Length; i++)
        {
            if (!Identifiers.IsLabel(Baselines[i].VehicleClass) || Baselines[i].GramsPerKm == 0 ||
                (i > 0 && string.CompareOrdinal(Baselines[i - 1].VehicleClass, Baselines[i].VehicleClass) >= 0))
            {
                return false;
            }
        }
        for (var i = 0; i < GridFactors.Length; i++)
        {
            var f = GridFactors[i];
            if (!Identifiers.IsLabel(f.Region) || f.FromPeriod >= Periods || (i > 0 && !Ascending(GridFactors[i - 1], f)))
            {
                return false;
            }
        }
        return true;
    }

    private static bool Ascending(GridFactor a, GridFactor b)
    {
        var byRegion = string.CompareOrdinal(a.Region, b.Region);
        return byRegion < 0 || (byRegion == 0 && a.FromPeriod < b.FromPeriod);
    }

    public uint? BaselineFor(string? vehicleClass) => Array.Find(Baselines, b => b.VehicleClass == vehicleClass)?.GramsPerKm;

    /// <summary>The factor of the latest entry for <paramref name="region"/> that starts at or before <paramref name="period"/>.</summary>
    public uint? GridFactorFor(string? region, ushort period) =>
        Array.FindLast(GridFactors, f => f.Region == region && f.FromPeriod <= period)?.GramsPerKwh;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Id);
        writer.WriteString(Name);
        writer.WriteString(Schema);
        writer.WriteU16(SchemaVersion);
        CanonicalList.Write(ref writer, Baselines);
        CanonicalList.Write(ref writer, GridFactors);
        writer.WriteU32(StartDay);
        writer.WriteU16(PeriodDays);
        writer.WriteU16(Periods);
        writer.WriteString(VerifierOrg);
    }

    public static Methodology Read(ref SpanReader reader) => new(
        reader.ReadString(32), reader.ReadString(512), reader.ReadString(TelemetrySchema.MaxIdBytes), reader.ReadU16(),
        CanonicalList.Read(ref reader, MaxBaselines, Baseline.Read), CanonicalList.Read(ref reader, MaxGridFactors, GridFactor.Read),
        reader.ReadU32(), reader.ReadU16(), reader.ReadU16(), reader.ReadString(64));
}

/// <summary>Stored at carbon/methodology/{id}: the methodology and the organisation that registered it.</summary>
public sealed record MethodologyRecord(Methodology Methodology, string Org, ulong Height) : ICanonical
{
    public int EncodedLength => Methodology.EncodedLength + CanonicalSizes.String(Org) + 8;

    public void Write(ref SpanWriter writer)
    {
        Methodology.Write(ref writer);
        writer.WriteString(Org);
        writer.WriteU64(Height);
    }

    public static MethodologyRecord Read(ref SpanReader reader) => new(Methodology.Read(ref reader), reader.ReadString(64), reader.ReadU64());
}

/// <summary>Payload of carbon "claim", "verify" and "reject": one vehicle in one crediting period of a methodology, and a note (the reason of a rejection).</summary>
public sealed record ClaimPayload(string Methodology, Address Vehicle, ushort Period, string Note) : ICanonical
{
    public const int MaxNoteLength = 256;

    public int EncodedLength => CanonicalSizes.String(Methodology) + Address.Size + 2 + CanonicalSizes.String(Note);

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Methodology);
        writer.WriteAddress(Vehicle);
        writer.WriteU16(Period);
        writer.WriteString(Note);
    }

    public static ClaimPayload Read(ref SpanReader reader) =>
        new(reader.ReadString(32), reader.ReadAddress(), reader.ReadU16(), reader.ReadString(MaxNoteLength * 4));
}

/// <summary>Values are stored on chain: never renumber.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ClaimStatus>))]
public enum ClaimStatus : byte
{
    [JsonStringEnumMemberName("pending")]
    Pending = 0,
    [JsonStringEnumMemberName("issued")]
    Issued = 1,
    [JsonStringEnumMemberName("rejected")]
    Rejected = 2,
}

/// <summary>
/// Stored at carbon/claim/{methodology}/{vehicle}/{period}: what the custodian claimed, computed
/// by execution from the vehicle's clean day totals, and what the verifier decided. Its existence
/// makes the vehicle-period claimable once, ever.
/// </summary>
public sealed record ClaimRecord(
    string Methodology, Address Vehicle, ushort Period, Address Owner, string CustodianOrg, Address Claimant, Hash ClaimTx, ulong ClaimHeight,
    ulong Readings, ulong FlaggedReadings, long Metres, long EnergyWh, uint BaselineGramsPerKm, uint GridGramsPerKwh, ulong Grams,
    ClaimStatus Status, Address Decider, ulong DecisionHeight, string Note) : ICanonical
{
    public int EncodedLength =>
        CanonicalSizes.String(Methodology) + Address.Size + 2 + Address.Size + CanonicalSizes.String(CustodianOrg) + Address.Size + Hash.Size + 8 +
        8 + 8 + 8 + 8 + 4 + 4 + 8 + 1 + Address.Size + 8 + CanonicalSizes.String(Note);

    public string Symbol => Carbon.Methodology.CreditSymbol(Methodology, Period);

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Methodology);
        writer.WriteAddress(Vehicle);
        writer.WriteU16(Period);
        writer.WriteAddress(Owner);
        writer.WriteString(CustodianOrg);
        writer.WriteAddress(Claimant);
        writer.WriteHash(ClaimTx);
        writer.WriteU64(ClaimHeight);
        writer.WriteU64(Readings);
        writer.WriteU64(FlaggedReadings);
        writer.WriteU64((ulong)Metres);
        writer.WriteU64((ulong)EnergyWh);
        writer.WriteU32(BaselineGramsPerKm);
        writer.WriteU32(GridGramsPerKwh);
        writer.WriteU64(Grams);
        writer.WriteU8((byte)Status);
        writer.WriteAddress(Decider);
        writer.WriteU64(DecisionHeight);
        writer.WriteString(Note);
    }

    public static ClaimRecord Read(ref SpanReader reader) => new(
        reader.ReadString(32), reader.ReadAddress(), reader.ReadU16(), reader.ReadAddress(), reader.ReadString(64), reader.ReadAddress(),
        reader.ReadHash(), reader.ReadU64(), reader.ReadU64(), reader.ReadU64(), (long)reader.ReadU64(), (long)reader.ReadU64(),
        reader.ReadU32(), reader.ReadU32(), reader.ReadU64(), (ClaimStatus)reader.ReadU8(), reader.ReadAddress(), reader.ReadU64(),
        reader.ReadString(ClaimPayload.MaxNoteLength * 4));
}

/// <summary>Stored at carbon/credit/{symbol}: which methodology and vintage a credit token is, and how much was issued and retired.</summary>
public sealed record CreditRecord(string Methodology, ushort Vintage, UInt128 Issued, UInt128 Retired) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Methodology) + 2 + 16 + 16;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Methodology);
        writer.WriteU16(Vintage);
        writer.WriteU128(Issued);
        writer.WriteU128(Retired);
    }

    public static CreditRecord Read(ref SpanReader reader) => new(reader.ReadString(32), reader.ReadU16(), reader.ReadU128(), reader.ReadU128());
}

/// <summary>Payload of carbon "retire": burns an amount (grams) of the signer's credits for a beneficiary, with a reason.</summary>
public sealed record RetirePayload(string Symbol, UInt128 Amount, string Beneficiary, string Reason) : ICanonical
{
    public const int MaxBeneficiaryLength = 128;
    public const int MaxReasonLength = 256;

    public int EncodedLength => CanonicalSizes.String(Symbol) + 16 + CanonicalSizes.String(Beneficiary) + CanonicalSizes.String(Reason);

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Symbol);
        writer.WriteU128(Amount);
        writer.WriteString(Beneficiary);
        writer.WriteString(Reason);
    }

    public static RetirePayload Read(ref SpanReader reader) =>
        new(reader.ReadString(16), reader.ReadU128(), reader.ReadString(MaxBeneficiaryLength * 4), reader.ReadString(MaxReasonLength * 4));
}

/// <summary>Stored at carbon/retirement/{n}: a public, permanent record of credits taken out of circulation.</summary>
public sealed record RetirementRecord(ulong Number, string Symbol, UInt128 Amount, Address Holder, string Beneficiary, string Reason, Hash Tx, ulong Height, ulong Timestamp) : ICanonical
{
    public int EncodedLength =>
        8 + CanonicalSizes.String(Symbol) + 16 + Address.Size + CanonicalSizes.String(Beneficiary) + CanonicalSizes.String(Reason) + Hash.Size + 8 + 8;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU64(Number);
        writer.WriteString(Symbol);
        writer.WriteU128(Amount);
        writer.WriteAddress(Holder);
        writer.WriteString(Beneficiary);
        writer.WriteString(Reason);
        writer.WriteHash(Tx);
        writer.WriteU64(Height);
        writer.WriteU64(Timestamp);
    }

    public static RetirementRecord Read(ref SpanReader reader) => new(
        reader.ReadU64(), reader.ReadString(16), reader.ReadU128(), reader.ReadAddress(), reader.ReadString(RetirePayload.MaxBeneficiaryLength * 4),
        reader.ReadString(RetirePayload.MaxReasonLength * 4), reader.ReadHash(), reader.ReadU64(), reader.ReadU64());
}
