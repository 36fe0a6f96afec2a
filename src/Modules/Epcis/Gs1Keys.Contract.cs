using System.Text;

namespace ThingLedger.Execution.Modules.Epcis;

/// <summary>What a GS1 identifier names (docs/EPCIS.md "Identifiers").</summary>
public enum Gs1Kind
{
    /// <summary>One trade item: GTIN + serial number (AI 01 + 21), EPC <c>urn:epc:id:sgtin</c>.</summary>
    Sgtin,
    /// <summary>A lot of a trade item: GTIN + batch/lot (AI 01 + 10), EPC class <c>urn:epc:class:lgtin</c>.</summary>
    Lgtin,
    /// <summary>A logistic unit (pallet, case): SSCC (AI 00), EPC <c>urn:epc:id:sscc</c>.</summary>
    Sscc,
    /// <summary>A location: GLN, with an optional extension (AI 414 + 254), EPC <c>urn:epc:id:sgln</c>.</summary>
    Sgln,
}

/// <summary>Why a GS1 key was refused: a stable code and the reason in words.</summary>
public sealed record Gs1Error(string Code, string Message);

/// <summary>
/// A GS1 identifier: its kind, its primary key in full digits with the check digit (GTIN-14,
/// SSCC-18, GLN-13) and its qualifier (serial, lot or GLN extension; empty for an SSCC or a GLN
/// without extension). Made only by the parsers below, so every instance is valid.
/// </summary>
public sealed record Gs1Id
{
    private Gs1Id(Gs1Kind kind, string key, string qualifier)
    {
        Kind = kind;
        Key = key;
        Qualifier = qualifier;
    }

    public Gs1Kind Kind { get; }

    public string Key { get; }

    public string Qualifier { get; }

    /// <summary>The GS1 element string, e.g. (01)09506000134352(21)ABC123.</summary>
    public string ElementString => Kind switch
    {
        Gs1Kind.Sgtin => $"(01){Key}(21){Qualifier}",
        Gs1Kind.Lgtin => $"(01){Key}(10){Qualifier}",
        Gs1Kind.Sscc => $"(00){Key}",
        _ => Qualifier.Length == 0 ? $"(414){Key}" : $"(414){Key}(254){Qualifier}",
    };

