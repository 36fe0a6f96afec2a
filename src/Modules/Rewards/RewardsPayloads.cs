using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Telemetry;

namespace ThingLedger.Execution.Modules.Rewards;

/// <summary>
/// Payload of rewards "create": a programme paying its organisation's token from a budget
/// escrowed at creation. Rules with a zero amount are off. Per-unit pays
/// <see cref="PerUnit"/> for every <see cref="UnitSize"/> of the clean sum of
/// <see cref="UnitField"/> (e.g. distance_km at scale 3 with unit 1000 = per km) of enrolled
/// devices reporting <see cref="Schema"/>; per-clean-summary pays for each anchored summary
/// without any flag. Caps apply per receiving account per period of <see cref="PeriodDays"/>.
/// </summary>
public sealed record Programme(
    string Id, string Token, UInt128 Budget, ushort PeriodDays, UInt128 CapPerPeriod, string Schema, ushort SchemaVersion, string UnitField,
    long UnitSize, UInt128 PerUnit, UInt128 PerCleanSummary, UInt128 Onboarding, UInt128 Referral) : ICanonical
{
    public int EncodedLength =>
        CanonicalSizes.String(Id) + CanonicalSizes.String(Token) + 16 + 2 + 16 + CanonicalSizes.String(Schema) + 2 + CanonicalSizes.String(UnitField) +
        8 + (4 * 16);

    public string SchemaRef => $"{Schema}@{SchemaVersion}";

    /// <summary>Shape only; the token, schema and field are checked against state by the module.</summary>
    public bool IsValid() =>
        Identifiers.IsOrgId(Id) && Identifiers.IsSymbol(Token) && Budget > UInt128.Zero && PeriodDays is > 0 and <= 366 && CapPerPeriod > UInt128.Zero &&
        (PerUnit == UInt128.Zero || (UnitSize > 0 && Identifiers.IsOrgId(Schema) && SchemaVersion > 0 && UnitField.Length > 0)) &&
        (PerUnit | PerCleanSummary | Onboarding | Referral) != UInt128.Zero;

    public uint PeriodOf(ulong timestampMs) => DeviceSummary.DayOf(timestampMs) / PeriodDays;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Id);
        writer.WriteString(Token);
        writer.WriteU128(Budget);
        writer.WriteU16(PeriodDays);
        writer.WriteU128(CapPerPeriod);
        writer.WriteString(Schema);
        writer.WriteU16(SchemaVersion);
        writer.WriteString(UnitField);
        writer.WriteU64((ulong)UnitSize);
        writer.WriteU128(PerUnit);
        writer.WriteU128(PerCleanSummary);
        writer.WriteU128(Onboarding);
        writer.WriteU128(Referral);
    }

    public static Programme Read(ref SpanReader reader) => new(
        reader.ReadString(32), reader.ReadString(16), reader.ReadU128(), reader.ReadU16(), reader.ReadU128(), reader.ReadString(TelemetrySchema.MaxIdBytes),
        reader.ReadU16(), reader.ReadString(SchemaField.MaxNameBytes), (long)reader.ReadU64(), reader.ReadU128(), reader.ReadU128(), reader.ReadU128(), reader.ReadU128());
}

/// <summary>Stored at rewards/programme/{id}: the programme, its organisation, and how much it has paid.</summary>
public sealed record ProgrammeRecord(Programme Programme, string Org, Address Creator, ulong Height, UInt128 Paid) : ICanonical
{
    public int EncodedLength => Programme.EncodedLength + CanonicalSizes.String(Org) + Address.Size + 8 + 16;

    public void Write(ref SpanWriter writer)
    {
        Programme.Write(ref writer);
        writer.WriteString(Org);
        writer.WriteAddress(Creator);
        writer.WriteU64(Height);
        writer.WriteU128(Paid);
    }

    public static ProgrammeRecord Read(ref SpanReader reader) =>
        new(Programme.Read(ref reader), reader.ReadString(64), reader.ReadAddress(), reader.ReadU64(), reader.ReadU128());
}

/// <summary>Payload of rewards "enrol" and "claim-onboarding": a device of the signer in a programme.</summary>
public sealed record ProgrammeDevicePayload(string Programme, Address Device) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Programme) + Address.Size;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Programme);
        writer.WriteAddress(Device);
    }

    public static ProgrammeDevicePayload Read(ref SpanReader reader) => new(reader.ReadString(32), reader.ReadAddress());
}

/// <summary>Payload of rewards "refer": the signer, owner of <see cref="Device"/>, names who referred them.</summary>
public sealed record ReferPayload(string Programme, Address Referrer, Address Device) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Programme) + Address.Size + Address.Size;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Programme);
        writer.WriteAddress(Referrer);
        writer.WriteAddress(Device);
    }

    public static ReferPayload Read(ref SpanReader reader) => new(reader.ReadString(32), reader.ReadAddress(), reader.ReadAddress());
}

/// <summary>Stored at rewards/enrolled/{device}: the programmes a device's data is shared with, at most <see cref="Max"/>.</summary>
public sealed record EnrolmentsRecord(string[] Programmes) : ICanonical
{
    public const int Max = 8;

    public int EncodedLength => CanonicalSizes.VarUInt((ulong)Programmes.Length) + Programmes.Sum(CanonicalSizes.String);

    public void Write(ref SpanWriter writer)
    {
        writer.WriteVarUInt((ulong)Programmes.Length);
        foreach (var p in Programmes)
        {
            writer.WriteString(p);
        }
    }

    public static EnrolmentsRecord Read(ref SpanReader reader)
    {
        var programmes = new string[reader.ReadCount(Max)];
        for (var i = 0; i < programmes.Length && reader.Ok; i++)
        {
            programmes[i] = reader.ReadString(32);
        }
        return new EnrolmentsRecord(programmes);
    }
}
