using System.Buffers.Binary;
using System.Collections;
using System.Globalization;
using System.Reflection;

namespace ThingLedger.Execution;

/// <summary>
/// What a module stores under a key prefix, so that its state can be shown decoded (the CLI's
/// <c>state get</c>, the API's <c>/v1/state</c>) instead of as hex. A module lists its kinds in
/// <see cref="IModule.StateRecords"/>; the longest prefix that matches a key names its kind.
/// </summary>
public sealed class StateRecordType
{
    private readonly Func<byte[], object?> _decode;

    private StateRecordType(string prefix, string kind, Func<byte[], object?> decode)
    {
        Prefix = prefix;
        Kind = kind;
        _decode = decode;
    }

    public string Prefix { get; }

    /// <summary>What the value is, in a word or two ("token", "balance", "index entry").</summary>
    public string Kind { get; }

    /// <summary>A canonical record read with <paramref name="read"/>.</summary>
    public static StateRecordType Of<T>(string prefix, string kind, Payload.Reader<T> read) =>
        new(prefix, kind, bytes => Payload.TryDecode(bytes, read, out var value) ? value : null);

    /// <summary>A 128-bit unsigned amount, big-endian (token balances).</summary>
    public static StateRecordType Amount(string prefix, string kind) =>
        new(prefix, kind, bytes => bytes.Length == 16 ? BinaryPrimitives.ReadUInt128BigEndian(bytes) : null);

    /// <summary>A 64-bit unsigned number, big-endian (counters).</summary>
    public static StateRecordType Number(string prefix, string kind) =>
        new(prefix, kind, bytes => bytes.Length == 8 ? BinaryPrimitives.ReadUInt64BigEndian(bytes) : null);

    /// <summary>An account address, its 20 bytes.</summary>
    public static StateRecordType Account(string prefix, string kind) =>
        new(prefix, kind, bytes => bytes.Length == Core.Crypto.Address.Size ? new Core.Crypto.Address(bytes).ToString() : null);

    /// <summary>UTF-8 text (an index pointing at another key's id).</summary>
    public static StateRecordType Text(string prefix, string kind) =>
        new(prefix, kind, bytes => System.Text.Encoding.UTF8.GetString(bytes));

    /// <summary>An empty value whose key is the information (an index entry).</summary>
    public static StateRecordType Marker(string prefix, string kind) =>
        new(prefix, kind, bytes => bytes.Length == 0 ? "(present)" : null);

    /// <summary>A value only its module knows how to read (a contract's storage entry): <paramref name="decode"/> returns null for bytes that are not one.</summary>
    public static StateRecordType Decoded(string prefix, string kind, Func<byte[], object?> decode) => new(prefix, kind, decode);

    /// <summary>The value decoded, or null when it does not decode as this kind.</summary>
    public object? Decode(byte[] value) => _decode(value);
}

/// <summary>Turns a state value into named fields, by the module that owns its key.</summary>
public static class StateDescriber
{
    /// <summary>What the kernel itself stores ("core/…").</summary>
    private static readonly StateRecordType[] Kernel = [StateRecordType.Number("core/nonce/", "last nonce of the account")];

    /// <summary>The kind and fields of the value at <paramref name="key"/>, or null when no module describes that key (or the value does not decode).</summary>
    public static (string Kind, IReadOnlyList<PayloadField> Fields)? Describe(IEnumerable<IModule> modules, string key, byte[] value)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var owner = slash < 0 ? null : modules.FirstOrDefault(m => string.Equals(m.Name, key[..slash], StringComparison.Ordinal));
        var types = key.StartsWith("core/", StringComparison.Ordinal) ? Kernel : owner?.StateRecords;
        var type = types?.Where(t => key.StartsWith(t.Prefix, StringComparison.Ordinal)).MaxBy(t => t.Prefix.Length);
        if (type?.Decode(value) is not { } decoded)
        {
            return null;
        }
        return (type.Kind, Fields(decoded));
    }

    /// <summary>A record's public properties as fields, values as text; a scalar as one field "value".</summary>
    public static IReadOnlyList<PayloadField> Fields(object value)
    {
        if (IsScalar(value))
        {
            return [new PayloadField("value", Text(value))];
        }
        return [.. Properties(value.GetType()).Select(p => new PayloadField(Camel(p.Name), Text(p.GetValue(value))))];
    }

    private static IEnumerable<PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract");

    private static bool IsScalar(object value) =>
        value is string or bool or Enum or IFormattable || value.GetType().IsPrimitive || value.GetType().GetMethod(nameof(ToString), Type.EmptyTypes)?.DeclaringType == value.GetType() && !IsRecord(value.GetType());

    private static bool IsRecord(Type type) => type.GetMethod("<Clone>$") is not null;

    private static string Text(object? value, int depth = 0) => value switch
    {
        null => "",
        string s => s,
        byte[] bytes => Convert.ToHexStringLower(bytes),
        Core.Crypto.PublicKey key => key.ToHex(),
        Enum e => e.GetType().GetField(e.ToString())?.GetCustomAttribute<System.Text.Json.Serialization.JsonStringEnumMemberNameAttribute>() is { } name ? name.Name : e.ToString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(i => Text(i, depth + 1))) + "]",
        _ when depth < 3 && IsRecord(value.GetType()) => "{" + string.Join(", ", Properties(value.GetType()).Select(p => $"{Camel(p.Name)}: {Text(p.GetValue(value), depth + 1)}")) + "}",
        _ => value.ToString() ?? "",
    };

    private static string Camel(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
