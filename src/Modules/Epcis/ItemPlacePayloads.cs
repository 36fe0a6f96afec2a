using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Execution.Modules.Epcis;

/// <summary>
/// Stored at epcis/location/{sgln path}: a location an organisation registered (docs/EPCIS.md
/// "Locations, borders and customs") — the organisation, its country (ISO 3166-1 alpha-2) and
/// where it is, in millionths of a degree.
/// </summary>
public sealed record LocationRecord(string Org, string Country, int LatE6, int LonE6) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Org) + CanonicalSizes.String(Country) + 4 + 4;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Org);
        writer.WriteString(Country);
        writer.WriteU32(unchecked((uint)LatE6));
        writer.WriteU32(unchecked((uint)LonE6));
    }

    public static LocationRecord Read(ref SpanReader reader) =>
        new(reader.ReadString(64), reader.ReadString(2), unchecked((int)reader.ReadU32()), unchecked((int)reader.ReadU32()));
}

/// <summary>Payload of epcis "location": registers (or moves) a location of the signer's organisation.</summary>
public sealed record EpcisLocationPayload(string Location, string Country, int LatE6, int LonE6) : ICanonical
{
    public int EncodedLength => CanonicalSizes.String(Location) + CanonicalSizes.String(Country) + 4 + 4;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteString(Location);
        writer.WriteString(Country);
        writer.WriteU32(unchecked((uint)LatE6));
        writer.WriteU32(unchecked((uint)LonE6));
    }

    public static EpcisLocationPayload Read(ref SpanReader reader) =>
        new(reader.ReadString(EpcisEventRecord.MaxIdBytes), reader.ReadString(8), unchecked((int)reader.ReadU32()), unchecked((int)reader.ReadU32()));
}

/// <summary>
/// Stored at epcis/customs/{item}/{country}: a customs declaration for an item entering a country
/// and its clearance — the event and organisation of each (the clearance's hash is zero until cleared).
/// </summary>
public sealed record CustomsRecord(Hash Declared, string DeclaredBy, ulong DeclaredMs, Hash Cleared, string ClearedBy, ulong ClearedMs) : ICanonical
{
    public bool IsCleared => ClearedBy.Length > 0;

    public int EncodedLength => Hash.Size + CanonicalSizes.String(DeclaredBy) + 8 + Hash.Size + CanonicalSizes.String(ClearedBy) + 8;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteHash(Declared);
        writer.WriteString(DeclaredBy);
        writer.WriteU64(DeclaredMs);
        writer.WriteHash(Cleared);
        writer.WriteString(ClearedBy);
        writer.WriteU64(ClearedMs);
    }

    public static CustomsRecord Read(ref SpanReader reader) =>
        new(reader.ReadHash(), reader.ReadString(64), reader.ReadU64(), reader.ReadHash(), reader.ReadString(64), reader.ReadU64());
}

/// <summary>Stored at epcis/inspection/{item}: the item's last inspection by an organisation holding the inspection role — its result (conformant or not), event, organisation and time.</summary>
public sealed record InspectionRecord(bool Conformant, Hash Event, string Org, ulong TimeMs) : ICanonical
{
    public int EncodedLength => 1 + Hash.Size + CanonicalSizes.String(Org) + 8;

    public void Write(ref SpanWriter writer)
    {
        writer.WriteBool(Conformant);
        writer.WriteHash(Event);
        writer.WriteString(Org);
        writer.WriteU64(TimeMs);
    }

    public static InspectionRecord Read(ref SpanReader reader) => new(reader.ReadBool(), reader.ReadHash(), reader.ReadString(64), reader.ReadU64());
}

/// <summary>
/// Where things are, in integer arithmetic so every node computes the same: the distance between
/// two registered locations and the speed an item would have needed between two events.
/// </summary>
public static class ItemPlaces
{
    /// <summary>The business step of a customs declaration (ThingLedger's CBV extension).</summary>
    public const string Declaring = "urn:thingledger:epcis:bizstep:declaring";

    /// <summary>The business step of a customs clearance.</summary>
    public const string Clearing = "urn:thingledger:epcis:bizstep:clearing";

    /// <summary>Faster than this between two places is not travel but a second item with the same serial.</summary>
    public const long MaxKmPerHour = 1_000;

    /// <summary>Metres per millionth of a degree of latitude (a degree is 111.195 km on the IUGG mean radius, 6,371.0088 km).</summary>
    private const long MetresPerDegree = 111_195;

    /// <summary>cos(d°) × 10⁶ for d = 0 … 90.</summary>
    private static readonly int[] Cosine =
    [
        1000000, 999848, 999391, 998630, 997564, 996195, 994522, 992546, 990268, 987688, 984808, 981627, 978148, 974370, 970296, 965926, 961262, 956305, 951057, 945519,
        939693, 933580, 927184, 920505, 913545, 906308, 898794, 891007, 882948, 874620, 866025, 857167, 848048, 838671, 829038, 819152, 809017, 798636, 788011, 777146,
        766044, 754710, 743145, 731354, 719340, 707107, 694658, 681998, 669131, 656059, 642788, 629320, 615661, 601815, 587785, 573576, 559193, 544639, 529919, 515038,
        500000, 484810, 469472, 453990, 438371, 422618, 406737, 390731, 374607, 358368, 342020, 325568, 309017, 292372, 275637, 258819, 241922, 224951, 207912, 190809,
        173648, 156434, 139173, 121869, 104528, 87156, 69756, 52336, 34899, 17452, 0,
    ];

    public static bool IsCountry(string code) => code.Length == 2 && char.IsAsciiLetterUpper(code[0]) && char.IsAsciiLetterUpper(code[1]);

    public static bool IsPosition(int latE6, int lonE6) => latE6 is >= -90_000_000 and <= 90_000_000 && lonE6 is >= -180_000_000 and <= 180_000_000;

    /// <summary>
    /// The distance in metres, on the equirectangular approximation at the mean latitude (within
    /// about 1 % of the great-circle distance below 1,000 km, the range where speed matters).
    /// </summary>
    public static long DistanceMetres(LocationRecord a, LocationRecord b)
    {
        long dLat = b.LatE6 - a.LatE6;
        long dLon = b.LonE6 - a.LonE6;
        if (dLon > 180_000_000)
        {
            dLon -= 360_000_000;
        }
        else if (dLon < -180_000_000)
        {
            dLon += 360_000_000;
        }
        var x = dLon * CosineE6(Math.Abs(((long)a.LatE6 + b.LatE6) / 2)) / 1_000_000;
        var microdegrees = IntegerSqrt((UInt128)(x * x) + (UInt128)(dLat * dLat));
        return (long)(microdegrees * MetresPerDegree / 1_000_000);
    }

    /// <summary>cos of a latitude in millionths of a degree (0 … 90°), × 10⁶, interpolated between whole degrees.</summary>
    private static long CosineE6(long latE6)
    {
        var degree = (int)Math.Min(89, latE6 / 1_000_000);
        var fraction = latE6 - (degree * 1_000_000L);
        return Cosine[degree] + ((Cosine[degree + 1] - Cosine[degree]) * fraction / 1_000_000);
    }

    private static ulong IntegerSqrt(UInt128 n)
    {
        if (n == 0)
        {
            return 0;
        }
        var x = (UInt128)Math.Sqrt((double)n);
        // Correct the floating estimate to the exact floor, so every platform agrees.
        while (x * x > n)
        {
            x--;
        }
        while ((x + 1) * (x + 1) <= n)
        {
            x++;
        }
        return (ulong)x;
    }
}
