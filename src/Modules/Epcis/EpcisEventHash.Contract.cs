using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ThingLedger.Execution.Modules.Epcis;

/// <summary>
/// The EPCIS event hash of GS1's Core Business Vocabulary 2.0 ("EPCIS Event Hash ID"), so the
/// same event has the same hash in any implementation and in either syntax: a pre-hash string of
/// the event's fields in the standard's order, each value canonicalised (UTC times at millisecond
/// precision, numbers without trailing zeros, CBV values and GS1 keys as web URIs), lists sorted,
/// user extensions last with their namespaces spelled out; its SHA-256 is written
/// <c>ni:///sha-256;{hex}?ver=CBV2.0</c> (RFC 6920). eventID, recordTime, certificationInfo and
/// errorDeclaration are not part of it: they are set or changed after the event happened.
/// Tested against the reference vectors (docs/EPCIS.md, "Event hash").
/// </summary>
public static class EpcisEventHash
{
    public const string Version = "CBV2.0";

    internal const string CbvRoot = "https://ref.gs1.org/cbv/";
    private const string VocRoot = "https://ref.gs1.org/voc/";

    /// <summary>Fields excluded from the hash (set by the capturing system, or attached later).</summary>
    private static readonly HashSet<string> Excluded = ["eventID", "recordTime", "certificationInfo", "errorDeclaration", "@context", "type", "isA"];

    private static readonly string[] EpcLists = ["epcList", "inputEPCList", "childEPCs", "outputEPCList"];
    private static readonly string[] QuantityLists = ["quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"];

    private static readonly Order[] QuantityElement = [new("epcClass"), new("quantity"), new("uom")];
    private static readonly Order[] EpcList = [new("epc")];

    /// <summary>The standard's property order (CBV 2.0, event hash: the canonical property order).</summary>
    private static readonly Order[] EventOrder =
    [
        new("eventTime"), new("eventTimeZoneOffset"),
        new("epcList", EpcList), new("parentID"), new("inputEPCList", EpcList), new("childEPCs", EpcList),
        new("quantityList", [new("quantityElement", QuantityElement)]),
        new("childQuantityList", [new("quantityElement", QuantityElement)]),
        new("inputQuantityList", [new("quantityElement", QuantityElement)]),
        new("outputEPCList", EpcList),
        new("outputQuantityList", [new("quantityElement", QuantityElement)]),
        new("action"), new("transformationID"), new("bizStep"), new("disposition"),
        new("persistentDisposition", [new("set"), new("unset")]),
        new("readPoint", [new("id")]), new("bizLocation", [new("id")]),
        new("bizTransactionList", [new("bizTransaction", [new("type"), new("bizTransaction")], Unnamed: true)]),
        new("sourceList", [new("source", [new("type"), new("source")], Unnamed: true)]),
        new("destinationList", [new("destination", [new("type"), new("destination")], Unnamed: true)]),
        new("sensorElement",
        [
            new("sensorMetadata", [new("time"), new("startTime"), new("endTime"), new("deviceID"), new("deviceMetadata"), new("rawData"), new("dataProcessingMethod"), new("bizRules")]),
            new("sensorReport",
            [
                new("type"), new("exception"), new("deviceID"), new("deviceMetadata"), new("rawData"), new("dataProcessingMethod"), new("time"),
                new("microorganism"), new("chemicalSubstance"), new("value"), new("component"), new("stringValue"), new("booleanValue"),
                new("hexBinaryValue"), new("uriValue"), new("minValue"), new("maxValue"), new("meanValue"), new("sDev"), new("percRank"),
                new("percValue"), new("uom"), new("coordinateReferenceSystem"),
            ]),
        ]),
    ];

    /// <summary>Fields whose values are CBV vocabulary (a bare word names the standard's term), and the web URI stem of each.</summary>
    private static readonly Dictionary<(string Parent, string Field), string> Vocabulary = new()
    {
        [("", "bizStep")] = CbvRoot + "BizStep-",
        [("", "disposition")] = CbvRoot + "Disp-",
        [("persistentDisposition", "set")] = CbvRoot + "Disp-",
        [("persistentDisposition", "unset")] = CbvRoot + "Disp-",
        [("bizTransaction", "type")] = CbvRoot + "BTT-",
        [("source", "type")] = CbvRoot + "SDT-",
        [("destination", "type")] = CbvRoot + "SDT-",
        [("sensorReport", "type")] = VocRoot,
        [("sensorReport", "exception")] = VocRoot,
    };

