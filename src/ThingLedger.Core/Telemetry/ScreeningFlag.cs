using ThingLedger.Core.Codec;

namespace ThingLedger.Core.Telemetry;

/// <summary>
/// Why a screening model flagged a reading. The numeric values are written into anchors and
/// so are part of the chain: never renumber, only add.
/// </summary>
public enum FlagCode : ushort
{
    OdometerDecrease = 1,
    SpeedImplausible = 2,
    EnergyPerKm = 3,
    SocJump = 4,
    ExportAboveRating = 5,
    ImpossibleTravel = 6,
    Outlier = 7,
    DuplicateStream = 8,
    ValueOutOfRange = 9,
    RateOfChange = 10,
    StuckValue = 11,
    LevelShift = 12,
    Drift = 13,
}

/// <summary>The stable text codes of <see cref="FlagCode"/> (as in docs/CREDITS.md).</summary>
public static class FlagCodes
{
    public const ushort MaxScore = 1_000;

    private static readonly string[] Texts =
    [
        string.Empty, "ODOMETER_DECREASE", "SPEED_IMPLAUSIBLE", "ENERGY_PER_KM", "SOC_JUMP", "EXPORT_ABOVE_RATING",
        "IMPOSSIBLE_TRAVEL", "OUTLIER", "DUPLICATE_STREAM", "VALUE_OUT_OF_RANGE", "RATE_OF_CHANGE", "STUCK_VALUE",
        "LEVEL_SHIFT", "DRIFT",
    ];

    /// <summary>How many flag codes there are: a summary carries at most one tally for each.</summary>
    public static int Count => Texts.Length - 1;

    public static bool IsKnown(FlagCode code) => (ushort)code > 0 && (ushort)code < Texts.Length;

    public static string Text(FlagCode code) => IsKnown(code) ? Texts[(ushort)code] : $"FLAG_{(ushort)code}";

    public static bool TryParse(string text, out FlagCode code)
    {
        var i = Array.IndexOf(Texts, text);
        code = (FlagCode)Math.Max(i, 0);
        return i > 0;
    }

    /// <summary>
    /// Flags that say the value cannot be true (an odometer going back, a jump faster than physics
    /// allows): such a reading does not move the device's levels, so one bad value does not make the
    /// next good one look impossible. The others (statistical, cross-device) say it is unusual.
    /// </summary>
    public static bool IsPhysical(FlagCode code) =>
        code is not (FlagCode.Outlier or FlagCode.DuplicateStream or FlagCode.StuckValue or FlagCode.LevelShift or FlagCode.Drift);

    /// <summary>Flags that condemn the device for the day, not only the reading (they suggest a cloned or fabricated stream).</summary>
    public static bool IsDeviceLevel(FlagCode code) => code is FlagCode.DuplicateStream or FlagCode.ImpossibleTravel;

    /// <summary>Whether any of <paramref name="flags"/> is device-level.</summary>
    public static bool AnyDeviceLevel(ReadOnlySpan<FlagTally> flags)
    {
        foreach (var flag in flags)
        {
            if (IsDeviceLevel(flag.Code))
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>How many readings of a summary carried one flag, and the highest score among them.</summary>
public readonly record struct FlagTally(FlagCode Code, uint Count, ushort MaxScore)
{
    public const int EncodedLength = 2 + 4 + 2;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteU16((ushort)Code);
        writer.WriteU32(Count);
        writer.WriteU16(MaxScore);
    }

    public static FlagTally Read(ref SpanReader reader) => new((FlagCode)reader.ReadU16(), reader.ReadU32(), reader.ReadU16());

    /// <summary>Size of a tally list as <see cref="WriteList"/> writes it.</summary>
    public static int ListLength(FlagTally[] flags) => CanonicalSizes.VarUInt((ulong)flags.Length) + (flags.Length * EncodedLength);

    /// <summary>A tally list: varint count ‖ tallies.</summary>
    public static void WriteList(ref SpanWriter writer, FlagTally[] flags)
    {
        writer.WriteVarUInt((ulong)flags.Length);
        foreach (var flag in flags)
        {
            flag.Write(ref writer);
        }
    }

    /// <summary>A list written by <see cref="WriteList"/>, of at most <paramref name="max"/> tallies.</summary>
    public static FlagTally[] ReadList(ref SpanReader reader, int max)
    {
        var flags = new FlagTally[reader.ReadCount(max)];
        for (var i = 0; i < flags.Length && reader.Ok; i++)
        {
            flags[i] = Read(ref reader);
        }
        return reader.Ok ? flags : [];
    }
}

/// <summary>One flag a screening model raised on one reading: why, and how sure (0–1000).</summary>
public readonly record struct ReadingFlag(FlagCode Code, ushort Score);

/// <summary>
/// What screening said about one reading: the model that looked at it ("id@version", empty when
/// none did) and its flags in ascending code order (empty when the reading is clean).
/// </summary>
public sealed record ReadingScreen(string Model, ReadingFlag[] Flags)
{
    public static ReadingScreen None { get; } = new(string.Empty, []);

    public bool IsFlagged => Flags.Length > 0;

    /// <summary>How many bytes <see cref="WriteFlags"/> writes for <paramref name="flags"/>.</summary>
    public static int FlagsLength(ReadingFlag[] flags) => CanonicalSizes.VarUInt((ulong)flags.Length) + (flags.Length * 4);

    /// <summary>The flags as the reading store keeps them: varint count ‖ count × (u16 code ‖ u16 score).</summary>
    public static void WriteFlags(ref SpanWriter writer, ReadingFlag[] flags)
    {
        writer.WriteVarUInt((ulong)flags.Length);
        foreach (var flag in flags)
        {
            writer.WriteU16((ushort)flag.Code);
            writer.WriteU16(flag.Score);
        }
    }

    /// <summary>Flags written by <see cref="WriteFlags"/>; the reader fails when the bytes are not that.</summary>
    public static ReadingFlag[] ReadFlags(ref SpanReader reader)
    {
        var count = reader.ReadCount(DeviceSummary.MaxFlags);
        if (count == 0)
        {
            return [];
        }
        var flags = new ReadingFlag[count];
        for (var i = 0; i < flags.Length && reader.Ok; i++)
        {
            flags[i] = new ReadingFlag((FlagCode)reader.ReadU16(), reader.ReadU16());
        }
        return flags;
    }

    /// <summary>Flags written alone by <see cref="WriteFlags"/>, or null when the bytes are not exactly that.</summary>
    public static ReadingFlag[]? DecodeFlags(byte[] bytes)
    {
        var reader = new SpanReader(bytes);
        var flags = ReadFlags(ref reader);
        return reader.Ok && reader.Remaining == 0 ? flags : null;
    }
}
