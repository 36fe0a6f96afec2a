using System.Globalization;
using System.Text.Json.Serialization;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;

namespace ThingLedger.Execution.Modules.Contracts;

/// <summary>The value types of the contract ABI (docs/CONTRACTS.md "Values"). Stored on chain: never renumber.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ContractType>))]
public enum ContractType : byte
{
    [JsonStringEnumMemberName("bool")]
    Bool = 1,
    [JsonStringEnumMemberName("u32")]
    U32 = 2,
    [JsonStringEnumMemberName("u64")]
    U64 = 3,
    [JsonStringEnumMemberName("i64")]
    I64 = 4,
    [JsonStringEnumMemberName("u128")]
    U128 = 5,
    [JsonStringEnumMemberName("string")]
    String = 6,
    [JsonStringEnumMemberName("bytes")]
    Bytes = 7,
    [JsonStringEnumMemberName("address")]
    Address = 8,
}

/// <summary>
/// The canonical encoding of contract arguments, results and event data, and the rules for names
/// in a contract's metadata. A value list is the values one after another in declared order, with
/// nothing after the last: bool one byte 0 or 1; u32, u64, u128 big-endian of 4, 8, 16 bytes; i64
/// big-endian two's complement; string and bytes a minimal LEB128 length then the bytes (strings
/// UTF-8); address its 20 bytes.
/// </summary>
public static class ContractAbi
{
    /// <summary>The import module every host function lives in; a new ABI version is a new module name.</summary>
    public const string HostModule = "thingledger_v1";

    public const int Version = 1;

    public const int MaxMethods = 64;
    public const int MaxEvents = 64;

    /// <summary>The most events the receipt of a contract call holds (each call's contracts/called counts).</summary>
    public const int MaxReceiptEvents = 64;
    public const int MaxParams = 16;
    public const int MaxDescription = 256;

    /// <summary>The longest string or bytes value in an argument list, a result or an event.</summary>
    public const int MaxValueBytes = 16 * 1024;

    /// <summary>Attribute names a contract event field may not take: the module's own attributes of contracts/event.</summary>
    public static readonly IReadOnlySet<string> ReservedFields = new HashSet<string>(StringComparer.Ordinal) { "contract", "address", "event" };

    public static string Name(ContractType type) => type switch
    {
        ContractType.Bool => "bool",
        ContractType.U32 => "u32",
        ContractType.U64 => "u64",
        ContractType.I64 => "i64",
        ContractType.U128 => "u128",
        ContractType.String => "string",
        ContractType.Bytes => "bytes",
        ContractType.Address => "address",
        _ => $"unknown ({(byte)type})",
    };

    public static bool TryParseType(string? text, out ContractType type)
    {
        foreach (var candidate in Enum.GetValues<ContractType>())
        {
            if (Name(candidate) == text)
            {
                type = candidate;
                return true;
            }
        }
        type = default;
        return false;
    }

