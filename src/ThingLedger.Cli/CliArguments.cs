using System.Globalization;

namespace ThingLedger.Cli;

/// <summary>How commands read amounts and times given as text, so every module's commands accept the same forms.</summary>
internal static class CliArguments
{
    /// <summary>A whole number of a token's smallest units.</summary>
    public static UInt128 Amount(string text, bool allowZero = false)
    {
        if (!UInt128.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            throw new FormatException($"'{text}' is not a whole number of smallest units (0 to 2^128-1, digits only)");
        }
        return amount == UInt128.Zero && !allowZero ? throw new FormatException("the amount must be above zero") : amount;
    }

    /// <summary>
    /// A time in Unix ms: ms since the epoch, ISO-8601 UTC (2026-12-04T10:00:00Z), or, when
    /// <paramref name="now"/> is given, relative to it (+90s, +15m, +2h, +30d).
    /// </summary>
    public static ulong Time(string text, ulong? now = null)
    {
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
        {
            return ms;
        }
        if (now is { } from && text.Length >= 3 && text[0] == '+' &&
            ulong.TryParse(text.AsSpan(1, text.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var count) &&
            text[^1] switch { 's' => 1_000ul, 'm' => 60_000ul, 'h' => 3_600_000ul, 'd' => 86_400_000ul, _ => 0ul } is var unit and > 0 &&
            count <= (ulong.MaxValue - from) / unit)
        {
            return from + (count * unit);
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) && time.Year >= 1970)
        {
            return (ulong)time.ToUnixTimeMilliseconds();
        }
        throw new FormatException(now is null
            ? $"'{text}' is not a time: ISO-8601 UTC (2026-12-04T10:00:00Z) or ms since the Unix epoch"
            : $"'{text}' is not a time: ISO-8601 UTC (2026-12-04T10:00:00Z), ms since the Unix epoch, or from now (+90s, +15m, +2h, +30d)");
    }

    /// <summary>A duration in ms: 90s, 15m, 2h, 30d, or a number of ms.</summary>
    public static long Duration(string text, string option)
    {
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
        {
            return ms;
        }
        if (text.Length >= 2 && long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count) &&
            text[^1] switch { 's' => 1_000L, 'm' => 60_000L, 'h' => 3_600_000L, 'd' => 86_400_000L, _ => 0L } is var unit and > 0 &&
            count <= long.MaxValue / unit)
        {
            return count * unit;
        }
        throw new FormatException($"{option} '{text}' is not a duration: 90s, 15m, 2h, 30d, or ms");
    }

    /// <summary>The current time in Unix ms.</summary>
    public static ulong Now => (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
