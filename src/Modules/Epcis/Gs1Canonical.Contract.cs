using System.Text;

namespace ThingLedger.Execution.Modules.Epcis;

/// <summary>
/// The one form a GS1 identifier takes in an event hash (CBV 2.0, "EPCIS Event Hash ID"): a
/// constrained, canonical GS1 Digital Link URI on https://id.gs1.org, with the finest level of
/// identification only (a serial, not also a lot), no CPV and no query string. EPC URNs (pure
/// identity), EPC class URNs and the EPC pattern URNs that name a whole class are converted; Digital
/// Link URIs on any resolver are moved to the canonical one. Anything else is not a GS1 identifier
/// and is left to the caller (null).
/// </summary>
public static class Gs1Canonical
{
    public const string Root = "https://id.gs1.org";

    /// <summary>The primary keys a Digital Link path can start with (GS1 Digital Link 1.2, table of primary keys).</summary>
    private static readonly HashSet<string> PrimaryKeys = ["01", "00", "253", "255", "401", "402", "414", "417", "8003", "8004", "8006", "8010", "8017", "8018"];

    /// <summary>The canonical Digital Link of <paramref name="value"/>, or null when it names no GS1 key.</summary>
    public static string? DigitalLink(string value)
    {
        if (value.StartsWith("urn:epc:", StringComparison.Ordinal))
        {
            return FromUrn(value);
        }
        return value.StartsWith("https://", StringComparison.Ordinal) || value.StartsWith("http://", StringComparison.Ordinal) ? FromDigitalLink(value) : null;
    }

    /// <summary>
    /// Why the check digit of a canonical Digital Link's primary key is wrong, or null when it is
    /// right (or the key has none: GIAI, GINC, CPI). A URN has no check digit, so only an id given
    /// as a Digital Link can be wrong.
    /// </summary>
    public static string? CheckDigitError(string canonical)
    {
        var path = canonical.AsSpan(Root.Length + 1);
        var slash = path.IndexOf('/');
        var ai = path[..slash].ToString();
        var value = path[(slash + 1)..];
        var end = value.IndexOf('/');
        value = end < 0 ? value : value[..end];
        var length = ai switch
        {
            "01" => 14,
            "00" or "8017" or "8018" => 18,
            "414" or "417" or "253" or "255" => 13,
            "402" => 17,
            "8003" => 14,
            "8006" => 14,
            _ => 0,
        };
        if (length == 0)
        {
            return null;
        }
        if (value.Length < length || value[..length].ContainsAnyExceptInRange('0', '9'))
        {
            return $"the key after /{ai}/ has {length} digits";
        }
        var digits = value[..length];
        var check = Gs1Id.CheckDigit(digits[..^1]);
        return digits[^1] - '0' == check ? null : $"the last digit of {digits} is its check digit, and the digits before it give {check}";
    }

    // ---- EPC URNs (GS1 Tag Data Standard) --------------------------------------------------