    /// <summary>Method, event and field names: 1–32 of a-z, 0-9 and '_', starting with a letter (what a WebAssembly export of any language can be named).</summary>
    public static bool IsMemberName(string? value)
    {
        if (value is not { Length: >= 1 and <= 32 } || !char.IsAsciiLetterLower(value[0]))
        {
            return false;
        }
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The attribute name an event field is emitted under: an address field '@' + its name, so it feeds the address index.</summary>
    public static string AttributeOf(ContractParam field) => field.Type == ContractType.Address ? "@" + field.Name : field.Name;

    /// <summary>The topic of a contracts/event attribute beyond the fixed ones, from its name (<see cref="AttributeOf"/>); null for a name no field can have.</summary>
    public static Topic? TopicOfField(string key) =>
        key.StartsWith('@') && IsMemberName(key[1..]) ? Topic.Address
        : IsMemberName(key) && !ReservedFields.Contains(key) ? Topic.None
        : null;

    /// <summary>Decodes <paramref name="bytes"/> as values of <paramref name="types"/> and renders each as text (numbers in decimal, true/false, 0x-hex bytes, tl… addresses); false if they do not decode exactly.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, IReadOnlyList<ContractType> types, out string[] values)
    {
        var reader = new SpanReader(bytes);
        values = new string[types.Count];
        for (var i = 0; i < types.Count && reader.Ok; i++)
        {
            values[i] = Read(ref reader, types[i]);
        }
        return reader.Finish() == CodecError.None;
    }

    private static string Read(ref SpanReader reader, ContractType type)
    {
        switch (type)
        {
            case ContractType.Bool:
                return reader.ReadBool() ? "true" : "false";
            case ContractType.U32:
                return reader.ReadU32().ToString(CultureInfo.InvariantCulture);
            case ContractType.U64:
                return reader.ReadU64().ToString(CultureInfo.InvariantCulture);
            case ContractType.I64:
                return ((long)reader.ReadU64()).ToString(CultureInfo.InvariantCulture);
            case ContractType.U128:
                return reader.ReadU128().ToString(CultureInfo.InvariantCulture);
            case ContractType.String:
                return reader.ReadString(MaxValueBytes);
            case ContractType.Bytes:
                return "0x" + Convert.ToHexStringLower(reader.ReadBytes(MaxValueBytes));
            case ContractType.Address:
                return reader.ReadAddress().ToString();
            default:
                reader.Fail(CodecError.InvalidValue);
                return string.Empty;
        }
    }

    /// <summary>
    /// Encodes values given as text (as <see cref="TryDecode"/> renders them: decimal numbers, true/false,
    /// 0x-hex bytes, tl… addresses) as <paramref name="types"/>.
    /// </summary>
    /// <exception cref="FormatException">A count that does not match, or a value that is not its type's text; the message names which.</exception>
    public static byte[] Encode(IReadOnlyList<ContractType> types, IReadOnlyList<string> values, IReadOnlyList<string>? names = null)
    {
        if (types.Count != values.Count)
        {
            throw new FormatException($"expected {types.Count} value(s) ({string.Join(", ", types.Select((t, i) => names is null ? Name(t) : $"{names[i]}: {Name(t)}"))}), got {values.Count}");
        }
        var parts = new List<byte[]>(types.Count);
        for (var i = 0; i < types.Count; i++)
        {
            var label = names is null ? $"value {i + 1}" : names[i];
            parts.Add(EncodeOne(types[i], values[i], label));
        }
        return [.. parts.SelectMany(p => p)];
    }

    private static byte[] EncodeOne(ContractType type, string text, string label)
    {
        FormatException Bad(string what) => new($"{label}: '{text}' is not {what}");
        switch (type)
        {
            case ContractType.Bool:
                return text switch { "true" => [1], "false" => [0], _ => throw Bad("true or false") };
            case ContractType.U32:
                return uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var u32) ? Fixed((ref SpanWriter w) => w.WriteU32(u32), 4) : throw Bad("a u32 (0–4294967295)");
            case ContractType.U64:
                return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var u64) ? Fixed((ref SpanWriter w) => w.WriteU64(u64), 8) : throw Bad("a u64");
            case ContractType.I64:
                return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i64) ? Fixed((ref SpanWriter w) => w.WriteU64((ulong)i64), 8) : throw Bad("an i64");
            case ContractType.U128:
                return UInt128.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var u128) ? Fixed((ref SpanWriter w) => w.WriteU128(u128), 16) : throw Bad("a u128");
            case ContractType.String:
                var utf8 = System.Text.Encoding.UTF8.GetByteCount(text);
                return utf8 <= MaxValueBytes ? Fixed((ref SpanWriter w) => w.WriteString(text), CanonicalSizes.String(text)) : throw Bad($"a string of at most {MaxValueBytes} bytes");
            case ContractType.Bytes:
                var hex = text.StartsWith("0x", StringComparison.Ordinal) ? text[2..] : text;
                return Hex.TryDecode(hex, out var bytes) && bytes.Length <= MaxValueBytes
                    ? Fixed((ref SpanWriter w) => w.WriteBytes(bytes), CanonicalSizes.Bytes(bytes.Length)) : throw Bad("hex bytes");
            case ContractType.Address:
                return Address.TryParse(text, out var address) ? address.ToArray() : throw Bad("an address (tl…)");
            default:
                throw Bad($"a value of a known type ({(byte)type})");
        }
    }

    private delegate void Writes(ref SpanWriter writer);

    private static byte[] Fixed(Writes write, int size)
    {
        var bytes = new byte[size];
        var writer = new SpanWriter(bytes);
        write(ref writer);
        return bytes;
    }

    /// <summary>A u128 from 16 big-endian bytes (the ABI's token amounts).</summary>
    public static UInt128 U128(ReadOnlySpan<byte> bytes) => System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes);
}