    /// <summary>The mod-10 check digit of <paramref name="digits"/> (the key without its last digit): weights 3, 1, 3… from the right.</summary>
    public static int CheckDigit(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            sum += (digits[digits.Length - 1 - i] - '0') * (i % 2 == 0 ? 3 : 1);
        }
        return (10 - (sum % 10)) % 10;
    }

    /// <summary>A serialised item: a GTIN of 8, 12, 13 or 14 digits (kept as GTIN-14) and a serial of 1–20 GS1 characters.</summary>
    public static Gs1Id? Sgtin(string gtin, string serial, out Gs1Error? error) => Make(Gs1Kind.Sgtin, gtin, serial, out error);

    public static Gs1Id? Lgtin(string gtin, string lot, out Gs1Error? error) => Make(Gs1Kind.Lgtin, gtin, lot, out error);

    public static Gs1Id? Sscc(string sscc, out Gs1Error? error) => Make(Gs1Kind.Sscc, sscc, string.Empty, out error);

    public static Gs1Id? Sgln(string gln, string extension, out Gs1Error? error) => Make(Gs1Kind.Sgln, gln, extension, out error);

    private static Gs1Id? Make(Gs1Kind kind, string key, string qualifier, out Gs1Error? error)
    {
        var (name, lengths, full) = kind switch
        {
            Gs1Kind.Sgtin or Gs1Kind.Lgtin => ("GTIN", new[] { 8, 12, 13, 14 }, 14),
            Gs1Kind.Sscc => ("SSCC", new[] { 18 }, 18),
            _ => ("GLN", new[] { 13 }, 13),
        };
        error = CheckKey(name, key, lengths) ?? CheckQualifier(kind, qualifier);
        return error is null ? new Gs1Id(kind, key.PadLeft(full, '0'), qualifier) : null;
    }

    private static Gs1Error? CheckKey(string name, string key, int[] lengths)
    {
        if (!lengths.Contains(key.Length))
        {
            return new(EpcisErrors.KeyLength, $"a {name} has {string.Join(", ", lengths)} digits, not {key.Length}");
        }
        if (!key.All(char.IsAsciiDigit))
        {
            return new(EpcisErrors.KeyCharacter, $"a {name} is digits only: '{key}'");
        }
        var expected = CheckDigit(key.AsSpan(0, key.Length - 1));
        return key[^1] - '0' == expected ? null : new(EpcisErrors.CheckDigit, $"{name} {key} has check digit {key[^1]}, but its digits give {expected}");
    }

    private static Gs1Error? CheckQualifier(Gs1Kind kind, string value)
    {
        var what = kind switch { Gs1Kind.Sgtin => "serial", Gs1Kind.Lgtin => "lot", Gs1Kind.Sgln => "GLN extension", _ => null };
        if (what is null)
        {
            return value.Length == 0 ? null : new(EpcisErrors.KeyCharacter, "an SSCC has no qualifier");
        }
        if (kind == Gs1Kind.Sgln && value.Length == 0)
        {
            return null;
        }
        if (value.Length is 0 or > 20)
        {
            return new(EpcisErrors.KeyLength, $"a {what} has 1–20 characters, not {value.Length}");
        }
        var bad = value.FirstOrDefault(c => !IsCset82(c));
        return bad == default ? null : new(EpcisErrors.KeyCharacter, $"'{bad}' is not allowed in a {what} (GS1 characters: A–Z a–z 0–9 and !\"%&'()*+,-./:;<=>?_)");
    }

    /// <summary>The GS1 AI encodable character set 82.</summary>
    public static bool IsCset82(char c) => char.IsAsciiLetterOrDigit(c) || "!\"%&'()*+,-./:;<=>?_".Contains(c, StringComparison.Ordinal);

    /// <summary>An identifier given as a GS1 Digital Link URI, an EPC URN, or an element string such as (01)09506000134352(21)ABC123.</summary>
    public static Gs1Id? Parse(string text, out Gs1Error? error)
    {
        text = text.Trim();
        return text.StartsWith("urn:", StringComparison.Ordinal) ? ParseEpcUrn(text, out error)
            : text.StartsWith('(') ? ParseElementString(text, out error)
            : ParseDigitalLink(text, out error);
    }

    /// <summary>An element string of (01)+(21) an item, (01)+(10) a lot, (00) a logistic unit, or (414)[+(254)] a location.</summary>
    public static Gs1Id? ParseElementString(string text, out Gs1Error? error)
    {
        var parts = text.Split('(', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split(')', 2)).ToArray();
        if (!text.StartsWith('(') || parts.Any(p => p.Length != 2))
        {
            return Fail(new(EpcisErrors.KeyCharacter, $"'{text}' is not an element string such as (01)09506000134352(21)ABC123"), out error);
        }
        return string.Join(",", parts.Select(p => p[0])) switch
        {
            "01,21" => Sgtin(parts[0][1], parts[1][1], out error),
            "01,10" => Lgtin(parts[0][1], parts[1][1], out error),
            "00" => Sscc(parts[0][1], out error),
            "414" => Sgln(parts[0][1], string.Empty, out error),
            "414,254" => Sgln(parts[0][1], parts[1][1], out error),
            _ => Fail(new(EpcisErrors.KeyCharacter, $"'{text}': an element string names (01)+(21) an item, (01)+(10) a lot, (00) a logistic unit or (414)[+(254)] a location"), out error),
        };
    }

    /// <summary>The company prefix's length an EPC URN names (the digits before its first dot), or null for anything else.</summary>
    public static int? PrefixLengthIn(string text)
    {
        var parts = text.Trim().Split(':');
        return parts.Length == 5 && parts[0] == "urn" && parts[1] == "epc" && parts[4].IndexOf('.', StringComparison.Ordinal) is > 0 and var dot ? dot : null;
    }

    // ---- GS1 Digital Link ------------------------------------------------------------------

    /// <summary>
    /// The item's GS1 Digital Link URI on <paramref name="resolver"/> (e.g. https://id.example.com),
    /// with the primary key's AI and value and the qualifier's, values percent-encoded as RFC 3986 requires.
    /// </summary>
    public string ToDigitalLink(string resolver)
    {
        var root = resolver.TrimEnd('/');
        return Kind switch
        {
            Gs1Kind.Sgtin => $"{root}/01/{Key}/21/{Encode(Qualifier)}",
            Gs1Kind.Lgtin => $"{root}/01/{Key}/10/{Encode(Qualifier)}",
            Gs1Kind.Sscc => $"{root}/00/{Key}",
            _ => Qualifier.Length == 0 ? $"{root}/414/{Key}" : $"{root}/414/{Key}/254/{Encode(Qualifier)}",
        };
    }

    /// <summary>
    /// Parses a GS1 Digital Link URI (http or https, any resolver and path prefix): the last primary
    /// key in its path (01 GTIN, 00 SSCC, 414 GLN) with its qualifier (21 serial or 10 lot after a
    /// GTIN, 254 extension after a GLN). A query string (data attributes) is allowed and not part of the id.
    /// </summary>
    public static Gs1Id? ParseDigitalLink(string uri, out Gs1Error? error)
    {
        error = null;
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("https" or "http") || parsed.Fragment.Length > 0)
        {
            error = new(EpcisErrors.DigitalLinkInvalid, $"'{uri}' is not an http(s) URI");
            return null;
        }
        var segments = parsed.AbsolutePath.Trim('/').Split('/');
        var start = Array.FindLastIndex(segments, s => s is "01" or "00" or "414");
        if (start < 0 || start + 1 >= segments.Length)
        {
            error = new(EpcisErrors.DigitalLinkInvalid, $"'{uri}' has no primary key path (/01/<GTIN>, /00/<SSCC> or /414/<GLN>)");
            return null;
        }
        var rest = segments[(start + 2)..];
        var key = Uri.UnescapeDataString(segments[start + 1]);
        var (qualifierAi, qualifier) = rest.Length switch
        {
            0 => (null, string.Empty),
            2 => (rest[0], Uri.UnescapeDataString(rest[1])),
            _ => ("?", string.Empty),
        };
        return (segments[start], qualifierAi) switch
        {
            ("01", "21") => Sgtin(key, qualifier, out error),
            ("01", "10") => Lgtin(key, qualifier, out error),
            ("00", null) => Sscc(key, out error),
            ("414", null) => Sgln(key, string.Empty, out error),
            ("414", "254") => Sgln(key, qualifier, out error),
            ("01", null) => Fail(new(EpcisErrors.DigitalLinkInvalid, $"'{uri}' names a product, not an item or lot: add /21/<serial> or /10/<lot>"), out error),
            _ => Fail(new(EpcisErrors.DigitalLinkInvalid, $"'{uri}': after /{segments[start]}/<key> comes {(segments[start] == "414" ? "/254/<extension>" : segments[start] == "01" ? "/21/<serial> or /10/<lot>" : "nothing")}"), out error),
        };
    }

    private static Gs1Id? Fail(Gs1Error reason, out Gs1Error? error)
    {
        error = reason;
        return null;
    }

    private static string Encode(string value) => Uri.EscapeDataString(value);

    // ---- EPC URNs (GS1 Tag Data Standard, pure identity) -----------------------------------

    /// <summary>
    /// The EPC pure-identity URN. It splits the key at the GS1 company prefix, whose length (6–12
    /// digits) the key does not carry: the prefix's owner knows it (GS1's prefix lookup tells anyone).
    /// </summary>
    public string? ToEpcUrn(int companyPrefixLength, out Gs1Error? error)
    {
        error = null;
        var (capacity, offset) = Kind is Gs1Kind.Sgtin or Gs1Kind.Lgtin ? (12, 1) : Kind == Gs1Kind.Sscc ? (16, 1) : (12, 0);
        if (companyPrefixLength is < 6 or > 12 || companyPrefixLength > capacity)
        {
            error = new(EpcisErrors.PrefixLength, $"a GS1 company prefix has 6–12 digits, not {companyPrefixLength}");
            return null;
        }
        var prefix = Key.Substring(offset, companyPrefixLength);
        var reference = Key[..offset] + Key[(offset + companyPrefixLength)..^1];
        return Kind switch
        {
            Gs1Kind.Sgtin => $"urn:epc:id:sgtin:{prefix}.{reference}.{EscapeUrn(Qualifier)}",
            Gs1Kind.Lgtin => $"urn:epc:class:lgtin:{prefix}.{reference}.{EscapeUrn(Qualifier)}",
            Gs1Kind.Sscc => $"urn:epc:id:sscc:{prefix}.{reference}",
            _ => $"urn:epc:id:sgln:{prefix}.{reference}.{(Qualifier.Length == 0 ? "0" : EscapeUrn(Qualifier))}",
        };
    }

    /// <summary>Parses an EPC pure-identity URN (sgtin, sscc, sgln) or an lgtin class URN, rebuilding the key's check digit.</summary>
    public static Gs1Id? ParseEpcUrn(string urn, out Gs1Error? error)
    {
        error = null;
        var (scheme, body) = urn.StartsWith("urn:epc:id:", StringComparison.Ordinal) ? SplitScheme(urn["urn:epc:id:".Length..])
            : urn.StartsWith("urn:epc:class:", StringComparison.Ordinal) ? SplitScheme(urn["urn:epc:class:".Length..]) : (null, null);
        var parts = body?.Split('.') ?? [];
        var expected = scheme switch { "sgtin" or "lgtin" or "sgln" => 3, "sscc" => 2, _ => 0 };
        if (expected == 0 || parts.Length != expected || (scheme == "lgtin") != urn.StartsWith("urn:epc:class:", StringComparison.Ordinal) ||
            !parts[0].All(char.IsAsciiDigit) || !parts[1].All(char.IsAsciiDigit) || parts[0].Length is < 6 or > 12)
        {
            return Fail(new(EpcisErrors.UrnInvalid, $"'{urn}' is not an EPC URN of an sgtin, lgtin, sscc or sgln (company prefix of 6–12 digits, a dot, the reference)"), out error);
        }
        var (prefix, reference) = (parts[0], parts[1]);
        string? digits = scheme switch
        {
            "sgtin" or "lgtin" when prefix.Length + reference.Length == 13 => reference[..1] + prefix + reference[1..],
            "sscc" when prefix.Length + reference.Length == 17 => reference[..1] + prefix + reference[1..],
            "sgln" when prefix.Length + reference.Length == 12 => prefix + reference,
            _ => null,
        };
        if (digits is null)
        {
            return Fail(new(EpcisErrors.UrnInvalid, $"'{urn}': company prefix and reference have {prefix.Length + reference.Length} digits together, not " +
                (scheme == "sscc" ? "17" : scheme == "sgln" ? "12" : "13")), out error);
        }
        var key = digits + CheckDigit(digits);
        string? qualifier = expected == 3 ? UnescapeUrn(parts[2]) : string.Empty;
        if (qualifier is null)
        {
            return Fail(new(EpcisErrors.UrnInvalid, $"'{urn}' has a malformed %-escape"), out error);
        }
        return scheme switch
        {
            "sgtin" => Sgtin(key, qualifier, out error),
            "lgtin" => Lgtin(key, qualifier, out error),
            "sscc" => Sscc(key, out error),
            _ => Sgln(key, qualifier == "0" ? string.Empty : qualifier, out error),
        };
    }

    private static (string?, string?) SplitScheme(string rest)
    {
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0 ? (null, null) : (rest[..colon], rest[(colon + 1)..]);
    }

    /// <summary>The characters the Tag Data Standard escapes in an EPC URI component: " % &amp; / &lt; &gt; ?</summary>
    private static string EscapeUrn(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            _ = c is '"' or '%' or '&' or '/' or '<' or '>' or '?' ? text.Append('%').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture)) : text.Append(c);
        }
        return text.ToString();
    }

    private static string? UnescapeUrn(string value)
    {
        var text = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '%')
            {
                text.Append(value[i]);
                continue;
            }
            if (i + 2 >= value.Length || !byte.TryParse(value.AsSpan(i + 1, 2), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var b))
            {
                return null;
            }
            text.Append((char)b);
            i += 2;
        }
        return text.ToString();
    }

    public override string ToString() => ElementString;
}