    private static string? FromUrn(string urn)
    {
        var parts = urn.Split(':');
        if (parts.Length != 5)
        {
            return null;
        }
        var (form, scheme, body) = (parts[2], parts[3], parts[4]);
        var fields = body.Split('.');
        if (fields.Length < 2 || !IsDigits(fields[0]) || fields[0].Length is < 6 or > 12)
        {
            return null;
        }
        var prefix = fields[0];
        return (form, scheme, fields.Length) switch
        {
            ("id", "sgtin", 3) => Gtin(prefix, fields[1]) is { } gtin && IsSerial(fields[2], 20) ? $"{Root}/01/{gtin}/21/{Escape(fields[2])}" : null,
            ("id", "upui", 3) => Gtin(prefix, fields[1]) is { } gtin && IsSerial(fields[2], 28) ? $"{Root}/01/{gtin}/235/{Escape(fields[2])}" : null,
            ("id", "itip", 5) => Gtin(prefix, fields[1]) is { } gtin && IsDigits(fields[2], 2) && IsDigits(fields[3], 2) && IsSerial(fields[4], 20)
                ? $"{Root}/8006/{gtin}{fields[2]}{fields[3]}/21/{Escape(fields[4])}" : null,
            ("class", "lgtin", 3) => Gtin(prefix, fields[1]) is { } gtin && IsSerial(fields[2], 20) ? $"{Root}/01/{gtin}/10/{Escape(fields[2])}" : null,
            ("idpat", "sgtin", 3) => Gtin(prefix, fields[1]) is { } gtin && fields[2] == "*" ? $"{Root}/01/{gtin}" : null,
            ("id", "sscc", 2) => Keyed(string.Empty, prefix, fields[1], 17, leadingReferenceDigit: true) is { } sscc ? $"{Root}/00/{sscc}" : null,
            ("id", "sgln", 3) => Keyed(string.Empty, prefix, fields[1], 12) is { } gln && IsSerial(fields[2], 20)
                ? fields[2] == "0" ? $"{Root}/414/{gln}" : $"{Root}/414/{gln}/254/{Escape(fields[2])}" : null,
            ("id", "pgln", 2) => Keyed(string.Empty, prefix, fields[1], 12) is { } gln ? $"{Root}/417/{gln}" : null,
            ("id", "grai", 3) => Keyed("0", prefix, fields[1], 13) is { } grai && IsSerial(fields[2], 16, allowEmpty: true) ? $"{Root}/8003/{grai}{Escape(fields[2])}" : null,
            ("idpat", "grai", 3) => Keyed("0", prefix, fields[1], 13) is { } grai && fields[2] == "*" ? $"{Root}/8003/{grai}" : null,
            ("id", "gdti", 3) => Keyed(string.Empty, prefix, fields[1], 12) is { } gdti && IsSerial(fields[2], 17, allowEmpty: true) ? $"{Root}/253/{gdti}{Escape(fields[2])}" : null,
            ("idpat", "gdti", 3) => Keyed(string.Empty, prefix, fields[1], 12) is { } gdti && fields[2] == "*" ? $"{Root}/253/{gdti}" : null,
            ("id", "sgcn", 3) => Keyed(string.Empty, prefix, fields[1], 12) is { } sgcn && IsDigits(fields[2]) && fields[2].Length <= 12 ? $"{Root}/255/{sgcn}{fields[2]}" : null,
            ("idpat", "sgcn", 3) => Keyed(string.Empty, prefix, fields[1], 12) is { } sgcn && fields[2] == "*" ? $"{Root}/255/{sgcn}" : null,
            ("id", "gsrn", 2) => Keyed(string.Empty, prefix, fields[1], 17) is { } gsrn ? $"{Root}/8018/{gsrn}" : null,
            ("id", "gsrnp", 2) => Keyed(string.Empty, prefix, fields[1], 17) is { } gsrnp ? $"{Root}/8017/{gsrnp}" : null,
            ("id", "gsin", 2) => Keyed(string.Empty, prefix, fields[1], 16) is { } gsin ? $"{Root}/402/{gsin}" : null,
            ("id", "giai", 2) => IsSerial(fields[1], 30 - prefix.Length) ? $"{Root}/8004/{prefix}{Escape(fields[1])}" : null,
            ("id", "ginc", 2) => IsSerial(fields[1], 30 - prefix.Length) ? $"{Root}/401/{prefix}{Escape(fields[1])}" : null,
            ("id", "cpi", 3) => fields[1].Length is > 0 && fields[1].Length <= 30 - prefix.Length && IsDigits(fields[2]) && fields[2].Length <= 12
                ? $"{Root}/8010/{prefix}{Escape(fields[1])}/8011/{fields[2]}" : null,
            _ => null,
        };
    }

