namespace ThingLedger.Core.Codec;

/// <summary>Hex text as it appears in JSON: an even number of hex digits, either case.</summary>
public static class Hex
{
    /// <summary>Decodes without throwing; false for null, odd length or a non-hex character.</summary>
    public static bool TryDecode(string? text, out byte[] bytes)
    {
        bytes = [];
        if (text is null || text.Length % 2 != 0)
        {
            return false;
        }
        var buffer = new byte[text.Length / 2];
        if (Convert.FromHexString(text, buffer, out _, out var written) != System.Buffers.OperationStatus.Done || written != buffer.Length)
        {
            return false;
        }
        bytes = buffer;
        return true;
    }
}