    /// <summary>The CBV 1.x URN forms of the same terms.</summary>
    private static readonly (string Urn, string Web)[] CbvUrns =
    [
        ("urn:epcglobal:cbv:bizstep:", CbvRoot + "BizStep-"),
        ("urn:epcglobal:cbv:disp:", CbvRoot + "Disp-"),
        ("urn:epcglobal:cbv:btt:", CbvRoot + "BTT-"),
        ("urn:epcglobal:cbv:sdt:", CbvRoot + "SDT-"),
        ("urn:epcglobal:cbv:er:", CbvRoot + "ER-"),
    ];

    /// <summary>The hashes of every event of an EPCIS document, in document order.</summary>
    public static IReadOnlyList<string> HashDocument(JsonElement document)
    {
        var context = EpcisContext.Of(document);
        return [.. EventsOf(document).Select(e => Hash(PreHash(e, context)))];
    }

    /// <summary>The events of an EPCIS document (epcisBody.eventList) or of a query document (epcisBody.queryResults.resultsBody.eventList).</summary>
    public static IEnumerable<JsonElement> EventsOf(JsonElement document)
    {
        if (!document.TryGetProperty("epcisBody", out var body) || body.ValueKind != JsonValueKind.Object)
        {
            return [];
        }
        if (body.TryGetProperty("queryResults", out var results) && results.TryGetProperty("resultsBody", out var resultsBody))
        {
            body = resultsBody;
        }
        return body.TryGetProperty("eventList", out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray() : [];
    }

    /// <summary>The hash of a pre-hash string: <c>ni:///sha-256;{hex}?ver=CBV2.0</c>.</summary>
    public static string Hash(string preHash) => $"ni:///sha-256;{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(preHash)))}?ver={Version}";

    /// <summary>The 32 bytes of a hash written as <see cref="Hash"/> writes it, or null when it is not one.</summary>
    public static byte[]? Digest(string hash)
    {
        const string head = "ni:///sha-256;";
        const string tail = "?ver=" + Version;
        if (hash.Length != head.Length + 64 + tail.Length || !hash.StartsWith(head, StringComparison.Ordinal) || !hash.EndsWith(tail, StringComparison.Ordinal))
        {
            return null;
        }
        try
        {
            return Convert.FromHexString(hash.AsSpan(head.Length, 64));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The pre-hash string of one event (a JSON-LD event object), prefixes expanded by <paramref name="context"/>.</summary>
    public static string PreHash(JsonElement eventObject, EpcisContext context)
    {
        var type = eventObject.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()!.Trim() : string.Empty;
        var children = Node.Children(eventObject, context, topLevel: true);
        var text = new StringBuilder("eventType=").Append(type);
        text.Append(Ordered(children, EventOrder, string.Empty));
        text.Append(Remainder(children));
        return text.ToString();
    }

    /// <summary>The fields named by <paramref name="order"/>, in that order, each name's values sorted; what they use is marked consumed.</summary>
    private static string Ordered(List<Node> children, Order[] order, string parent)
    {
        var text = new StringBuilder();
        var values = new List<string>();
        foreach (var field in order)
        {
            values.Clear();
            foreach (var child in children)
            {
                if (child.Name != field.Name || child.Consumed)
                {
                    continue;
                }
                var value = child.Value is { } v ? Canonical(v, parent, field.Name) : null;
                var inner = field.Children is { } sub ? Ordered(child.Items, sub, field.Name) : string.Empty;
                child.ValueConsumed = true;
                if (!string.IsNullOrEmpty(value) || inner.Length > 0)
                {
                    values.Add((field.Unnamed ? string.Empty : field.Name) + (string.IsNullOrEmpty(value) ? string.Empty : "=" + value) + inner);
                }
            }
            values.Sort(string.CompareOrdinal);
            foreach (var value in values)
            {
                text.Append(value);
            }
        }
        return text.ToString();
    }

    /// <summary>What the ordered fields left (extensions, ilmd, extension fields inside standard ones), each with its children, all sorted.</summary>
    private static string Remainder(List<Node> children)
    {
        var values = new List<string>();
        foreach (var child in children)
        {
            if (child.Consumed)
            {
                continue;
            }
            var value = !child.ValueConsumed && child.Value is { } v ? Canonical(v, null, child.Name) : null;
            values.Add(child.Name + (string.IsNullOrEmpty(value) ? string.Empty : "=" + value) + Remainder(child.Items));
        }
        values.Sort(string.CompareOrdinal);
        return string.Concat(values);
    }

    /// <summary>One value canonicalised: times in the ordered fields, CBV terms, numbers, GS1 keys.</summary>
    internal static string Canonical(string raw, string? parent, string field)
    {
        var value = raw.Trim();
        if (value.Length == 0)
        {
            return value;
        }
        if (parent is not null && field is "eventTime" or "time" or "startTime" or "endTime" && Timestamp(value) is { } time)
        {
            return time;
        }
        if (parent is not null && Vocabulary.TryGetValue((parent, field), out var stem))
        {
            value = VocabularyTerm(value, stem);
        }
        foreach (var (urn, web) in CbvUrns)
        {
            if (value.StartsWith(urn, StringComparison.Ordinal))
            {
                value = web + value[urn.Length..];
            }
        }
        value = Number(value) ?? value;
        return Gs1Canonical.DigitalLink(value) ?? value;
    }

    private static string VocabularyTerm(string value, string stem)
    {
        if (value.StartsWith("cbv:", StringComparison.Ordinal))
        {
            return CbvRoot + value[4..];
        }
        if (value.StartsWith("gs1:", StringComparison.Ordinal))
        {
            return VocRoot + value[4..];
        }
        return value.Contains(':', StringComparison.Ordinal) ? value : stem + value;
    }

    /// <summary>An xsd:dateTimeStamp in UTC at millisecond precision, the third decimal rounded up by a fourth of 5–9; null when not a timestamp.</summary>
    public static string? Timestamp(string value)
    {
        if (value.Length < 20 || value[10] != 'T')
        {
            return null;
        }
        var dot = value.IndexOf('.', StringComparison.Ordinal);
        var zone = value.AsSpan(Math.Max(dot, 19)).IndexOfAny('Z', '+', '-');
        if (zone < 0)
        {
            return null;
        }
        zone += Math.Max(dot, 19);
        var fraction = dot > 0 && dot < zone ? value[(dot + 1)..zone] : string.Empty;
        var whole = dot > 0 && dot < zone ? value[..dot] + value[zone..] : value;
        if (!fraction.All(char.IsAsciiDigit) ||
            !DateTimeOffset.TryParseExact(whole, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss'Z'"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return null;
        }
        var milliseconds = fraction.Length == 0 ? 0 : int.Parse(fraction.PadRight(3, '0')[..3], CultureInfo.InvariantCulture);
        if (fraction.Length > 3 && fraction[3] >= '5')
        {
            milliseconds++;
        }
        return parsed.ToUniversalTime().AddMilliseconds(milliseconds).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>A decimal number without leading "+", leading zeros or trailing zeros (1.0 is 1, 0.50 is 0.5); null when not a number.</summary>
    public static string? Number(string value)
    {
        if (!LooksNumeric(value) || !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
        {
            return null;
        }
        if (number == Math.Floor(number))
        {
            return new BigInteger(number).ToString(CultureInfo.InvariantCulture);
        }
        var text = number.ToString("R", CultureInfo.InvariantCulture);
        return text.Replace("E", "e", StringComparison.Ordinal);
    }

    private static bool LooksNumeric(string value)
    {
        var i = value.Length > 0 && value[0] is '+' or '-' ? 1 : 0;
        var digits = 0;
        var dot = false;
        for (; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsAsciiDigit(c))
            {
                digits++;
            }
            else if (c == '.' && !dot)
            {
                dot = true;
            }
            else if (c is 'e' or 'E' && digits > 0)
            {
                var rest = value.AsSpan(i + 1);
                rest = rest.Length > 0 && rest[0] is '+' or '-' ? rest[1..] : rest;
                return rest.Length > 0 && rest.IndexOfAnyExceptInRange('0', '9') < 0;
            }
            else
            {
                return false;
            }
        }
        return digits > 0;
    }

    /// <summary>A field in the order, its children's order, and whether it is a list entry written by its children alone (a typed id: type=…source=…).</summary>
    private sealed record Order(string Name, Order[]? Children = null, bool Unnamed = false);

    /// <summary>One field of the event as the hash sees it: a name (namespaced for extensions), a value or children.</summary>
    private sealed class Node(string name, string? value, List<Node> items)
    {
        public string Name { get; } = name;

        public string? Value { get; } = value;

        public List<Node> Items { get; } = items;

        /// <summary>Its value went into the ordered part.</summary>
        public bool ValueConsumed { get; set; }

        /// <summary>Nothing of it is left for the remainder.</summary>
        public bool Consumed => (ValueConsumed || Value is null) && Items.TrueForAll(i => i.Consumed);

        public static List<Node> Children(JsonElement element, EpcisContext context, bool topLevel = false)
        {
            var nodes = new List<Node>();
            foreach (var property in element.EnumerateObject())
            {
                if ((topLevel && Excluded.Contains(property.Name)) || property.Name.StartsWith('@') || property.Name == "#text")
                {
                    continue;
                }
                var name = context.Expand(property.Name);
                var value = property.Value;
                if (topLevel && property.Name == "sensorElementList" && value.ValueKind == JsonValueKind.Array)
                {
                    // Each sensor element stands on its own, as in the XML binding.
                    nodes.AddRange(value.EnumerateArray().Select(e => Of("sensorElement", e, context)));
                }
                else if (topLevel && (EpcLists.Contains(property.Name) || QuantityLists.Contains(property.Name)) && value.ValueKind == JsonValueKind.Array)
                {
                    var item = EpcLists.Contains(property.Name) ? "epc" : "quantityElement";
                    nodes.Add(new Node(name, null, [.. value.EnumerateArray().Select(e => Of(item, e, context))]));
                }
                else if (topLevel && property.Name is "bizTransactionList" or "sourceList" or "destinationList" && value.ValueKind == JsonValueKind.Array)
                {
                    var item = property.Name[..^4];
                    nodes.Add(new Node(name, null, [.. value.EnumerateArray().Select(e => Of(item, e, context))]));
                }
                else if (value.ValueKind == JsonValueKind.Array)
                {
                    // A repeated field: each value is a field of the same name.
                    nodes.AddRange(value.EnumerateArray().Select(e => Of(name, e, context)));
                }
                else
                {
                    nodes.Add(Of(name, value, context));
                }
            }
            return nodes;
        }

        private static Node Of(string name, JsonElement value, EpcisContext context) => value.ValueKind switch
        {
            JsonValueKind.Object => new Node(name, null, Children(value, context)),
            JsonValueKind.String => new Node(name, value.GetString(), []),
            JsonValueKind.True => new Node(name, "true", []),
            JsonValueKind.False => new Node(name, "false", []),
            JsonValueKind.Number => new Node(name, value.GetRawText(), []),
            JsonValueKind.Array => new Node(name, null, [.. value.EnumerateArray().Select(e => Of(name, e, context))]),
            _ => new Node(name, null, []),
        };
    }
}

/// <summary>
/// The prefixes an EPCIS JSON-LD document's @context defines for extension fields, with the
/// standard context's own (cbvmda, gs1, cbv); an extension field's name is written
/// <c>{namespace}localName</c>, its namespace the IRI up to a '#' (not included) or the last '/'.
/// </summary>
public sealed class EpcisContext
{
    private static readonly Dictionary<string, string> Standard = new(StringComparer.Ordinal)
    {
        ["cbvmda"] = "urn:epcglobal:cbv:mda#",
        ["gs1"] = "https://gs1.org/voc/",
        ["cbv"] = "https://ref.gs1.org/cbv/",
        ["epcis"] = "https://ref.gs1.org/epcis/",
    };

    private readonly Dictionary<string, string> _prefixes;

    private EpcisContext(Dictionary<string, string> prefixes) => _prefixes = prefixes;

    /// <summary>The standard context alone.</summary>
    public static EpcisContext Default { get; } = new(new(Standard, StringComparer.Ordinal));

    /// <summary>The context of a document: the standard prefixes, then each object in its @context in order (a later one wins).</summary>
    public static EpcisContext Of(JsonElement document)
    {
        var prefixes = new Dictionary<string, string>(Standard, StringComparer.Ordinal);
        if (document.ValueKind == JsonValueKind.Object && document.TryGetProperty("@context", out var context))
        {
            foreach (var entry in context.ValueKind == JsonValueKind.Array ? context.EnumerateArray() : Enumerable.Repeat(context, 1))
            {
                if (entry.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }
                foreach (var term in entry.EnumerateObject())
                {
                    if (term.Value.ValueKind == JsonValueKind.String && !term.Name.StartsWith('@'))
                    {
                        prefixes[term.Name] = term.Value.GetString()!;
                    }
                }
            }
        }
        return new EpcisContext(prefixes);
    }

    /// <summary>Whether <paramref name="name"/> is an extension field (a prefixed or absolute name).</summary>
    public static bool IsExtension(string name) => name.Contains(':', StringComparison.Ordinal);

    /// <summary>The prefix of an extension name that the context does not define, or null.</summary>
    public string? UndefinedPrefix(string name)
    {
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || name.AsSpan(colon).StartsWith("://"))
        {
            return null;
        }
        var prefix = name[..colon];
        return _prefixes.ContainsKey(prefix) ? null : prefix;
    }

    /// <summary>A field name as the hash writes it: a standard name as it is, an extension's as {namespace}localName.</summary>
    public string Expand(string name)
    {
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return name;
        }
        var iri = _prefixes.TryGetValue(name[..colon], out var ns) ? ns + name[(colon + 1)..] : name;
        var hash = iri.LastIndexOf('#');
        if (hash >= 0)
        {
            return "{" + iri[..hash] + "}" + iri[(hash + 1)..];
        }
        var slash = iri.LastIndexOf('/');
        return slash >= 0 ? "{" + iri[..(slash + 1)] + "}" + iri[(slash + 1)..] : "{" + iri[..(colon + 1)] + "}" + iri[(colon + 1)..];
    }
}