    /// <summary>A GTIN-14 from a company prefix and an indicator digit + item reference (13 digits together).</summary>
    private static string? Gtin(string prefix, string reference) =>
        IsDigits(reference) && reference.Length > 0 && prefix.Length + reference.Length == 13 ? WithCheckDigit(reference[..1] + prefix + reference[1..]) : null;

    /// <summary>
    /// A key of <paramref name="digits"/> digits before its check digit: <paramref name="lead"/>, the
    /// company prefix and the reference (an SSCC's extension digit leads, ahead of the prefix).
    /// </summary>
    private static string? Keyed(string lead, string prefix, string reference, int digits, bool leadingReferenceDigit = false)
    {
        if (!IsDigits(reference) || prefix.Length + reference.Length != digits - lead.Length || (leadingReferenceDigit && reference.Length == 0))
        {
            return null;
        }
        return WithCheckDigit(leadingReferenceDigit ? reference[..1] + prefix + reference[1..] : lead + prefix + reference);
    }

    private static string WithCheckDigit(string digits) => digits + Gs1Id.CheckDigit(digits);

    private static bool IsDigits(string text) => text.All(char.IsAsciiDigit);

    private static bool IsDigits(string text, int length) => text.Length == length && IsDigits(text);

    /// <summary>A serial, lot or reference as an EPC URN writes it: 1 to <paramref name="max"/> characters, %-escapes allowed.</summary>
    private static bool IsSerial(string text, int max, bool allowEmpty = false) =>
        (text.Length > 0 || allowEmpty) && text.Length <= max * 3 && text.All(c => char.IsAsciiLetterOrDigit(c) || "!'()*+,-.:;=_%".Contains(c, StringComparison.Ordinal));

    /// <summary>The characters a Digital Link path segment percent-encodes that an EPC URN writes as they are.</summary>
    private static string Escape(string value)
    {
        if (value.AsSpan().IndexOfAny("!()*+,:") < 0)
        {
            return value;
        }
        var text = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            _ = c is '!' or '(' or ')' or '*' or '+' or ',' or ':' ? text.Append('%').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture)) : text.Append(c);
        }
        return text.ToString();
    }

    // ---- GS1 Digital Link URIs -------------------------------------------------------------

    private static string? FromDigitalLink(string uri)
    {
        var schemeEnd = uri.IndexOf("://", StringComparison.Ordinal) + 3;
        var pathStart = uri.IndexOf('/', schemeEnd);
        if (pathStart < 0)
        {
            return null;
        }
        var end = uri.AsSpan(pathStart).IndexOfAny('?', '#') is var cut and >= 0 ? pathStart + cut : uri.Length;
        var segments = uri[(pathStart + 1)..end].TrimEnd('/').Split('/');
        var start = Array.FindIndex(segments, PrimaryKeys.Contains);
        if (start < 0 || (segments.Length - start) % 2 != 0)
        {
            return null;
        }
        var pairs = new List<(string Ai, string Value)>();
        for (var i = start; i < segments.Length; i += 2)
        {
            if (segments[i + 1].Length == 0 || !segments[i].All(char.IsAsciiDigit))
            {
                return null;
            }
            pairs.Add((segments[i], segments[i + 1]));
        }
        var (ai, key) = pairs[0];
        if (ai == "01")
        {
            if (!IsDigits(key) || key.Length is not (8 or 12 or 13 or 14))
            {
                return null;
            }
            key = key.PadLeft(14, '0');
        }
        // The finest level only: no consumer product variant, and a serial makes a lot redundant.
        var qualifiers = pairs.Skip(1).Where(p => p.Ai != "22").ToList();
        if (qualifiers.Any(p => p.Ai == "21"))
        {
            qualifiers.RemoveAll(p => p.Ai == "10");
        }
        var text = new StringBuilder(Root).Append('/').Append(ai).Append('/').Append(key);
        foreach (var (qualifierAi, value) in qualifiers)
        {
            text.Append('/').Append(qualifierAi).Append('/').Append(value);
        }
        return text.ToString();
    }
}
