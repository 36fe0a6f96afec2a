using System.Globalization;

namespace ThingLedger.Client;

/// <summary>
/// A token amount as people read it: the ledger counts in smallest units, a token with d decimals
/// shows them as units with d digits after the point (12345 of a 2-decimal token is "123.45").
/// </summary>
public static class TokenUnits
{
    public static string Format(UInt128 smallest, byte decimals)
    {
        if (decimals == 0)
        {
            return smallest.ToString(CultureInfo.InvariantCulture);
        }
        var digits = smallest.ToString(CultureInfo.InvariantCulture).PadLeft(decimals + 1, '0');
        return $"{digits[..^decimals]}.{digits[^decimals..]}";
    }

    /// <summary>The amount of an API view (smallest units as text) in units; text that is no amount is shown as it is.</summary>
    public static string Format(string smallest, byte decimals) =>
        UInt128.TryParse(smallest, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) ? Format(amount, decimals) : smallest;
}
