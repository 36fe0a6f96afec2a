namespace ThingLedger.Core.Ledger;

/// <summary>The character rules for names that become parts of state keys and URLs.</summary>
public static class Identifiers
{
    /// <summary>Organisation ids: 1–32 of a-z, 0-9 and '-', starting with a letter.</summary>
    public static bool IsOrgId(string? value) =>
        value is { Length: >= 1 and <= 32 } && char.IsAsciiLetterLower(value[0]) && AllOf(value, static c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    /// <summary>Module and operation names: the same rule as organisation ids.</summary>
    public static bool IsModuleName(string? value) => IsOrgId(value);

    /// <summary>Model names and serial numbers: 1–64 of A-Z, a-z, 0-9 and '.', '_', ':', '-'.</summary>
    public static bool IsLabel(string? value) =>
        value is { Length: >= 1 and <= 64 } && AllOf(value, static c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-');

    /// <summary>Token symbols: 2–12 of A-Z and 0-9, starting with a letter.</summary>
    public static bool IsSymbol(string? value) =>
        value is { Length: >= 2 and <= 12 } && char.IsAsciiLetterUpper(value[0]) && AllOf(value, static c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c));

    /// <summary>Free text shown to people (names, reasons, metadata values): 0–max chars, no control characters.</summary>
    public static bool IsText(string? value, int maxLength) =>
        value is not null && value.Length <= maxLength && AllOf(value, static c => !char.IsControl(c));

    private static bool AllOf(string value, Func<char, bool> predicate)
    {
        foreach (var c in value)
        {
            if (!predicate(c))
            {
                return false;
            }
        }
        return true;
    }
}
