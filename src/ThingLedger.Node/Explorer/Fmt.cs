using System.Globalization;
using ThingLedger.Core.Ledger;

namespace ThingLedger.Node.Explorer;

/// <summary>How the explorer writes hashes, times, numbers and tx summaries.</summary>
public static class Fmt
{
    /// <summary>The first characters of a long identifier, for tables (the full text is on the linked page).</summary>
    public static string Short(string text, int keep = 14) => text.Length <= keep + 1 ? text : text[..keep] + "…";

    public static string Short<T>(T value, int keep = 14) where T : notnull => Short(value.ToString() ?? string.Empty, keep);

    /// <summary>
    /// Text as it reads: each format character (bidirectional overrides, zero-width spaces and
    /// joiners, byte-order marks) written as ⟨U+202E⟩ instead of acting on what follows. Version-2
    /// txs cannot carry them; version-1 txs could.
    /// </summary>
    public static string Visible(string text)
    {
        if (!Core.Codec.SpanReader.HasFormatCharacter(text))
        {
            return text;
        }
        var visible = new System.Text.StringBuilder(text.Length + 16);
        foreach (var rune in text.EnumerateRunes())
        {
            if (System.Text.Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format)
            {
                visible.Append(CultureInfo.InvariantCulture, $"⟨U+{rune.Value:X4}⟩");
            }
            else
            {
                visible.Append(rune.ToString());
            }
        }
        return visible.ToString();
    }

    public static string Time(ulong unixMs) => Execution.PayloadField.Time(unixMs);

    public static string Number(double value) => value.ToString(value < 10 ? "0.0" : "#,0", CultureInfo.InvariantCulture);

    /// <summary>
    /// A chart axis value with the digits its size needs: whole numbers from 10, one decimal from 1,
    /// and below 1 two significant digits after the zeros (0.0034, not 0.0), so a chart of small
    /// values reads its real scale.
    /// </summary>
    public static string Axis(double value)
    {
        var size = Math.Abs(value);
        if (size == 0 || size >= 1)
        {
            return Number(value);
        }
        var decimals = Math.Min(9, (int)Math.Ceiling(-Math.Log10(size)) + 1);
        return value.ToString("0." + new string('0', decimals), CultureInfo.InvariantCulture).TrimEnd('0').TrimEnd('.');
    }

    public static string Number(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    public static string Number(ulong value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>The first decoded payload fields of a tx, for one table cell.</summary>
    public static string Summary(Execution.StateMachine machine, Transaction tx)
    {
        var fields = machine.Describe(tx);
        if (fields is null)
        {
            return $"{tx.Payload.Length} payload bytes";
        }
        return string.Join(" · ", fields.Take(3).Select(f => $"{f.Name} {Short(f.Value, 18)}"));
    }
}
