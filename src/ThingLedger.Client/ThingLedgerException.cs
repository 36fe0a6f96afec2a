namespace ThingLedger.Client;

/// <summary>The node refused a request; <see cref="Code"/> is the stable error code (docs/ERRORS.md).</summary>
public sealed class ThingLedgerException(string code, string message, int status) : Exception(message)
{
    public string Code { get; } = code;

    public int Status { get; } = status;
}
